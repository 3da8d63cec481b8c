/**
 * Test support: a disk with room for only `bytes`. A real one where mount is
 * permitted (root: a tmpfs of that size); otherwise the recorder's fs seam
 * (`disk.write`) fails writes past `bytes` with ENOSPC, as a full disk does.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { disk } from '../../app/recording/disk.js';

export interface FullDisk {
  /** 'tmpfs' or 'injected'. */
  kind: 'tmpfs' | 'injected';
  dir: string;
  release(): void;
}

/** A folder at `dir` (created) on a disk with room for about `bytes`. */
export function smallDisk(dir: string, bytes: number): FullDisk {
  fs.mkdirSync(dir, { recursive: true });
  const kb = Math.max(4, Math.ceil(bytes / 1024));
  if (process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', dir]).status === 0) {
    return { kind: 'tmpfs', dir, release: () => void spawnSync('umount', ['-l', dir]) };
  }
  const original = disk.write;
  let used = 0;
  disk.write = ((fd: number, buf: Uint8Array, off: number, len: number, pos: number | null, cb: (err: NodeJS.ErrnoException | null, n: number) => void) => {
    if (used + len > bytes) {
      const err: NodeJS.ErrnoException = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      setImmediate(() => cb(err, 0));
      return;
    }
    used += len;
    original(fd, buf, off, len, pos, cb);
  }) as typeof disk.write;
  return { kind: 'injected', dir, release: () => void (disk.write = original) };
}

/** Fill the rest of a disk (a file that takes every free byte). */
export function fill(d: FullDisk): void {
  if (d.kind === 'injected') {
    const original = disk.write;
    disk.write = ((...args: Parameters<typeof disk.write>) => {
      const cb = args.at(-1) as (err: NodeJS.ErrnoException | null, n: number) => void;
      setImmediate(() => cb(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), 0));
      void original;
    }) as typeof disk.write;
    return;
  }
  const fd = fs.openSync(`${d.dir}/filler`, 'w');
  const block = Buffer.alloc(4096);
  try {
    for (;;) fs.writeSync(fd, block);
  } catch {
    // ENOSPC: full.
  } finally {
    fs.closeSync(fd);
  }
}
