/**
 * The one application window. Everything that makes it safe to show our
 * renderer is decided here: an isolated, sandboxed renderer without Node, a
 * preload that exposes one typed object, and a page that can never navigate
 * away from our own index.html or open another window.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BrowserWindow, app, type BrowserWindowConstructorOptions, type Event, type WebContents } from 'electron';
import { openExternalUrl } from './desktop-shell.js';

/** Background painted before the renderer's first frame; matches the dark theme, so there is no white flash. */
export const WINDOW_BACKGROUND = '#0f1216';

/** Where the built files live: the app's root (the repo in development, app.asar when packaged). */
export function appFiles(root = app.getAppPath()): { preload: string; indexHtml: string; indexUrl: string } {
  const indexHtml = path.join(root, 'dist', 'renderer', 'index.html');
  return { preload: path.join(root, 'dist', 'main', 'preload.cjs'), indexHtml, indexUrl: pathToFileURL(indexHtml).href };
}

/**
 * Whether `url` shows our page, `indexUrl`. File URLs are compared as the
 * paths they name, so a difference between Node's and Chromium's
 * percent-encoding of an unusual install folder does not matter; a fragment
 * or query is still our page.
 */
export function isOwnPage(url: string, indexUrl: string): boolean {
  try {
    const [a, b] = [new URL(url), new URL(indexUrl)];
    if (a.protocol !== 'file:' || b.protocol !== 'file:') return false;
    for (const u of [a, b]) [u.hash, u.search] = ['', ''];
    const [pa, pb] = [path.resolve(fileURLToPath(a)), path.resolve(fileURLToPath(b))];
    return process.platform === 'win32' ? pa.toLowerCase() === pb.toLowerCase() : pa === pb;
  } catch {
    return false;
  }
}

/** The BrowserWindow options (exported so a test can read them without a window). */
export function windowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1360,
    height: 860,
    minWidth: 1000,
    minHeight: 640,
    title: 'Intake',
    backgroundColor: WINDOW_BACKGROUND,
    // Shown on 'ready-to-show': the first thing the user sees is the drawn UI.
    show: false,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // The preview keeps playing when the window is behind another one.
      backgroundThrottling: false,
    },
  };
}

/**
 * Keep a window on our page: navigation anywhere else is cancelled (an
 * http(s) target goes to the OS browser instead), and window.open / target=_blank
 * never creates a window.
 */
export function lockNavigation(contents: WebContents, indexUrl: string): void {
  const guard = (event: Event, url: string): void => {
    if (isOwnPage(url, indexUrl)) return;
    event.preventDefault();
    openExternalUrl(url).catch(() => {}); // refused ones are logged there
  };
  contents.on('will-navigate', (event, url) => guard(event, url));
  contents.on('will-redirect', (event, url) => guard(event, url));
  contents.setWindowOpenHandler(({ url }) => {
    openExternalUrl(url).catch(() => {});
    return { action: 'deny' };
  });
}

/** Create the window, lock it to our page and load the built renderer. */
export function createMainWindow(root?: string): BrowserWindow {
  const files = appFiles(root);
  const win = new BrowserWindow(windowOptions(files.preload));
  lockNavigation(win.webContents, files.indexUrl);
  win.once('ready-to-show', () => win.show());
  // A crashed renderer would leave a blank window; reload it, but not in a loop.
  let lastReload = 0;
  win.webContents.on('render-process-gone', (_event, details) => {
    console.error(`intake: the window's renderer exited: ${details.reason}`);
    if (win.isDestroyed() || details.reason === 'clean-exit' || Date.now() - lastReload < 10_000) return;
    lastReload = Date.now();
    void win.loadFile(files.indexHtml);
  });
  void win.loadFile(files.indexHtml).catch((err: unknown) => {
    console.error(`intake: could not load ${files.indexHtml}: ${err instanceof Error ? err.message : String(err)}`);
  });
  return win;
}
