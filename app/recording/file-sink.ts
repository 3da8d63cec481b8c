import { disk } from './disk.js';
import { type WriteDone, WriteQueue } from './write-queue.js';

/** At most this many buffers in one `writev` (POSIX IOV_MAX is 1024 on Linux). */
const MAX_IOV = 1024;

interface Run {
  readonly parts: Uint8Array[];
  readonly pos: number;
  readonly bytes: number;
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
  private readonly queue: WriteQueue<Run>;
  /** The end of the file as written so far. */
  size = 0;

  constructor(
    private readonly fd: number,
    onError: (err: Error) => void,
    onWritten?: () => void,
  ) {
    this.queue = new WriteQueue<Run>((run, done, cb) => this.writeRun(run, done, cb), onError, onWritten);
  }

  /** Bytes the OS has taken. */
  get written(): number {
    return this.queue.written;
  }

  /** Bytes handed over but not yet taken by the OS. */
  get backlog(): number {
    return this.queue.backlog;
  }

  /** The first failure, if any. */
  get failed(): Error | null {
    return this.queue.failed;
  }

  /** Queue `data` (kept by reference: the caller no longer touches it) for `pos`. */
  write(data: Uint8Array, pos: number): void {
    this.writeParts([data], pos);
  }

  /** Queue contiguous `parts` (kept by reference) starting at `pos`. */
  writeParts(parts: Uint8Array[], pos: number): void {
    let bytes = 0;
    for (const p of parts) bytes += p.byteLength;
    this.queue.push({ parts, pos, bytes });
  }

  /** Resolves once everything queued is written (or the sink failed). */
  drain(): Promise<void> {
    return this.queue.drain();
  }

  /** Writes `run` from its byte `done` on (0, or where a short write stopped). */
  private writeRun(run: Run, done: number, cb: WriteDone): void {
    // Skip the parts already written whole; go on inside the one written in part.
    let i = 0;
    let off = done;
    while (off >= run.parts[i].byteLength) off -= run.parts[i++].byteLength;
    const iov = run.parts.slice(i, i + MAX_IOV);
    if (off > 0) iov[0] = iov[0].subarray(off);
    const at = run.pos + done;
    const wrote: WriteDone = (err, n) => {
      if (!err) this.size = Math.max(this.size, at + n);
      cb(err, n);
    };
    // One buffer: a plain write (tests inject failures there); several: one writev.
    if (iov.length === 1) disk.write(this.fd, iov[0], 0, iov[0].byteLength, at, wrote);
    else disk.writev(this.fd, iov as NodeJS.ArrayBufferView[], at, wrote);
  }
}
