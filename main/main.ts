/**
 * Electron's entry point (package.json "main" is its compiled form,
 * dist/main/main.js, an ES module: Electron 28+ loads those). It sets the
 * engine's memory flag and runs the app; everything else is in the modules
 * beside it:
 *
 * - lifecycle.ts: one instance, onReady, the window, quitting after the
 *   recordings are finished;
 * - security.ts: app-wide guards (no webview, no new windows, permissions, CSP);
 * - window.ts: the window's options and navigation lock;
 * - window-session.ts, ipc.ts: the window attached to the receiver over IPC;
 * - preload.cts: the `window.intake` object of the renderer;
 * - settings-file.ts, desktop-shell.ts: settings on disk, links and folders.
 */
import { app } from 'electron';
import { keepYoungGenerationSmall } from '../app/index.js';
import { runIntake } from './lifecycle.js';

// The engine's V8 flag, as in the CLI (see bench/RESULTS.md): the receiver's
// garbage is short-lived and a larger young generation only costs memory.
keepYoungGenerationSmall();

runIntake().catch((err: unknown) => {
  console.error('intake: could not start:', err);
  // Nothing useful can run without the receiver and its window.
  app.exit(1);
});
