// The operator console's script. No data is in the page: it reads the call from the query string,
// gets an API token from the softphone's bridge (window.callibry.token()) or a login form, and talks
// JSON-RPC to /api/rpc with "Authorization: Bearer"; pushes come over /api/events.
(function () {
  'use strict';
  const T = window.CONSOLE_TEXT || {};
  const TOKEN_KEY = 'callibry.console.token';
  const query = new URLSearchParams(location.search);
  const call = {
    id: query.get('callId') || '',
    caller: query.get('caller') || '',
    queue: query.get('queue') || '',
    wait: query.get('wait') || ''
  };
  const $ = id => document.getElementById(id);
  let token = sessionStorage.getItem(TOKEN_KEY) || '';
  let started = false;
  let socket = null;
  let retry = 1000;

  function fmt(text, arg) { return String(text).replace('{0}', arg); }
  function show(id, on) { $(id).classList.toggle('d-none', !on); }

  function bridge() {
    const b = window.callibry;
    return b && typeof b === 'object' ? b : null;
  }

  function bridgeToken() {
    const b = bridge();
    if (!b) { return ''; }
    try {
      const t = b.token();
      return t && t !== 'undefined' ? String(t) : '';
    } catch (e) {
      return '';
    }
  }

  function bridgePushes() {
    const b = bridge();
    try {
      return !!(b && b.pushes());
    } catch (e) {
      return false;
    }
  }

  class RpcError extends Error {
    constructor(error) {
      super(error.message);
      this.code = error.code;
      this.field = error.data && error.data.field;
    }
  }

  let rpcId = 0;
  async function rpc(method, params, again) {
    const response = await fetch('/api/rpc', {
      method: 'POST',
      headers: {'Content-Type': 'application/json', 'Authorization': 'Bearer ' + token},
      body: JSON.stringify({jsonrpc: '2.0', id: ++rpcId, method: method, params: params || {}})
    });
    const body = await response.json();
    if (body.error) {
      if (body.error.code === -32001 && !again) {
        // the token expired or was revoked: the softphone has a fresh one after its own re-login
        const fresh = bridgeToken();
        if (fresh && fresh !== token) {
          useToken(fresh);
          return rpc(method, params, true);
        }
        signedOut();
      }
      throw new RpcError(body.error);
    }
    return body.result;
  }

  function useToken(t) {
    token = t;
    sessionStorage.setItem(TOKEN_KEY, t);
  }

  function alertBox(text) {
    $('alert').textContent = text || '';
    show('alert', !!text);
  }

  function signedOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    token = '';
    started = false;
    if (socket) { socket.onclose = null; socket.close(); socket = null; }
    show('app', false);
    show('logout', false);
    $('who').textContent = '';
    show('login', !bridge());
  }

  // ---- start: bridge token, else a stored one, else the login form ----

  async function start() {
    if (started) { return; }
    const fromBridge = bridgeToken();
    if (fromBridge) { useToken(fromBridge); }
    if (!token) {
      show('login', true);
      return;
    }
    started = true;
    try {
      const me = await rpc('auth.whoami');
      $('who').textContent = me.username;
      show('login', false);
      show('app', true);
      show('logout', !bridge());
      if (bridgePushes()) {
        // inside the softphone: its own push channel hands the console's notifications to the page
        window.callibryPush = onPush;
        document.body.dataset.push = 'bridge';
      } else {
        listen();
      }
      await loadCall();
    } catch (e) {
      started = false;
      if (e.code !== -32001) { alertBox(fmt(T.error, e.message)); }
    }
  }

  window.callibryReady = start;

  async function waitForBridge() {
    // the softphone's WebView offers window.callibry once the page has loaded
    for (let i = 0; i < 15 && !bridge(); i++) {
      await new Promise(r => setTimeout(r, 100));
    }
    start();
  }

  $('login-form').addEventListener('submit', async ev => {
    ev.preventDefault();
    show('login-error', false);
    try {
      const r = await fetch('/api/rpc', {
        method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({jsonrpc: '2.0', id: ++rpcId, method: 'auth.login',
          params: {user: $('login-user').value, password: $('login-password').value}})
      });
      const body = await r.json();
      if (body.error) { throw new RpcError(body.error); }
      useToken(body.result.token);
      $('login-password').value = '';
      start();
    } catch (e) {
      show('login-error', true);
    }
  });

  $('logout').addEventListener('click', async () => {
    try { await rpc('auth.logout'); } catch (e) { /* signed out anyway */ }
    signedOut();
  });

  // ---- the call card ----

  async function loadCall() {
    if (!call.id && !call.caller) {
      show('idle', true);
      return;
    }
    show('idle', false);
    show('card', true);
    $('card-number').textContent = call.caller;
    $('card-name').textContent = T.unknown;
    if (call.queue) {
      show('card-queue', true);
      $('card-queue-name').textContent = call.queue;
      if (call.wait !== '') {
        show('card-wait', true);
        $('card-wait-value').textContent = fmt(T.seconds, call.wait);
      }
    }
    const jobs = [];
    if (call.caller) { jobs.push(loadCaller()); }
    if (call.id) { jobs.push(loadWrapups(), loadNotes()); }
    if (call.queue) { jobs.push(loadScript()); }
    const results = await Promise.allSettled(jobs);
    const failed = results.find(r => r.status === 'rejected');
    if (failed) { alertBox(fmt(T.error, failed.reason.message)); }
    document.body.dataset.loaded = 'true';
  }

  async function loadCaller() {
    const info = await rpc('caller.info', {number: call.caller});
    const card = info.card;
    if (card) {
      $('card-name').textContent = card.name;
      $('card-company').textContent = card.company || '';
      $('card-notes').textContent = card.notes || '';
      $('card-source').textContent = card.source === 'crm' ? T.sourceCrm : T.sourceContact;
    }
    const rows = $('history-rows');
    rows.replaceChildren();
    (info.lastCalls || []).forEach(c => {
      const tr = document.createElement('tr');
      const when = new Date(c.startedAt).toLocaleString(document.documentElement.lang || undefined,
        {day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit'});
      [[when, 'when'], [c.aNumber + ' → ' + c.bNumber, 'peers'], [c.disposition, 'outcome'], [c.durationSeconds + ' s', 'took']]
        .forEach(([v, cls]) => { const td = document.createElement('td'); td.className = cls; td.textContent = v; tr.appendChild(td); });
      rows.appendChild(tr);
    });
    show('history', true);
    show('history-none', rows.children.length === 0);
  }

  async function loadScript() {
    const s = await rpc('queueScript.get', {queueName: call.queue});
    $('script-text').textContent = s.text || '';
    show('script', !!s.text);
  }

  async function loadWrapups() {
    const wrapups = await rpc('wrapupCode.list', {enabledOnly: true});
    const select = $('note-wrapup');
    select.replaceChildren(new Option(T.wrapupNone, ''));
    wrapups.forEach(w => select.appendChild(new Option(w.label, w.code)));
  }

  async function loadNotes() {
    const notes = await rpc('callNote.list', {callId: call.id});
    show('notes', true);
    const list = $('notes-list');
    list.replaceChildren();
    notes.items.forEach(n => {
      const li = document.createElement('li');
      li.dataset.noteId = n.id;
      const head = document.createElement('div');
      head.className = 'text-body-secondary';
      const when = new Date(n.createdAt).toLocaleTimeString();
      head.textContent = when + ' · ' + fmt(T.by, n.username);
      if (n.wrapupCode) {
        const badge = document.createElement('span');
        badge.className = 'badge text-bg-success ms-1 note-wrapup';
        badge.textContent = n.wrapupLabel || n.wrapupCode;
        head.appendChild(badge);
      }
      const text = document.createElement('div');
      text.className = 'note-text';
      text.textContent = n.text;
      li.append(head, text);
      list.appendChild(li);
    });
    show('notes-none', notes.items.length === 0);
  }

  $('note-form').addEventListener('submit', async ev => {
    ev.preventDefault();
    show('note-error', false);
    const code = $('note-wrapup').value;
    try {
      await rpc('callNote.add', {callId: call.id, wrapupCode: code || null, text: $('note-text').value});
      $('note-text').value = '';
      $('note-wrapup').value = '';
      toast('', T.saved, 'success');
      await loadNotes();
    } catch (e) {
      $('note-error').textContent = e.message;
      show('note-error', true);
    }
  });

  // ---- outbound ----

  $('dial-form').addEventListener('submit', ev => {
    ev.preventDefault();
    const number = $('dial-number').value.trim();
    const reason = $('dial-reason').value.trim();
    const b = bridge();
    const status = $('dial-status');
    if (!b) {
      status.className = 'small mt-1 text-danger';
      status.textContent = T.noBridge;
      return;
    }
    pendingOutbound = reason ? {number: number, reason: reason} : null;
    b.dial(number);
    status.className = 'small mt-1 text-body-secondary';
    status.textContent = fmt(T.dialling, number) + (reason ? ' (' + reason + ')' : '');
  });

  // The phone tells the page about each call; the campaign/reason of a call dialled here becomes a note
  // on that call once the phone names it (its server call id).
  let pendingOutbound = null;
  window.callibryEvent = async e => {
    const p = pendingOutbound;
    if (!p || !e || e.direction !== 'out' || !e.serverCallId || e.peer !== p.number) { return; }
    pendingOutbound = null;
    try {
      await rpc('callNote.add', {callId: e.serverCallId, text: p.reason});
      $('dial-status').textContent = fmt(T.dialling, p.number) + ' (' + p.reason + ') ✓';
    } catch (err) {
      alertBox(fmt(T.error, err.message));
    }
  };

  // ---- pushes ----

  function onPush(n) {
    if (n.method === 'operator.message') {
      toast(fmt(T.messageFrom, n.params.from), n.params.text, 'warning');
    } else if (n.method === 'callNote.changed' && call.id && n.params.callId === call.id) {
      loadNotes().catch(e => alertBox(fmt(T.error, e.message)));
    }
  }

  function listen() {
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    socket = new WebSocket(scheme + location.host + '/api/events?access_token=' + encodeURIComponent(token));
    socket.onopen = () => { retry = 1000; alertBox(''); document.body.dataset.push = 'open'; };
    socket.onmessage = ev => onPush(JSON.parse(ev.data));
    socket.onclose = () => {
      socket = null;
      document.body.dataset.push = 'closed';
      if (!token) { return; }
      alertBox(T.offline);
      setTimeout(() => { if (token && !socket) { listen(); } }, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }

  // ---- toasts ----

  function toast(title, text, kind) {
    const el = document.createElement('div');
    el.className = 'toast align-items-center border-0 text-bg-' + kind;
    el.setAttribute('role', 'alert');
    const body = document.createElement('div');
    body.className = 'toast-body';
    if (title) {
      const strong = document.createElement('strong');
      strong.className = 'd-block';
      strong.textContent = title;
      body.appendChild(strong);
    }
    body.appendChild(document.createTextNode(text));
    const row = document.createElement('div');
    row.className = 'd-flex';
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'btn-close btn-close-white me-2 m-auto';
    close.setAttribute('data-bs-dismiss', 'toast');
    row.append(body, close);
    el.appendChild(row);
    $('toasts').appendChild(el);
    const t = new bootstrap.Toast(el, {autohide: kind === 'success', delay: 4000});
    el.addEventListener('hidden.bs.toast', () => el.remove());
    t.show();
  }

  waitForBridge();
})();
