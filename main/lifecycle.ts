/**
 * The app's life: one instance, one window, the receiver started from
 * onReady and stopped before the app exits. As in Fiddle's main.ts, each
 * feature module registers its own handlers from the one onReady.
 */
import { app, type BrowserWindow } from 'electron';
import { IntakeService, type EngineOptions } from '../app/index.js';
import { openExternalUrl, openFolder } from './desktop-shell.js';
import { chooseFolder } from './folder-dialog.js';
import { setupSecurity } from './security.js';
import { loadAppSettings, persistAppSettings } from './settings-file.js';
import { appFiles, createMainWindow } from './window.js';
import { serveWindow } from './window-session.js';

/** How long quitting waits for recordings to be finished before exiting anyway (they are append-only, so still playable). */
export const QUIT_TIMEOUT_MS = 5000;

/** How runIntake is run; the app itself passes nothing. */
export interface IntakeMainOptions {
  /** The app's root folder (holds dist/); app.getAppPath() unless a test says otherwise. */
  root?: string;
  /** Engine options beyond the settings. */
  engine?: Partial<EngineOptions>;
}

/** The running app, for tests. */
export interface IntakeMain {
  readonly service: IntakeService;
  /** The window, if one is open. */
  window(): BrowserWindow | null;
}

/**
 * Run the desktop app. Resolves once the window exists and the receiver has
 * started (listening, or 'error' with the reason shown in the window), or
 * with null when another instance is already running (it gets focus).
 */
export async function runIntake(opts: IntakeMainOptions = {}): Promise<IntakeMain | null> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  let service: IntakeService | null = null;
  let win: BrowserWindow | null = null;

  const showWindow = (): void => {
    if (!service) return; // Not ready yet: onReady opens it.
    if (win && !win.isDestroyed()) {
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
      return;
    }
    const w = createMainWindow(opts.root);
    win = w;
    serveWindow(w, service, appFiles(opts.root).indexUrl);
    w.on('closed', () => {
      if (win === w) win = null;
    });
  };

  app.on('second-instance', showWindow);
  // macOS: the receiver keeps running with no window; the Dock icon brings it back.
  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  stopBeforeQuit(() => service);

  await app.whenReady();
  setupSecurity();
  const started: IntakeService = new IntakeService({
    settings: loadAppSettings(),
    host: { transport: 'electron', version: app.getVersion(), canOpenFolder: true },
    persist: (s) => persistAppSettings(s),
    openFolder: (p?: string): Promise<void> => openFolder(p ?? started.settings.recordDir),
    openExternal: openExternalUrl,
    chooseFolder: () => chooseFolder(win),
    engine: opts.engine,
  });
  service = started;
  showWindow();
  await started.start();
  return { service: started, window: () => win };
}

/**
 * Hold the first quit until the service has stopped (finishing every
 * recording), then quit for real; give up waiting after QUIT_TIMEOUT_MS.
 */
function stopBeforeQuit(current: () => IntakeService | null): void {
  let stopping = false;
  let stopped = false;
  app.on('before-quit', (event) => {
    const service = current();
    if (stopped || !service) return;
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        console.error(`intake: recordings not finished after ${QUIT_TIMEOUT_MS / 1000} s; quitting anyway`);
        resolve();
      }, QUIT_TIMEOUT_MS);
    });
    Promise.race([service.close(), timeout])
      .catch((err: unknown) => console.error(`intake: stopping the receiver failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        clearTimeout(timer);
        stopped = true;
        app.quit();
      });
  });
}
