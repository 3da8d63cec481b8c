/**
 * The desktop's folder dialog: the one way, beside the folder chosen at
 * start, that a recording folder becomes one the window may set (the
 * service allows what the user picks here; see app/host/record-folders.ts).
 */
import { type BrowserWindow, dialog } from 'electron';

/** Ask the user for a folder (modal on `win` when it is open); null when cancelled. */
export async function chooseFolder(win: BrowserWindow | null): Promise<string | null> {
  const options = { title: 'Recording folder', properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
  const r = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
}
