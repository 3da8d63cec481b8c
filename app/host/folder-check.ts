import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, RtmpError } from '../errors.js';

/** How long a folder check may take: a hung network mount must not hang the caller. */
export const FOLDER_CHECK_TIMEOUT_MS = 3000;
/** Deeper than this is not a folder anyone chose: refused before touching the disk. */
const MAX_DEPTH = 64;

const WHY: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the disk',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links',
  EIO: 'input/output error',
};

/** The OS's code, then what it means ("EACCES: permission denied"). */
function why(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (!code) return (err as Error).message;
  return WHY[code] ? `${code}: ${WHY[code]}` : code;
}

const fail = (abs: string, reason: string): RtmpError => new RtmpError(ErrorCode.Recorder, `cannot write recordings to ${abs}: ${reason}`);

/**
 * Check a recording folder when it is chosen: it exists or can be made, and
 * a file can be created in it. Resolves with the absolute path, or rejects
 * with RtmpError('recorder') saying why not.
 *
 * Bounded on purpose. Node's `mkdir(…, {recursive: true})` spins for ever
 * on a path such as `/proc/nope/rec` (each mkdir says ENOENT, so it retries
 * the parent, which exists): that once hung `intake serve` whole. Here each
 * missing level is made once, top down, at most MAX_DEPTH of them, and the
 * whole check gives up after `timeoutMs`.
 */
export function checkFolder(dir: string, timeoutMs = FOLDER_CHECK_TIMEOUT_MS): Promise<string> {
  if (typeof dir !== 'string' || dir.trim() === '' || dir.includes('\0')) return Promise.reject(fail(String(dir).replace(/\0/g, '\\0'), 'EINVAL: not a folder path'));
  const abs = path.resolve(dir);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(fail(abs, `ETIMEDOUT: the disk did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  return Promise.race([check(abs), late]).finally(() => clearTimeout(timer));
}

async function check(abs: string): Promise<string> {
  // The missing levels, deepest first, up to the first that exists.
  const missing: string[] = [];
  let at = abs;
  for (;;) {
    if (missing.length > MAX_DEPTH) throw fail(abs, `ENAMETOOLONG: more than ${MAX_DEPTH} folders to create`);
    try {
      const st = await fs.stat(at);
      if (!st.isDirectory()) throw fail(abs, `ENOTDIR: ${at} is a file, not a folder`);
      break;
    } catch (err) {
      if (err instanceof RtmpError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      // ENOTDIR: a file somewhere above, which the climb finds and names.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw fail(abs, `${why(err)} (${at})`);
    }
    const parent = path.dirname(at);
    if (parent === at) throw fail(abs, 'ENOENT: no folder of it exists');
    missing.push(at);
    at = parent;
  }
  for (const level of missing.reverse()) {
    try {
      await fs.mkdir(level);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && (await fs.stat(level).then((s) => s.isDirectory(), () => false))) continue;
      throw fail(abs, code === 'ENOENT' ? `ENOENT: ${path.dirname(level)} does not take new folders` : `${why(err)} (creating ${level})`);
    }
  }
  const probe = path.join(abs, `.intake-check-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  try {
    await (await fs.open(probe, 'wx')).close();
  } catch (err) {
    throw fail(abs, `${why(err)} (creating a file in it)`);
  }
  await fs.unlink(probe).catch(() => {});
  return abs;
}
