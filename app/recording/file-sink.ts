import { disk } from './disk.js';

/** A disk that stops taking writes fails the file, not the process. */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;
/** At most this many buffers in one `writev` (POSIX IOV_MAX is 1024 on Linux). */
const MAX_IOV = 1024;

interface Run {
  parts: Uint8Array[];
  pos: number;
  bytes: number;
}

/**
 * Positional writes of a muxer's output to one file, in order, one write in
 * flight: a run of contiguous parts (a fragment's moof and the frames of its
 * mdat, each still the buffer it was received in) goes to the OS as one
 * `writev`, so no frame is copied on its way to the disk. Writes carry their
 * position: at the end the muxer seeks back to patch its headers. Bounded:
 * past 64 MB queued the file fails.
 */
export class FileSink {
  private readonly queue: Run[] = [];
  private queuedBytes = 0;
  private inFlight = false;
  private error: Error | null = null;
  private idle: (() => void)[] = [];
  /** Bytes the OS has taken. */
  written = 0;
  /** The end of the file as written so far. */
  size = 0;

  constructor(
    private readonly fd: number,
    private readonly onError: (err: Error) => void,
    private readonly onWritten?: () => void,
  ) {}

  /** Bytes handed over but not yet taken by the OS. */
  get backlog(): number {
    return this.queuedBytes;
  }

  /** The first failure, if any. */
  get failed(): Error | null {
    return this.error;
  }

  /** Queue `data` (kept by reference: the caller no longer touches it) for `pos`. */
  write(data: Uint8Array, pos: number): void {
    this.writeParts([data], pos);
  }

  /** Queue contiguous `parts` (kept by reference) starting at `pos`. */
  writeParts(parts: Uint8Array[], pos: number): void {
    if (this.error) return;
    let bytes = 0;
    for (const p of parts) bytes += p.byteLength;
    if (bytes === 0) return;
    this.queue.push({ parts, pos, bytes });
    this.queuedBytes += bytes;
    if (this.queuedBytes > MAX_QUEUED_BYTES) {
      this.fail(new Error(`the disk has not taken ${this.queuedBytes >> 20} MB of queued writes`));
      return;
    }
    this.next();
  }

  /** Resolves once everything queued is written (or the sink failed). */
  drain(): Promise<void> {
    if (!this.inFlight && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private next(): void {
    if (this.inFlight) return;
    const run = this.queue[0];
    if (!run || this.error) {
      const waiters = this.idle;
      this.idle = [];
      for (const w of waiters) w();
      return;
    }
    this.inFlight = true;
    this.writeFrom(run, 0, 0);
  }

  /** Writes `run` from part `i`, byte `off` of it; a short write goes on where it stopped. */
  private writeFrom(run: Run, i: number, off: number): void {
    const iov = run.parts.slice(i, i + MAX_IOV);
    if (off > 0) iov[0] = iov[0].subarray(off);
    let done = 0;
    for (let k = 0; k < i; k++) done += run.parts[k].byteLength;
    const at = run.pos + done + off;
    const cb = (err: NodeJS.ErrnoException | null, n: number): void => {
      if (err) {
        this.inFlight = false;
        this.fail(err);
        return;
      }
      this.written += n;
      this.size = Math.max(this.size, at + n);
      // Skip the parts this write took whole; go on inside the one it took part of.
      let left = n + off;
      let j = i;
      while (j < run.parts.length && left >= run.parts[j].byteLength) left -= run.parts[j++].byteLength;
      if (j < run.parts.length) {
        this.writeFrom(run, j, left);
        return;
      }
      this.inFlight = false;
      this.queue.shift();
      this.queuedBytes -= run.bytes;
      this.onWritten?.();
      this.next();
    };
    // One buffer: a plain write (tests inject failures there); several: one writev.
    if (iov.length === 1) disk.write(this.fd, iov[0], 0, iov[0].byteLength, at, cb);
    else disk.writev(this.fd, iov as NodeJS.ArrayBufferView[], at, cb);
  }

  private fail(err: Error): void {
    if (this.error) return;
    this.error = err;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.onError(err);
    this.next();
  }
}
