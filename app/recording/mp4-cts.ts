/**
 * Keeps a fragmented MP4's composition offsets non-negative.
 *
 * mediabunny takes presentation times only and makes each sample's decode
 * time the next of the sorted presentation times, so a B-frame's offset
 * (presentation − decode) is negative, in a version 1 `trun`. That is valid
 * ISO BMFF, but FFmpeg (ffprobe, and the players built on it, Chromium's
 * `<video>` among them) reads a fragment's negative offsets by moving that
 * track's presentation times later by the largest of them: video then plays
 * a reorder delay (2 frames with `-bf 3`) behind its audio.
 *
 * So every fragment is rewritten on its way to the disk, in place and at the
 * same size: each video track's decode times move back by S and its offsets
 * forward by S, S being the presentation time of the track's first frame (its
 * first `tfdt`; for an encoder's stream, the reorder delay). Presentation
 * times do not change; decode times stay ≥ 0; offsets become ≥ 0 whenever
 * the stream's reordering is no deeper than at its start. The `mfra` index
 * written at the end is moved likewise.
 */
export class Mp4TimeShift {
  /** S per video track id, in the track's timescale; set from the track's first tfdt. */
  private readonly shift = new Map<number, number>();

  constructor(private readonly videoTrackIds: ReadonlySet<number>) {}

  /** Where the next top-level box starts in the file: the walk follows box sizes, so it never reads a frame's bytes as a box. */
  private nextBox = 0;

  /**
   * Rewrites the moof and mfra boxes in a run of the file: `parts` are
   * contiguous from `pos`; `staged[i]` says part i holds the muxer's own
   * bytes (frames are never read). A box that is not whole in one staged
   * part ends the walk (nothing further is rewritten).
   */
  rewriteRun(parts: readonly Uint8Array[], staged: readonly boolean[], pos: number): void {
    let at = pos;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      const end = at + part.byteLength;
      while (this.nextBox >= at && this.nextBox < end) {
        if (!staged[i] || this.nextBox + 8 > end) {
          this.nextBox = Infinity;
          return;
        }
        const b = Buffer.from(part.buffer, part.byteOffset, part.byteLength);
        const p = this.nextBox - at;
        let size = b.readUInt32BE(p);
        const type = b.toString('latin1', p + 4, p + 8);
        if (size === 1 && p + 16 <= b.length) size = Number(b.readBigUInt64BE(p + 8));
        if (size < 8) {
          this.nextBox = Infinity;
          return;
        }
        if (type === 'moof' || type === 'mfra') {
          if (p + size > b.length) {
            this.nextBox = Infinity;
            return;
          }
          if (type === 'moof') this.moof(b, p + 8, p + size);
          else this.mfra(b, p + 8, p + size);
        }
        this.nextBox += size;
      }
      at = end;
    }
  }

  private moof(b: Buffer, start: number, end: number): void {
    for (let p = start; p + 8 <= end; p += b.readUInt32BE(p)) {
      if (b.readUInt32BE(p) < 8) return;
      if (b.toString('latin1', p + 4, p + 8) === 'traf') this.traf(b, p + 8, p + b.readUInt32BE(p));
    }
  }

  private traf(b: Buffer, start: number, end: number): void {
    let track = -1;
    let tfdt = -1;
    let trun = -1;
    for (let p = start; p + 8 <= end; p += b.readUInt32BE(p)) {
      const size = b.readUInt32BE(p);
      if (size < 8) return;
      const type = b.toString('latin1', p + 4, p + 8);
      if (type === 'tfhd') track = b.readUInt32BE(p + 12);
      else if (type === 'tfdt') tfdt = p + 8;
      else if (type === 'trun') trun = p + 8;
    }
    if (!this.videoTrackIds.has(track) || tfdt < 0) return;
    const v1 = b[tfdt] === 1;
    const dt = v1 ? Number(b.readBigUInt64BE(tfdt + 4)) : b.readUInt32BE(tfdt + 4);
    if (!this.shift.has(track)) this.shift.set(track, dt);
    const s = this.shift.get(track)!;
    // A run without composition offsets (every offset 0: a short last fragment) cannot take +S: its decode
    // times stay where they are, or its frames would be presented S early (seen: the last frame on its predecessor's time).
    if (s === 0 || trun < 0 || (b.readUIntBE(trun + 1, 3) & 0x800) === 0) return;
    const moved = Math.max(0, dt - s);
    if (v1) b.writeBigUInt64BE(BigInt(moved), tfdt + 4);
    else b.writeUInt32BE(moved, tfdt + 4);
    this.trun(b, trun, s);
  }

  /** ISO/IEC 14496-12 8.8.8: per sample [duration][size][flags][composition offset], as the flags say. */
  private trun(b: Buffer, body: number, s: number): void {
    const flags = b.readUIntBE(body + 1, 3);
    const count = b.readUInt32BE(body + 4);
    let q = body + 8 + (flags & 0x1 ? 4 : 0) + (flags & 0x4 ? 4 : 0);
    const before = ((flags & 0x100) !== 0 ? 4 : 0) + ((flags & 0x200) !== 0 ? 4 : 0) + ((flags & 0x400) !== 0 ? 4 : 0);
    b[body] = 1; // signed offsets, whatever their sign now
    for (let i = 0; i < count; i++) {
      q += before;
      b.writeInt32BE(b.readInt32BE(q) + s, q);
      q += 4;
    }
  }

  /** ISO/IEC 14496-12 8.8.10: tfra entries' times move as the fragments' decode times did. */
  private mfra(b: Buffer, start: number, end: number): void {
    for (let p = start; p + 8 <= end; p += b.readUInt32BE(p)) {
      const size = b.readUInt32BE(p);
      if (size < 8 || p + size > end) return;
      if (b.toString('latin1', p + 4, p + 8) !== 'tfra') continue;
      const body = p + 8;
      const v1 = b[body] === 1;
      const s = this.shift.get(b.readUInt32BE(body + 4));
      if (!s) continue;
      const lengths = b.readUInt32BE(body + 8);
      const tail = ((lengths >> 4) & 3) + 1 + ((lengths >> 2) & 3) + 1 + (lengths & 3) + 1;
      const n = b.readUInt32BE(body + 12);
      let q = body + 16;
      for (let i = 0; i < n; i++) {
        if (v1) b.writeBigUInt64BE(BigInt(Math.max(0, Number(b.readBigUInt64BE(q)) - s)), q);
        else b.writeUInt32BE(Math.max(0, b.readUInt32BE(q) - s), q);
        q += (v1 ? 16 : 8) + tail;
      }
    }
  }
}
