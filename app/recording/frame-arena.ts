/** Frames are copied into chunks of this size. */
const CHUNK_BYTES = 1024 * 1024;
/** A frame larger than this gets a buffer of its own (it would waste most of a chunk's tail). */
const MAX_PACKED_BYTES = CHUNK_BYTES / 4;
/** Chunks kept for reuse once the disk has taken them; more are left to the collector. */
const MAX_SPARES = 4;

interface Retired {
  chunk: Buffer;
  /** The fragment (0-based count of cuts) open when the chunk filled up: its frames belong to it or earlier ones. */
  fragment: number;
  /** Where that fragment ends in the file, once it is cut. */
  end: number;
}

/**
 * Where an MP4 recording keeps the frames it must copy (the engine reuses
 * its reassembly buffers): packed into 1 MB chunks, reused once the disk has
 * taken every fragment that holds a frame of them.
 *
 * Why: a copy per frame (`slice`) made an ArrayBuffer per frame, 9,000 video
 * and 14,000 audio frames for the bench's 5 minutes, each an external
 * allocation V8 collects late; the FLV writer's staging does the same with
 * reused 1 MB buffers (append-writer.ts). `written` is the file sink's count
 * of bytes taken: an MP4 recording writes its head and fragments in file
 * order, so that count is also the file position the disk has reached.
 */
export class FrameArena {
  private chunk: Buffer | null = null;
  private used = 0;
  private readonly retired: Retired[] = [];
  private readonly spares: Buffer[] = [];
  private fragments = 0;

  constructor(private readonly written: () => number) {}

  /** A copy of `data` that stays valid until the fragment holding it is on the disk. */
  readonly keep = (data: Uint8Array): Uint8Array => {
    const n = data.byteLength;
    if (n > MAX_PACKED_BYTES) return Uint8Array.prototype.slice.call(data);
    if (!this.chunk || this.used + n > this.chunk.byteLength) this.next();
    const at = this.used;
    this.chunk!.set(data, at);
    this.used += n;
    return this.chunk!.subarray(at, at + n);
  };

  /** The writer cut a fragment that ends at `end` in the file. */
  cut(end: number): void {
    for (let i = this.retired.length - 1; i >= 0 && this.retired[i].fragment === this.fragments; i--) this.retired[i].end = end;
    this.fragments++;
  }

  private next(): void {
    if (this.chunk) this.retired.push({ chunk: this.chunk, fragment: this.fragments, end: Infinity });
    const disk = this.written();
    while (this.retired.length > 0 && this.retired[0].end <= disk) {
      const r = this.retired.shift()!;
      if (this.spares.length < MAX_SPARES) this.spares.push(r.chunk);
    }
    this.chunk = this.spares.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES);
    this.used = 0;
  }
}
