import { encodeAmf0 } from '../amf/amf0.js';
import { type AmfObject, ecmaArray } from '../amf/types.js';
import type { RecordingInfo } from '../contract/engine.js';
import { ErrorCode, RtmpError } from '../errors.js';
import { FLV_HEADER_SIZE, FLV_TAG_HEADER_SIZE, flvTagSize, writeFlvHeader, writeFlvTag } from '../flv/flv-mux.js';
import { RecordingClock } from '../recording/clock.js';
import { type FileIdentity, closeFd, createRecordingFile, disk, lostFile, removeEmpty } from '../recording/disk.js';
import { IDENTITY_CHECK_MS, type Recorder, type RecorderOptions } from '../recording/recorder.js';
import type { MediaTag } from '../streams/media-tag.js';
import { AppendWriter } from './append-writer.js';

/**
 * Staged bytes reach the OS at most this long after they arrive (a slow
 * stream's staging fills sooner: see AppendWriter). A killed process loses at
 * most this much; fewer, larger writes are what keeps 100 recordings cheap.
 */
const FLUSH_MS = 1000;
/** A flush due within this long (ms) is done now rather than re-armed. */
const FLUSH_SLACK_MS = 20;

function pwrite(fd: number, b: Buffer, pos: number): Promise<void> {
  return new Promise((resolve, reject) => disk.write(fd, b, 0, b.length, pos, (err) => (err ? reject(err) : resolve())));
}

/** The double after `\0\x08duration` or `\0\x08filesize` in an encoded onMetaData (AMF0 key, marker 0x00, 8-byte double). */
function doubleOffset(body: Buffer, key: string): number {
  const needle = Buffer.concat([Buffer.from([0, key.length]), Buffer.from(key, 'latin1'), Buffer.from([0])]);
  const i = body.indexOf(needle);
  return i < 0 ? -1 : i + needle.length;
}

export type { RecorderOptions };

/**
 * Writes one publish to one .flv file: header, our onMetaData (the stream's,
 * with duration and filesize fields we can patch), the sequence headers at 0,
 * then every tag as received on the recording's own timeline (the first frame
 * at 0: see RecordingClock). Append-only: tags are written whole and in
 * order, so a killed process leaves a file that is readable up to its last
 * complete tag. On a clean end the two metadata doubles are patched in place.
 * FLV keeps track 0 of a multitrack stream (and says so in the notes).
 */
export class FlvRecorder implements Recorder {
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
  private readonly clock = new RecordingClock();
  private readonly identity: FileIdentity;
  private readonly checkTimer: NodeJS.Timeout;
  /** Where the first frame's tag starts in the file: a file no longer than that holds no frame. */
  private mediaFrom = -1;
  private readonly notes = new Set<string>();
  private durationAt = -1;
  private filesizeAt = -1;
  private state: RecordingInfo['state'] = 'recording';
  private error: RtmpError | undefined;
  private closed: Promise<void> | null = null;

  private constructor(
    private readonly opts: RecorderOptions,
    file: string,
    fd: number,
    identity: FileIdentity,
  ) {
    this.file = file;
    this.fd = fd;
    this.identity = identity;
    // Writes to a deleted file succeed and vanish: look for the file itself now and then.
    this.checkTimer = setInterval(() => this.check(), IDENTITY_CHECK_MS);
    this.checkTimer.unref();
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
    const f = createRecordingFile(opts.dir, opts.app, opts.key, 'flv', opts.now?.() ?? new Date());
    return new FlvRecorder(opts, f.file, f.fd, f.identity);
  }

  info(): RecordingInfo {
    const i: RecordingInfo = {
      path: this.opts.streamPath,
      file: this.file,
      bytes: this.out.accepted,
      durationMs: this.clock.end,
      videoFrames: this.videoFrames,
      audioFrames: this.audioFrames,
      state: this.state,
      format: 'flv',
      discontinuities: this.clock.discontinuities,
    };
    if (this.notes.size) i.notes = [...this.notes];
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
    if (tag.multitrack) this.notes.add('a multitrack stream: FLV keeps track 0 (record as MP4 or MKV to keep every track)');
    // Sequence headers and script data before the first frame are at 0; frames run the recording's clock.
    const ts = tag.frame ? this.clock.frame(tag.timestamp) : this.clock.started ? this.clock.end : 0;
    if (tag.frame && this.mediaFrom < 0) this.mediaFrom = this.out.accepted;
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
    clearInterval(this.checkTimer);
    if (this.state === 'recording' && !this.wroteHeader) this.writeHeader();
    if (this.state === 'recording' && !this.wroteMetadata) this.writeMetadata(null);
    await this.out.drain();
    try {
      if (this.state === 'recording') {
        const b = Buffer.allocUnsafe(8);
        if (this.durationAt >= 0) {
          b.writeDoubleBE(this.clock.end / 1000, 0);
          await pwrite(this.fd, b, this.durationAt);
        }
        if (this.filesizeAt >= 0) {
          b.writeDoubleBE(this.out.written, 0);
          await pwrite(this.fd, b, this.filesizeAt);
        }
        this.check();
      }
      if (this.state === 'recording') this.state = 'finished';
    } catch (err) {
      this.fail(err as Error);
    } finally {
      await closeFd(this.fd);
      // Never leave a file without a frame behind (a disk full from the start, a publish that sent nothing).
      if (this.state === 'failed' && (this.mediaFrom < 0 || this.out.written <= this.mediaFrom)) {
        removeEmpty(this.file);
        this.notes.add('no frame reached the disk: the empty file was removed');
      }
      this.opts.onUpdate?.(this.info());
    }
  }

  /** The file must still be ours (a deleted folder swallows writes without an error). */
  private check(): void {
    if (this.state !== 'recording') return;
    const lost = lostFile(this.file, this.identity);
    if (lost) this.fail(new Error(lost));
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
    this.timer ??= setTimeout(this.flushDue, FLUSH_MS);
  }

  /**
   * The flush timer: what is staged is written once its oldest byte is
   * FLUSH_MS old, not every FLUSH_MS. Why: a stream that fills its staging
   * buffer within the second has had it written already; flushing the next,
   * barely started buffer too was a write a second per stream for nothing
   * (a third of the writes of 100 recordings at 1.7 Mbit/s).
   */
  private readonly flushDue = (): void => {
    this.timer = null;
    const wait = FLUSH_MS - this.out.stagedAgeMs;
    if (this.out.staged > 0 && wait > FLUSH_SLACK_MS) this.timer = setTimeout(this.flushDue, wait);
    else this.out.flush();
  };

  private fail(err: Error): void {
    if (this.state === 'failed') return;
    this.state = 'failed';
    this.error = new RtmpError(ErrorCode.Recorder, `recording ${this.file} failed: ${err.message}`);
    this.opts.onUpdate?.(this.info());
  }
}
