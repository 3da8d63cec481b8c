/*
 * The browser mode's link to Intake, opened before the UI's bundle has
 * loaded. Why: the bundle (~340 kB) is fetched, compiled and run before
 * main.tsx could open the WebSocket, and its first render held the socket's
 * open event further: the link opened ~100 ms into a reload, the snapshot
 * and the preview's cached GOP a round trip after that. This classic
 * script runs as the page's head is parsed: it opens the socket, asks at
 * once for the tab's last previewed stream (early-preview.ts keeps it in
 * sessionStorage) and for the snapshot, and keeps what arrives until the
 * bundle's WsClient adopts the socket (renderer/src/bridge/early-link.ts)
 * and hands it on in order. Plain ES2019, no imports: it is served as is
 * (script-src 'self'; no inline script). In Electron (window.intake, the
 * preload's IPC) it does nothing: there is no socket to open, and main.tsx
 * asks for the preview as it boots.
 */
/* global window */
(function () {
  'use strict';
  if (window.intake || typeof WebSocket === 'undefined') return;
  /** Bytes kept for the bundle, at most: past this (a bundle that never loads) the socket is closed, and the bundle opens its own. */
  var MAX_BYTES = 16 * 1024 * 1024;
  var loc = window.location;
  var link = { ws: null, frames: [], bytes: 0, ahead: [], nextId: 1 };
  try {
    var url = new URL((loc.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + loc.host + '/ws');
    var token = new URLSearchParams(loc.search).get('token');
    if (token) url.searchParams.set('token', token);
    // The socket first, then the rest: its handshake goes on while this script reads the storage.
    var ws = new WebSocket(url.toString());
    ws.binaryType = 'arraybuffer';
    link.ws = ws;
    var path = null;
    try {
      path = sessionStorage.getItem('intake:preview-path');
    } catch {
      path = null; // storage blocked: no early preview
    }
    // Decided now, sent on open: the bundle matches its own first identical requests to these ids.
    if (path && path.length <= 1024) link.ahead.push({ id: link.nextId++, name: 'preview', arg: { path: path } });
    link.ahead.push({ id: link.nextId++, name: 'snapshot' });
    ws.onopen = function () {
      if (performance.mark) performance.mark('page:link-open');
      // The preview first: its GOP is the larger answer, and the picture waits for it.
      for (var i = 0; i < link.ahead.length; i++) ws.send(JSON.stringify(link.ahead[i]));
    };
    ws.onmessage = function (ev) {
      link.bytes += typeof ev.data === 'string' ? ev.data.length * 2 : ev.data.byteLength;
      if (link.bytes > MAX_BYTES) {
        link.frames = [];
        ws.close();
        return;
      }
      link.frames.push(ev.data);
    };
    if (performance.mark) performance.mark('page:early-link');
    window.__intakeEarlyLink = link;
  } catch {
    // no socket now: the bundle opens its own
  }
})();
