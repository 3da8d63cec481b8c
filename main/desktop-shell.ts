/**
 * The two things the app asks of the desktop: open a web link in the OS
 * browser, and show a recording (or the recording folder) in the file
 * manager. They are the renderer's only ways out of its window, so both
 * check what they are given.
 */
import fs from 'node:fs';
import path from 'node:path';
import { shell } from 'electron';
import { UiError } from '../app/index.js';

/** Schemes handed to the OS browser; anything else (file:, javascript:, custom handlers) is refused. */
export const EXTERNAL_SCHEMES: readonly string[] = ['http:', 'https:'];

/** True for an absolute http(s) URL. */
export function isExternalUrl(url: string): boolean {
  try {
    return EXTERNAL_SCHEMES.includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

/**
 * Open an http(s) URL in the OS browser. Other URLs are refused with a
 * 'bad-request' error (logged when the caller ignores the promise).
 */
export async function openExternalUrl(url: string): Promise<void> {
  if (!isExternalUrl(url)) {
    console.warn(`intake: refused to open ${JSON.stringify(url.slice(0, 200))}: only http(s) links go to the browser`);
    throw new UiError('bad-request', 'only http(s) links can be opened');
  }
  await shell.openExternal(url);
}

/**
 * Show `target` in the OS file manager: the recording folder is opened
 * (created first: it may not exist before the first recording); anything
 * else is only revealed, selected in its parent folder. Why not
 * shell.openPath for every path: it opens a path the way a double-click
 * would, so a file would be run and a macOS bundle (a folder named X.app)
 * launched, and the renderer chooses the path.
 */
export async function openFolder(target: string): Promise<void> {
  if (!path.isAbsolute(target)) throw new UiError('bad-request', `not an absolute path: ${target}`);
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (stat?.isFile() || (stat?.isDirectory() && path.extname(target) !== '')) {
    shell.showItemInFolder(target);
    return;
  }
  if (stat && !stat.isDirectory()) throw new UiError('bad-request', `not a file or folder: ${target}`);
  if (!stat) fs.mkdirSync(target, { recursive: true });
  const failure = await shell.openPath(target);
  if (failure) throw new UiError('internal', `could not open ${target}: ${failure}`);
}
