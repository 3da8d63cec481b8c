/**
 * The contract between the engine and every UI (the CLI, Electron's main and
 * renderer, the browser mode): engine events, the UI's requests and events,
 * the WebSocket and IPC framing, the error shape and the shared limits. It
 * imports nothing from the rest of `app/`; the engine depends on it, never
 * the reverse, and `renderer/` imports nothing else from `app/`.
 */
export * from './engine.js';
export * from './errors.js';
export * from './ipc.js';
export * from './limits.js';
export * from './ui.js';
export * from './values.js';
export * from './wire.js';
export * from './health.js';
export * from './health-report.js';
export * from './recording-format.js';
