import { BufferPool } from './buffer-pool.js';

/** A frame larger than this gets a buffer of its own (it would waste most of a chunk's tail). */
const MAX_PACKED_BYTES = 256 * 1024;
/**
 * Chunks of 128 kB (a 2 Mbit/s stream fills one in about half a second),
 * up to 1 MB for a fast stream; 32 written 128 kB chunks shared by every
 * arena (100 slow streams need a chunk each and a few spares between them:
 * 4 MB idle at most), and up to 8 larger ones kept by each fast stream (8 MB
 * idle). Why so many: with at most 4 kept, `intake record --format mp4`
 * taking the bench's ingest at chunk size 4096 peaked at 94-97 MB of RSS
 * (arrayBuffers 27 MB); with 8, at 79 MB (arrayBuffers 11-13 MB): a stream
 * pushed at full speed has the disk's backlog (up to 4 MB, the recorder's
 * backpressure) and a fragment in chunks at once.
 */
const CHUNKS = new BufferPool(128 * 1024, 1024 * 1024, 32, 8);

interface Retired {
  chunk: Buffer;
  /** The fragment (0-based count of cuts) open when the chunk filled up: its frames belong to it or earlier ones. */
  fragment: number;
  /** Where that fragment ends in the file, once it is cut. */
  end: number;
}

/**
 * Where an MP4 recording keeps the frames it must copy (the engine reuses
 * its reassembly buffers): packed into chunks (a {@link BufferPool}, as the
 * FLV writer's staging in append-writer.ts), reused once the
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
  private readonly chunks = CHUNKS.writer();
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
    if (this.chunk) {
      // Filled quickly: a fast stream, whose next chunk is bigger.
      this.chunks.filled(this.chunk);
      this.retired.push({ chunk: this.chunk, fragment: this.fragments, end: Infinity });
    }
    const disk = this.written();
    while (this.retired.length > 0 && this.retired[0].end <= disk) this.chunks.give(this.retired.shift()!.chunk);
    this.chunk = this.chunks.take(0);
    this.used = 0;
  }
}
