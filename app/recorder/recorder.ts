import fs from 'node:fs';
import path from 'node:path';
import { decodeAmf0All, encodeAmf0 } from '../amf/amf0.js';
import { type AmfObject, ecmaArray } from '../amf/types.js';
import type { RecordingInfo } from '../contract.js';
import { ErrorCode, RtmpError } from '../errors.js';
import type { MediaTag, StreamSubscriber } from '../streams/media-tag.js';
import { recordingFileName } from './file-name.js';

function writev(fd: number, buffers: Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => fs.writev(fd, buffers, (err, n) => (err ? reject(err) : resolve(n))));
}
function write(fd: number, b: Buffer, off: number, len: number, pos: number): Promise<number> {
  return new Promise((resolve, reject) => fs.write(fd, b, off, len, pos, (err, n) => (err ? reject(err) : resolve(n))));
}
function close(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.close(fd, (err) => (err ? reject(err) : resolve())));
}

/** Flush when this much is pending, or after FLUSH_MS, whichever comes first. */
const FLUSH_BYTES = 512 * 1024;
const FLUSH_MS = 100;
/** A disk that stops taking writes fails the recording, not the process. */
const MAX_PENDING_BYTES = 256 * 1024 * 1024;

/** The stream's onMetaData object, or null when it cannot be read. */
function decodeMeta(body: Buffer): AmfObject | null {
  try {
    const o = decodeAmf0All(body)[1];
    if (o && typeof o === 'object' && !Array.isArray(o) && !(o instanceof Date) && !(o instanceof Uint8Array)) return { ...(o as AmfObject) };
  } catch {
    // Metadata we cannot read is replaced by ours; the media is what matters.
  }
  return null;
}

/** The double after `\0\x08duration` or `\0\x08filesize` in an encoded onMetaData (AMF0 key, marker 0x00, 8-byte double). */
function doubleOffset(body: Buffer, key: string): number {
  const needle = Buffer.concat([Buffer.from([0, key.length]), Buffer.from(key, 'latin1'), Buffer.from([0])]);
  const i = body.indexOf(needle);
  return i < 0 ? -1 : i + needle.length;
}

export interface RecorderOptions {
  dir: string;
  app: string;
  key: string;
  streamPath: string;
  /** FLV header flags, asked when the first tag arrives (after the stream's metadata, if any). */
  flags: () => { audio: boolean; video: boolean };
  onUpdate?: (info: RecordingInfo) => void;
  now?: () => Date;
}

/**
 * Writes one publish to one .flv file: header, our onMetaData (the stream's,
 * with duration and filesize fields we can patch), then every tag as
 * received with timestamps rebased to the first one. Append-only: tags are
 * written whole, in order, with one writev per batch, so a killed process
 * leaves a file that is readable up to its last complete tag. On a clean end
 * the two metadata doubles are patched in place.
 *
 * Why writev of the tags' own buffers: the bodies are the bytes reassembled
 * from the socket; only the 15 bytes of framing per tag are new, so a
 * recording costs no copy of the media.
 */
export class FlvRecorder implements StreamSubscriber {
  readonly kind = 'recorder' as const;
  readonly file: string;
  videoFrames = 0;
  /** Set by whoever subscribed this recorder to a stream. */
  unsubscribe: (() => void) | undefined;
  audioFrames = 0;
  private fd: number | null = null;
  private wroteHeader = false;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private written = 0;
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private base: number | null = null;
  private lastTs = 0;
  private durationAt = -1;
  private filesizeAt = -1;
  private wroteMetadata = false;
  private state: RecordingInfo['state'] = 'recording';
  private error: RtmpError | undefined;
  private closed: Promise<void> | null = null;

  private constructor(
    private readonly opts: RecorderOptions,
    file: string,
  ) {
    this.file = file;
  }

  /**
   * Create the file (never overwriting one). Synchronous on purpose: the
   * recorder subscribes in the same tick as the publish, so no tag can pass
   * by while a file is being opened.
   */
  static open(opts: RecorderOptions): FlvRecorder {
    try {
      fs.mkdirSync(opts.dir, { recursive: true });
    } catch (err) {
      throw new RtmpError(ErrorCode.Recorder, `cannot create recording folder ${opts.dir}: ${(err as Error).message}`);
    }
    const at = opts.now?.() ?? new Date();
    for (let attempt = 0; attempt < 100; attempt++) {
      const file = path.join(opts.dir, recordingFileName(opts.app, opts.key, at, attempt));
      try {
        const fd = fs.openSync(file, 'wx');
        const rec = new FlvRecorder(opts, file);
        rec.fd = fd;
        return rec;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw new RtmpError(ErrorCode.Recorder, `cannot create recording ${file}: ${(err as Error).message}`);
      }
    }
    throw new RtmpError(ErrorCode.Recorder, `no free recording file name in ${opts.dir}`);
  }

  info(): RecordingInfo {
    const i: RecordingInfo = {
      path: this.opts.streamPath,
      file: this.file,
      bytes: this.written + this.pendingBytes,
      durationMs: this.lastTs,
      videoFrames: this.videoFrames,
      audioFrames: this.audioFrames,
      state: this.state,
    };
    if (this.error) i.error = this.error.toJSON();
    return i;
  }

  tag(tag: MediaTag): void {
    if (this.state !== 'recording') return;
    if (!this.wroteHeader) this.writeHeader();
    if (tag.type === 18 && !this.wroteMetadata) {
      this.writeMetadata(tag.body);
      return;
    }
    if (!this.wroteMetadata) this.writeMetadata(null);
    if (this.base === null) this.base = tag.timestamp;
    const ts = (tag.timestamp - this.base) >>> 0;
    if (ts > this.lastTs && ts < 0x80000000) this.lastTs = ts;
    this.appendTag(tag.type, ts, tag.body);
    if (tag.frame) {
      if (tag.type === 9) this.videoFrames++;
      else if (tag.type === 8) this.audioFrames++;
    }
  }

  end(): void {
    void this.close();
  }

  /** Flush everything, patch duration and filesize, close the file. Idempotent. */
  close(): Promise<void> {
    this.closed ??= this.finish();
    return this.closed;
  }

  private async finish(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.state === 'recording' && !this.wroteHeader) this.writeHeader();
    if (this.state === 'recording' && !this.wroteMetadata) this.writeMetadata(null);
    await this.flush();
    const fd = this.fd;
    if (fd === null) return;
    try {
      if (this.state === 'recording') {
        const b = Buffer.allocUnsafe(8);
        if (this.durationAt >= 0) {
          b.writeDoubleBE(this.lastTs / 1000, 0);
          await write(fd, b, 0, 8, this.durationAt);
        }
        if (this.filesizeAt >= 0) {
          b.writeDoubleBE(this.written, 0);
          await write(fd, b, 0, 8, this.filesizeAt);
        }
        this.state = 'finished';
      }
    } catch (err) {
      this.fail(err);
    } finally {
      this.fd = null;
      await close(fd).catch(() => {});
      this.opts.onUpdate?.(this.info());
    }
  }

  private writeHeader(): void {
    this.wroteHeader = true;
    const { audio, video } = this.opts.flags();
    this.queue(Buffer.from([0x46, 0x4c, 0x56, 1, (audio ? 4 : 0) | (video ? 1 : 0), 0, 0, 0, 9, 0, 0, 0, 0]));
  }

  /** Our onMetaData: the stream's values with duration and filesize to patch at the end. */
  private writeMetadata(streamBody: Buffer | null): void {
    this.wroteMetadata = true;
    let meta: AmfObject = {};
    if (streamBody) {
      // The stream's body is "onMetaData", {...}: keep its values, but as an ECMA array we control.
      const m = decodeMeta(streamBody);
      if (m) meta = m;
    }
    const obj = ecmaArray({ ...meta, duration: 0, filesize: 0 });
    const body = encodeAmf0(['onMetaData', obj]);
    const tagStart = this.written + this.pendingBytes;
    const d = doubleOffset(body, 'duration');
    const f = doubleOffset(body, 'filesize');
    this.durationAt = d < 0 ? -1 : tagStart + 11 + d;
    this.filesizeAt = f < 0 ? -1 : tagStart + 11 + f;
    this.appendTag(18, 0, body);
  }

  private appendTag(type: number, ts: number, body: Buffer): void {
    const h = Buffer.allocUnsafe(11);
    h[0] = type;
    h.writeUIntBE(body.length, 1, 3);
    h.writeUIntBE(ts & 0xffffff, 4, 3);
    h[7] = (ts >>> 24) & 0xff;
    h[8] = h[9] = h[10] = 0;
    const t = Buffer.allocUnsafe(4);
    t.writeUInt32BE(11 + body.length, 0);
    this.queue(h);
    if (body.length) this.queue(body);
    this.queue(t);
  }

  private queue(b: Buffer): void {
    this.pending.push(b);
    this.pendingBytes += b.length;
    if (this.pendingBytes > MAX_PENDING_BYTES) {
      this.fail(new Error(`the disk did not take ${MAX_PENDING_BYTES >> 20} MB of pending writes`));
      return;
    }
    if (this.pendingBytes >= FLUSH_BYTES) void this.flush();
    else this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, FLUSH_MS);
  }

  private async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.fd === null || this.pending.length === 0) return;
    const batch = this.pending;
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    this.writing = this.writeAll(batch, bytes).finally(() => {
      this.writing = null;
    });
    await this.writing;
  }

  private async writeAll(batch: Buffer[], bytes: number): Promise<void> {
    const fd = this.fd!;
    try {
      // writev takes at most IOV_MAX (1024) buffers per call on Linux.
      for (let i = 0; i < batch.length; i += 1024) {
        const part = batch.slice(i, i + 1024);
        let want = 0;
        for (const b of part) want += b.length;
        const bytesWritten = await writev(fd, part);
        if (bytesWritten !== want) throw new Error(`short write: ${bytesWritten} of ${want} bytes`);
      }
      this.written += bytes;
      this.opts.onUpdate?.(this.info());
    } catch (err) {
      this.fail(err);
    }
  }

  private fail(err: unknown): void {
    if (this.state === 'failed') return;
    this.state = 'failed';
    this.error = new RtmpError(ErrorCode.Recorder, `recording ${this.file} failed: ${(err as Error).message}`);
    this.pending = [];
    this.pendingBytes = 0;
    this.opts.onUpdate?.(this.info());
  }
}


