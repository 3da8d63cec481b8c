import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode, RtmpError } from '../errors.js';
import { recordingFileName } from '../subscribers/file-name.js';

/**
 * Every file-system call a recording makes, in one object: tests replace a
 * member to inject a failure (a write that fails with ENOSPC, a stat that says
 * the file is gone) without a real full disk. Production code never changes it.
 */
export const disk = {
  // Each looks `fs` up at the call, so a spy on `fs` itself sees it too.
  mkdirSync: ((...a: Parameters<typeof fs.mkdirSync>) => fs.mkdirSync(...a)) as typeof fs.mkdirSync,
  openSync: ((...a: Parameters<typeof fs.openSync>) => fs.openSync(...a)) as typeof fs.openSync,
  fstatSync: ((fd: number) => fs.fstatSync(fd)) as typeof fs.fstatSync,
  statSync: ((p: fs.PathLike) => fs.statSync(p)) as typeof fs.statSync,
  unlinkSync: ((p: fs.PathLike) => fs.unlinkSync(p)) as typeof fs.unlinkSync,
  write: ((...a: Parameters<typeof fs.write>) => (fs.write as (...x: unknown[]) => void)(...a)) as typeof fs.write,
  writev: ((...a: Parameters<typeof fs.writev>) => (fs.writev as (...x: unknown[]) => void)(...a)) as typeof fs.writev,
  close: ((fd: number, cb: fs.NoParamCallback) => fs.close(fd, cb)) as typeof fs.close,
};

/** A file's identity on disk: a deleted file, or one replaced by another of the same name, has another (or none). */
export interface FileIdentity {
  dev: number;
  ino: number;
}

/** A recording's new, empty file. */
export interface RecordingFile {
  file: string;
  fd: number;
  identity: FileIdentity;
}

/**
 * Create `DIR/<app>_<key>_<date-time>.<ext>`, never overwriting a file.
 * Synchronous on purpose: the recorder subscribes in the same tick as the
 * publish, so no tag can pass by while a file is being opened.
 */
export function createRecordingFile(dir: string, app: string, key: string, ext: string, at: Date): RecordingFile {
  try {
    disk.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new RtmpError(ErrorCode.Recorder, `cannot create recording folder ${dir}: ${(err as Error).message}`);
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    const file = path.join(dir, recordingFileName(app, key, at, attempt, ext));
    let fd: number;
    try {
      fd = disk.openSync(file, 'wx+');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new RtmpError(ErrorCode.Recorder, `cannot create recording ${file}: ${(err as Error).message}`);
    }
    const st = disk.fstatSync(fd);
    return { file, fd, identity: { dev: st.dev, ino: st.ino } };
  }
  throw new RtmpError(ErrorCode.Recorder, `no free recording file name in ${dir}`);
}

/**
 * Why the file at `file` is no longer the one being written (deleted, moved,
 * its folder removed or replaced), or null while it still is. Writes to a
 * deleted file succeed and vanish, so this is the only way to notice.
 */
export function lostFile(file: string, identity: FileIdentity): string | null {
  try {
    const st = disk.statSync(file);
    if (st.dev === identity.dev && st.ino === identity.ino) return null;
    return `${file} was replaced by another file: the recording's folder or file was moved or deleted`;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return `${file} is gone (${code ?? (err as Error).message}): the recording's folder or file was deleted or moved`;
  }
}

/** Remove a file that holds nothing worth keeping (no frame reached the disk); errors are ignored, the file may be gone already. */
export function removeEmpty(file: string): void {
  try {
    disk.unlinkSync(file);
  } catch {
    // Already gone (a deleted folder) or not ours to remove: nothing to clean.
  }
}

/** Close a descriptor, ignoring errors (the file is being abandoned or is finished). */
export function closeFd(fd: number): Promise<void> {
  return new Promise((resolve) => disk.close(fd, () => resolve()));
}
