// Applies the saved light/dark theme before the page paints (Bootstrap's data-bs-theme).
(function () {
    var saved = null;
    try { saved = localStorage.getItem('portal-theme'); } catch (e) { /* storage disabled */ }
    var dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
    document.documentElement.setAttribute('data-bs-theme', saved === 'dark' || saved === 'light' ? saved : (dark ? 'dark' : 'light'));
})();
