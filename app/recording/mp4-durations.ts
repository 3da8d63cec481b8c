import fs from 'node:fs';

/** How much of a file's start is read to find its moov (ftyp + moov of a few tracks is a few kB). */
const HEAD_BYTES = 256 * 1024;
const CONTAINERS = new Set(['moov', 'mdia']);

interface Patch {
  pos: number;
  /** 4 or 8 bytes. */
  size: number;
  value: number;
}

/** The movie's timescale from mvhd (version 0 or 1), or 0. */
function mvhdTimescale(b: Buffer, body: number): number {
  return b.readUInt32BE(body + (b[body] === 1 ? 20 : 12));
}

/** What to write: the movie's end (ms from 0), and each track's own span (ms, by track id), its first frame to its end. */
export interface Durations {
  movie: number;
  tracks: ReadonlyMap<number, number>;
}

/**
 * Walks the boxes in `b[start, end)`, collecting where the duration fields of
 * mvhd, tkhd and mdhd are (ISO/IEC 14496-12 8.2.2, 8.3.2, 8.4.2: version 1
 * boxes have 64-bit times and durations, version 0 32-bit).
 */
function collect(b: Buffer, start: number, end: number, durations: Durations, movieScale: number, out: Patch[], trak = { id: 0 }): void {
  let p = start;
  while (p + 8 <= end) {
    const size = b.readUInt32BE(p);
    const type = b.toString('latin1', p + 4, p + 8);
    if (size < 8 || p + size > end) return;
    const body = p + 8;
    const v1 = b[body] === 1;
    const ms = (): number => durations.tracks.get(trak.id) ?? durations.movie;
    if (type === 'mvhd') out.push({ pos: body + (v1 ? 24 : 16), size: v1 ? 8 : 4, value: Math.round((durations.movie * mvhdTimescale(b, body)) / 1000) });
    else if (type === 'tkhd') {
      trak.id = b.readUInt32BE(body + (v1 ? 20 : 12));
      out.push({ pos: body + (v1 ? 28 : 20), size: v1 ? 8 : 4, value: Math.round((ms() * movieScale) / 1000) });
    } else if (type === 'mdhd') {
      const scale = b.readUInt32BE(body + (v1 ? 20 : 12));
      out.push({ pos: body + (v1 ? 24 : 16), size: v1 ? 8 : 4, value: Math.round((ms() * scale) / 1000) });
    } else if (type === 'trak') collect(b, body, p + size, durations, movieScale, out, { id: 0 });
    else if (CONTAINERS.has(type)) collect(b, body, p + size, durations, movieScale, out, trak);
    p += size;
  }
}

/** The duration fields of the moov at `moovStart` (whole in `b`) and what to write in them. */
function moovPatches(b: Buffer, moovStart: number, durations: Durations): Patch[] {
  const end = moovStart + b.readUInt32BE(moovStart);
  const mvhd = b.indexOf('mvhd', moovStart, 'latin1');
  const movieScale = mvhd > 0 && mvhd < end ? mvhdTimescale(b, mvhd + 4) : 1000;
  const patches: Patch[] = [];
  collect(b, moovStart + 8, end, durations, movieScale, patches);
  return patches;
}

/** Writes one patch into `b` at `at` (its position less `base`); false when a 32-bit field is too small for it. */
function apply(b: Buffer, q: Patch, at: number): boolean {
  if (q.size === 8) b.writeBigUInt64BE(BigInt(q.value), at);
  else if (q.value <= 0xffffffff) b.writeUInt32BE(q.value, at);
  else return false;
  return true;
}

/**
 * Sets every duration in the moov at `moovStart` (in memory) to 0: in a
 * fragmented file that reads as "not known yet" (ISO/IEC 14496-12 8.2.2.3),
 * which is true until the recording is finished and patched below.
 */
export function zeroMoovDurations(b: Buffer, moovStart: number): void {
  for (const q of moovPatches(b, moovStart, { movie: 0, tracks: new Map() })) apply(b, q, q.pos);
}

/**
 * A fragmented MP4's moov is written before its media, so it says the movie
 * lasts 0: on a clean stop, write the recording's end into mvhd and each
 * track's own span into its tkhd and mdhd (a reader adds the track's first
 * presentation time to it), in place (same field sizes), so that players show the
 * length at once; seeking uses the mfra index written at the end. A 32-bit
 * field too small for the value is left as it was. Returns false when no moov
 * was found in the file's head.
 */
export function patchMp4Durations(fd: number, durations: Durations): boolean {
  const b = Buffer.alloc(HEAD_BYTES);
  const n = fs.readSync(fd, b, 0, HEAD_BYTES, 0);
  let p = 0;
  while (p + 8 <= n) {
    const size = b.readUInt32BE(p);
    const type = b.toString('latin1', p + 4, p + 8);
    if (size < 8) return false;
    if (type === 'moov') {
      if (p + size > n) return false;
      const patches = moovPatches(b, p, durations);
      for (const q of patches) {
        const field = Buffer.alloc(q.size);
        if (apply(field, q, 0)) fs.writeSync(fd, field, 0, q.size, q.pos);
      }
      return patches.length > 0;
    }
    p += size;
  }
  return false;
}
