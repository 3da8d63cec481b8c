import type { RecordingInfo } from '../contract/engine.js';
import { DEFAULT_RECORD_FORMAT, RECORD_FORMATS, type RecordFormat } from '../contract/recording-format.js';
import { ErrorCode, RtmpError } from '../errors.js';
import type { MediaRecorder } from '../recording/media-recorder.js';
import type { Recorder } from '../recording/recorder.js';
import type { LiveStream } from '../streams/live-stream.js';
import { FlvRecorder } from './recorder.js';

/**
 * The MP4/MKV recorder, loaded when a receiver may record either. Why not a
 * static import: it brings Mediabunny, ~10 MB of RSS (61 -> 52 MB idle) in a
 * receiver that records FLV only (`intake record --format flv`, the ingest
 * bench), where nothing would ever use it.
 */
let mediaRecorder: typeof MediaRecorder | null = null;
let mediaRecorderLoad: Promise<void> | null = null;

function loadMediaRecorder(): Promise<void> {
  mediaRecorderLoad ??= import('../recording/media-recorder.js').then((m) => {
    mediaRecorder = m.MediaRecorder;
  });
  return mediaRecorderLoad;
}

export interface RecordingsOptions {
  /** Where recordings go; none set, none can start. */
  dir: string | undefined;
  /** Record every publish from its start. */
  auto: boolean;
  /** The container of new recordings (default mp4). */
  format?: RecordFormat;
  /** The containers this receiver may record at all (default every one): the muxers of the others are never loaded. */
  formats?: readonly RecordFormat[];
  /** A recorder's unwritten bytes above which its publisher is paused (Limits.recordBacklogBytes). */
  maxBacklog: number;
  /** Every change of a recording's state or size. */
  onUpdate(info: RecordingInfo): void;
}

/**
 * The recordings of the live streams: at most one per stream, started on
 * request or (auto-record) at the publish, stopped on request, and finished
 * when its stream ends. Kept by stream, not by key: a stream taken over by a
 * new publisher of its key still finishes its own file.
 */
export class Recordings {
  dir: string | undefined;
  auto: boolean;
  format: RecordFormat;
  private readonly byStream = new Map<LiveStream, Recorder>();
  /** Files being finalised after their stream ended; `closeAll` waits for them. */
  private readonly finishing = new Set<Promise<void>>();
  private readonly formats: readonly RecordFormat[];
  private readonly loaded: Promise<void>;

  constructor(private readonly options: RecordingsOptions) {
    this.dir = options.dir;
    this.auto = options.auto;
    this.format = options.format ?? DEFAULT_RECORD_FORMAT;
    this.formats = options.formats ?? RECORD_FORMATS;
    // Loading starts now; the engine waits for it before it listens (ready()).
    this.loaded = this.formats.some((f) => f !== 'flv') ? loadMediaRecorder() : Promise.resolve();
  }

  /** Resolves once every recorder this receiver may use is loaded. */
  ready(): Promise<void> {
    return this.loaded;
  }

  /** The stream's recording, if it is being recorded. */
  info(stream: LiveStream): RecordingInfo | undefined {
    return this.byStream.get(stream)?.info();
  }

  /** Start recording `stream` to `dir` in `format` (default: the setting) or return its running recording. Throws RtmpError(Config) without a folder. */
  start(stream: LiveStream, format: RecordFormat = this.format): RecordingInfo {
    const running = this.byStream.get(stream);
    if (running) return running.info();
    if (!this.dir) throw new RtmpError(ErrorCode.Config, 'no recording folder set');
    if (!this.formats.includes(format)) throw new RtmpError(ErrorCode.Config, `this receiver records ${this.formats.join(', ')} only, not ${format}`);
    if (format !== 'flv' && !mediaRecorder) throw new RtmpError(ErrorCode.Config, `the ${format} recorder is still loading (see Engine.ready)`);
    const opts = {
      dir: this.dir,
      app: stream.info.app,
      key: stream.info.key,
      streamPath: stream.path,
      flags: () => stream.flvFlags,
      onUpdate: this.options.onUpdate,
      maxBacklog: this.options.maxBacklog,
    };
    const rec: Recorder = format === 'flv' ? FlvRecorder.open(opts) : mediaRecorder!.open({ ...opts, format });
    this.byStream.set(stream, rec);
    rec.unsubscribe = stream.subscribe(rec);
    this.options.onUpdate(rec.info());
    return rec.info();
  }

  /** At a publish: start recording if auto-record is on and a folder is set. Throws as {@link start} does. */
  started(stream: LiveStream): void {
    if (this.auto && this.dir) this.start(stream);
  }

  /** Stop recording `stream`; resolves when the file is finalised (null when it was not being recorded). */
  async stop(stream: LiveStream): Promise<RecordingInfo | null> {
    const rec = this.byStream.get(stream);
    if (!rec) return null;
    this.byStream.delete(stream);
    rec.unsubscribe?.();
    await rec.close();
    return rec.info();
  }

  /** `stream` ended: finalise its file in the background ({@link closeAll} waits for it). */
  ended(stream: LiveStream): void {
    const rec = this.byStream.get(stream);
    if (!rec) return;
    this.byStream.delete(stream);
    const p = rec.close();
    this.finishing.add(p);
    void p.finally(() => this.finishing.delete(p));
  }

  /** Finalise every recording, running or finishing. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.byStream.values()].map((rec) => rec.close()));
    await Promise.all([...this.finishing]);
  }
}
