// Callibry portal: CSRF header for htmx, theme and language switches, the recording player, KPI charts.
(function () {
    'use strict';

    function meta(name) {
        var m = document.querySelector('meta[name="' + name + '"]');
        return m ? m.getAttribute('content') : null;
    }

    // every htmx request carries the session's CSRF token in the header Spring Security expects
    document.body.addEventListener('htmx:configRequest', function (e) {
        var token = meta('csrf-token');
        var header = meta('csrf-header');
        if (token && header) {
            e.detail.headers[header] = token;
        }
    });
    // the live panel's poll waits while the keyboard focus is on one of its buttons, so replacing the
    // panel never pulls the focus away from under the user
    document.body.addEventListener('htmx:beforeRequest', function (e) {
        var panel = document.getElementById('live-panel');
        var focused = document.activeElement;
        if (panel && e.detail.elt === panel && focused && focused !== document.body && panel.contains(focused)
            && focused.matches(':focus-visible')) {
            e.preventDefault();
        }
    });
    // a panel that cannot be refreshed (server gone, session over) says so instead of freezing silently
    document.body.addEventListener('htmx:responseError', function (e) {
        var panel = document.getElementById('live-panel');
        if (panel) {
            panel.classList.add('stale');
        }
    });
    document.body.addEventListener('htmx:afterSwap', function () {
        var panel = document.getElementById('live-panel');
        if (panel) {
            panel.classList.remove('stale');
        }
    });

    // theme switch, remembered in localStorage
    var toggle = document.getElementById('theme-toggle');
    if (toggle) {
        toggle.addEventListener('click', function () {
            var next = document.documentElement.getAttribute('data-bs-theme') === 'dark' ? 'light' : 'dark';
            document.documentElement.setAttribute('data-bs-theme', next);
            try { localStorage.setItem('portal-theme', next); } catch (e) { /* storage disabled */ }
            renderCharts();
        });
    }

    // the language links keep the page's filters
    document.querySelectorAll('a.lang-link').forEach(function (a) {
        a.addEventListener('click', function (e) {
            var url = new URL(window.location.href);
            url.searchParams.set('lang', a.getAttribute('hreflang'));
            a.setAttribute('href', url.pathname + url.search);
        });
    });

    // the recording player: one <audio> for the page, fed by the rows' play buttons
    var player = document.getElementById('player');
    if (player) {
        var card = document.getElementById('player-card');
        document.querySelectorAll('button.play').forEach(function (b) {
            b.addEventListener('click', function () {
                card.hidden = false;
                document.getElementById('player-title').textContent = b.getAttribute('data-title');
                player.src = b.getAttribute('data-src');
                player.play().catch(function () { /* the user can press play */ });
                player.focus();
            });
        });
        document.getElementById('player-close').addEventListener('click', function () {
            player.pause();
            player.removeAttribute('src');
            player.load();
            card.hidden = true;
        });
    }

    var printButton = document.getElementById('print');
    if (printButton) {
        printButton.addEventListener('click', function () { window.print(); });
    }

    // KPI charts from the JSON the page embeds
    var charts = [];

    function renderCharts() {
        var source = document.getElementById('kpi-data');
        if (!source || typeof Chart === 'undefined') {
            return;
        }
        charts.forEach(function (c) { c.destroy(); });
        charts = [];
        var data = JSON.parse(source.textContent);
        var style = getComputedStyle(document.documentElement);
        var text = style.getPropertyValue('--bs-body-color').trim();
        var grid = style.getPropertyValue('--bs-border-color-translucent').trim();
        Chart.defaults.color = text;
        Chart.defaults.borderColor = grid;
        var colors = ['#0d6efd', '#6f42c1', '#20c997', '#fd7e14', '#dc3545'];
        var n = data.names;
        function bar(id, labels, series, stacked) {
            var canvas = document.getElementById(id);
            if (!canvas) {
                return;
            }
            charts.push(new Chart(canvas, {
                type: 'bar',
                data: {
                    labels: labels,
                    datasets: series.map(function (s, i) {
                        return {label: s[0], data: s[1], backgroundColor: colors[i % colors.length], borderRadius: 3};
                    })
                },
                options: {
                    responsive: true, maintainAspectRatio: false, animation: false,
                    plugins: {legend: {position: 'bottom'}},
                    scales: {x: {stacked: !!stacked}, y: {stacked: !!stacked, beginAtZero: true}}
                }
            }));
        }
        bar('chart-queue-times', data.queues.labels, [[n.avgWait, data.queues.avgWait], [n.maxWait, data.queues.maxWait],
            [n.avgTalk, data.queues.avgTalk], [n.maxTalk, data.queues.maxTalk]]);
        bar('chart-agents', data.agents.labels, [[n.answered, data.agents.answered], [n.missed, data.agents.missed]], true);
    }

    renderCharts();
    window.addEventListener('beforeprint', function () { charts.forEach(function (c) { c.resize(); }); });
})();
