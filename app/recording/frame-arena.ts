/** A slow stream's chunk: a 2 Mbit/s stream fills it in about half a second. */
const MIN_CHUNK = 128 * 1024;
/** Fast streams (a file pushed as fast as the socket goes) get chunks up to this. */
const MAX_CHUNK = 1024 * 1024;
/** A chunk filled faster than this belongs to a fast stream: the next one is twice the size. */
const FAST_FILL_MS = 100;
/** A frame larger than this gets a buffer of its own (it would waste most of a chunk's tail). */
const MAX_PACKED_BYTES = 256 * 1024;
/**
 * Chunks a fast stream keeps for reuse once the disk has taken them (up to
 * 8 MB idle). Why so many: a dropped chunk has usually lived long enough to
 * reach V8's old space, where its memory waits for a full collection. With
 * at most 4 kept, `intake record --format mp4` taking the bench's ingest at
 * chunk size 4096 peaked at 94-97 MB of RSS (arrayBuffers 27 MB); with 8, at
 * 79 MB (arrayBuffers 11-13 MB): a stream pushed at full speed has the
 * disk's backlog (up to 4 MB, the recorder's backpressure) and a fragment in
 * chunks at once.
 */
const MAX_SPARES = 8;
/** Written MIN_CHUNK chunks, shared by every arena: 100 slow streams need a chunk each and a few spares between them (4 MB idle at most). */
const sharedSpares: Buffer[] = [];
const MAX_SHARED_SPARES = 32;

interface Retired {
  chunk: Buffer;
  /** The fragment (0-based count of cuts) open when the chunk filled up: its frames belong to it or earlier ones. */
  fragment: number;
  /** Where that fragment ends in the file, once it is cut. */
  end: number;
}

/**
 * Where an MP4 recording keeps the frames it must copy (the engine reuses
 * its reassembly buffers): packed into chunks (128 kB, up to 1 MB for a fast
 * stream, as the FLV writer's staging in append-writer.ts), reused once the
 * disk has taken every fragment that holds a frame of them.
 *
 * Why: a copy per frame (`slice`) made an ArrayBuffer per frame, 9,000 video
 * and 14,000 audio frames for the bench's 5 minutes, each an external
 * allocation V8 collects late (ingest at chunk size 128: MP4 ÷ FLV CPU per
 * GB 1.47 with them, 1.14 with the arena). `written` is the file sink's count
 * of bytes taken: an MP4 recording writes its head and fragments in file
 * order, so that count is also the file position the disk has reached.
 */
export class FrameArena {
  private chunk: Buffer | null = null;
  private used = 0;
  private readonly retired: Retired[] = [];
  private readonly spares: Buffer[] = [];
  private fragments = 0;
  private nextSize = MIN_CHUNK;
  private takenAt = 0;

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
    if (this.chunk) {
      // Filled quickly: a fast stream, give it a bigger chunk next.
      if (performance.now() - this.takenAt < FAST_FILL_MS) this.nextSize = Math.min(this.chunk.byteLength * 2, MAX_CHUNK);
      this.retired.push({ chunk: this.chunk, fragment: this.fragments, end: Infinity });
    }
    const disk = this.written();
    while (this.retired.length > 0 && this.retired[0].end <= disk) this.give(this.retired.shift()!.chunk);
    this.chunk = this.take();
    this.takenAt = performance.now();
    this.used = 0;
  }

  private take(): Buffer {
    if (this.nextSize === MIN_CHUNK) return sharedSpares.pop() ?? Buffer.allocUnsafeSlow(MIN_CHUNK);
    const i = this.spares.findIndex((b) => b.byteLength >= this.nextSize);
    return i >= 0 ? this.spares.splice(i, 1)[0] : Buffer.allocUnsafeSlow(this.nextSize);
  }

  private give(chunk: Buffer): void {
    if (chunk.byteLength === MIN_CHUNK) {
      if (sharedSpares.length < MAX_SHARED_SPARES) sharedSpares.push(chunk);
    } else if (chunk.byteLength >= this.nextSize && this.spares.length < MAX_SPARES) this.spares.push(chunk);
  }
}
