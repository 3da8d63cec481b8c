import fs from 'node:fs';
import path from 'node:path';
import { encodeAmf0 } from '../amf/amf0.js';
import { type AmfObject, ecmaArray } from '../amf/types.js';
import type { RecordingInfo } from '../contract/engine.js';
import { ErrorCode, RtmpError } from '../errors.js';
import { FLV_HEADER_SIZE, FLV_TAG_HEADER_SIZE, flvTagSize, writeFlvHeader, writeFlvTag } from '../flv/flv-mux.js';
import type { MediaTag, StreamSubscriber } from '../streams/media-tag.js';
import { AppendWriter } from './append-writer.js';
import { recordingFileName } from './file-name.js';

/**
 * Staged bytes reach the OS at most this long after they arrive (a slow
 * stream's staging fills sooner: see AppendWriter). A killed process loses at
 * most this much; fewer, larger writes are what keeps 100 recordings cheap.
 */
const FLUSH_MS = 1000;


function close(fd: number): Promise<void> {
  return new Promise((resolve) => fs.close(fd, () => resolve()));
}

function pwrite(fd: number, b: Buffer, pos: number): Promise<void> {
  return new Promise((resolve, reject) => fs.write(fd, b, 0, b.length, pos, (err) => (err ? reject(err) : resolve())));
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
  /** Above this many unwritten bytes the publisher is slowed until a quarter of it is left (default 4 MB, `Limits.recordBacklogBytes`). */
  maxBacklog?: number;
}

/**
 * Writes one publish to one .flv file: header, our onMetaData (the stream's,
 * with duration and filesize fields we can patch), then every tag as
 * received with timestamps rebased to the first one. Append-only: tags are
 * written whole and in order, so a killed process leaves a file that is
 * readable up to its last complete tag. On a clean end the two metadata
 * doubles are patched in place.
 */
export class FlvRecorder implements StreamSubscriber {
  readonly kind = 'recorder' as const;
  readonly file: string;
  videoFrames = 0;
  audioFrames = 0;
  /** Set by whoever subscribed this recorder to a stream. */
  unsubscribe: (() => void) | undefined;
  private readonly out: AppendWriter;
  private readonly fd: number;
  private wroteHeader = false;
  private wroteMetadata = false;
  private timer: NodeJS.Timeout | null = null;
  private base: number | null = null;
  private lastTs = 0;
  private durationAt = -1;
  private filesizeAt = -1;
  private state: RecordingInfo['state'] = 'recording';
  private error: RtmpError | undefined;
  private closed: Promise<void> | null = null;

  private constructor(
    private readonly opts: RecorderOptions,
    file: string,
    fd: number,
  ) {
    this.file = file;
    this.fd = fd;
    this.out = new AppendWriter(
      fd,
      (err) => this.fail(err),
      () => this.opts.onUpdate?.(this.info()),
    );
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
        return new FlvRecorder(opts, file, fs.openSync(file, 'wx'));
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
      bytes: this.out.accepted,
      durationMs: this.lastTs,
      videoFrames: this.videoFrames,
      audioFrames: this.audioFrames,
      state: this.state,
    };
    if (this.error) i.error = this.error.toJSON();
    return i;
  }

  /** Copies the tag: its body belongs to the engine and is reused after this call. */
  tag(tag: MediaTag): void {
    if (this.state !== 'recording') return;
    if (!this.wroteHeader) this.writeHeader();
    if (tag.type === 18 && !this.wroteMetadata) {
      this.writeMetadata(tag.meta ?? null);
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

  /** A promise to wait on before reading more from the publisher, when the disk is behind. */
  pressure(): Promise<void> | null {
    const high = this.opts.maxBacklog ?? 4 * 1024 * 1024;
    return this.out.pressure(high, high / 4);
  }

  /** Write everything, patch duration and filesize, close the file. Idempotent. */
  close(): Promise<void> {
    this.closed ??= this.finish();
    return this.closed;
  }

  private async finish(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.state === 'recording' && !this.wroteHeader) this.writeHeader();
    if (this.state === 'recording' && !this.wroteMetadata) this.writeMetadata(null);
    await this.out.drain();
    try {
      if (this.state === 'recording') {
        const b = Buffer.allocUnsafe(8);
        if (this.durationAt >= 0) {
          b.writeDoubleBE(this.lastTs / 1000, 0);
          await pwrite(this.fd, b, this.durationAt);
        }
        if (this.filesizeAt >= 0) {
          b.writeDoubleBE(this.out.written, 0);
          await pwrite(this.fd, b, this.filesizeAt);
        }
        this.state = 'finished';
      }
    } catch (err) {
      this.fail(err as Error);
    } finally {
      await close(this.fd);
      this.opts.onUpdate?.(this.info());
    }
  }

  private writeHeader(): void {
    this.wroteHeader = true;
    const { buf, off } = this.out.reserve(FLV_HEADER_SIZE);
    writeFlvHeader(buf, off, this.opts.flags());
  }

  /**
   * Our onMetaData: the stream's values with duration and filesize to patch at the end. The values
   * come decoded with the tag (the session decoded them once); only our version is encoded here.
   */
  private writeMetadata(meta: AmfObject | null): void {
    this.wroteMetadata = true;
    const body = encodeAmf0(['onMetaData', ecmaArray({ ...meta, duration: 0, filesize: 0 })]);
    const tagStart = this.out.accepted;
    const d = doubleOffset(body, 'duration');
    const f = doubleOffset(body, 'filesize');
    this.durationAt = d < 0 ? -1 : tagStart + FLV_TAG_HEADER_SIZE + d;
    this.filesizeAt = f < 0 ? -1 : tagStart + FLV_TAG_HEADER_SIZE + f;
    this.appendTag(18, 0, body);
  }

  /** One FLV tag, framed by the shared writer straight into the file's staging (the body's one copy). */
  private appendTag(type: number, ts: number, body: Uint8Array): void {
    const { buf, off } = this.out.reserve(flvTagSize(body.length));
    writeFlvTag(buf, off, type, ts, body);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.out.flush();
    }, FLUSH_MS);
  }

  private fail(err: Error): void {
    if (this.state === 'failed') return;
    this.state = 'failed';
    this.error = new RtmpError(ErrorCode.Recorder, `recording ${this.file} failed: ${err.message}`);
    this.opts.onUpdate?.(this.info());
  }
}
