import { EncodedAudioPacketSource, EncodedPacket, EncodedVideoPacketSource, MkvOutputFormat, Output } from 'mediabunny';
import type { RecordingInfo } from '../contract/engine.js';
import { ErrorCode, RtmpError } from '../errors.js';
import type { MediaTag } from '../streams/media-tag.js';
import { RecordingClock } from './clock.js';
import { type FileIdentity, closeFd, createRecordingFile, lostFile, removeEmpty } from './disk.js';
import { FileSink } from './file-sink.js';
import { type ParsedFrame, parseTrackPackets } from './frames.js';
import { Fmp4Writer } from './fmp4-writer.js';
import { FrameArena } from './frame-arena.js';
import { patchMp4Durations } from './mp4-durations.js';
import { MuxerTarget } from './muxer-target.js';
import { PresentationSpan } from './span.js';
import { IDENTITY_CHECK_MS, type Recorder, type RecorderOptions } from './recorder.js';
import { type TrackSetup, audioSetup, canMux, videoSetup } from './track-setup.js';
import { configColour } from './colour-space.js';
import type { VideoColour } from '../media/vui-colour.js';

/** Before the tracks are known: frames held at most this long (ms of media) or this many, then the file starts with what it has. */
const MAX_PENDING_MS = 2000;
const MAX_PENDING_FRAMES = 600;
/**
 * Bytes Mediabunny's MKV muxer may hold (a cluster starts at a keyframe, so
 * it holds a whole GOP): past this, a stream without keyframes would grow it
 * without end, so the recording fails and says why. (MP4 fragments are cut
 * every ~1 s whatever the frames: fmp4-writer.ts.)
 */
const MAX_HELD_BYTES = 96 * 1024 * 1024;
/** A track that has sent nothing for this long (ms of the others' media) is closed, so the others' fragments are not held for it. */
const SILENT_TRACK_MS = 5000;

interface OutTrack {
  setup: TrackSetup;
  /** MKV: the muxer's source for the track (MP4: null, the track is `id - 1` of the fragment writer). */
  source: EncodedVideoPacketSource | EncodedAudioPacketSource | null;
  first: boolean;
  closed: boolean;
  lastPts: number;
  lastDts: number;
  step: number;
  /** The track's own presentation span (its duration in the finished MP4). */
  span: PresentationSpan;
  /** Its id in the file (1-based, in the order added). */
  id: number;
}

/**
 * Records a stream to fragmented MP4 (ftyp + moov by Mediabunny, fragments by
 * Fmp4Writer) or to MKV (Mediabunny). Every track
 * of the stream (each track of an Enhanced RTMP multitrack stream too) is a
 * track of the file, opened with the stream's own configuration record.
 *
 * Timestamps: the first recorded frame is at 0 (see RecordingClock);
 * presentation times are the decode time plus the composition offset, so
 * B-frames keep their order. MP4 fragments are at most ~1 s, cut between
 * keyframes when a GOP is longer: a killed process leaves a file readable
 * up to its last complete fragment. On a clean stop the muxer
 * finishes the file (MP4: the mfra index, durations patched into moov; MKV:
 * cues, duration, sizes).
 */
export class MediaRecorder implements Recorder {
  readonly kind = 'recorder' as const;
  readonly file: string;
  unsubscribe: (() => void) | undefined;
  videoFrames = 0;
  audioFrames = 0;
  private readonly fd: number;
  private readonly identity: FileIdentity;
  private readonly sink: FileSink;
  /** MKV: Mediabunny's muxer and its target. */
  private readonly output: Output | null = null;
  private readonly target: MuxerTarget | null = null;
  /** MP4: the fragment writer, once the tracks are known, and where it keeps the frames it copies. */
  private fmp4: Fmp4Writer | null = null;
  private readonly arena: FrameArena | null = null;
  private readonly clock = new RecordingClock();
  /** What the file presents: the duration shown, and (its end) the one written into the finished MP4. */
  private readonly span = new PresentationSpan();
  private readonly configs = new Map<string, { fourCC: string; data: Uint8Array }>();
  /** Each video track's E-RTMP colorInfo, used where its configuration record has no colour description. */
  private readonly colourInfo = new Map<string, VideoColour>();
  private readonly tracks = new Map<string, OutTrack>();
  private pending: ParsedFrame[] = [];
  /** Each track's first usable frame among the pending ones (a video track's first keyframe): kept as frames arrive, so deciding is O(tracks) a tag. */
  private readonly firstFrame = new Map<string, ParsedFrame>();
  private started = false;
  private state: RecordingInfo['state'] = 'recording';
  private error: RtmpError | undefined;
  private readonly notes = new Set<string>();
  private meta: { width?: unknown; height?: unknown } = {};
  /** Frame bytes handed to the muxer, and to the disk; their difference is what the muxer holds. */
  private given = 0;
  private handed = 0;
  /** Where the first chunk holding frames ends: a file shorter than that holds no frame. */
  private mediaEnd = -1;
  private timer: NodeJS.Timeout | null = null;
  private closed: Promise<void> | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  /** The frame buffers handed to the muxer: its target keeps these by reference instead of copying them. */
  private readonly frameBytes = new WeakSet<Uint8Array>();

  private constructor(private readonly opts: RecorderOptions & { format: 'mp4' | 'mkv' }) {
    const f = createRecordingFile(opts.dir, opts.app, opts.key, opts.format, opts.now?.() ?? new Date());
    this.file = f.file;
    this.fd = f.fd;
    this.identity = f.identity;
    this.sink = new FileSink(f.fd, (err) => this.fail(err.message), () => this.opts.onUpdate?.(this.info()));
    this.timer = setInterval(() => this.check(), IDENTITY_CHECK_MS);
    this.timer.unref();
    if (opts.format === 'mp4') {
      this.arena = new FrameArena(() => this.sink.written);
      return;
    }
    const mediaBox = Buffer.from([0x1f, 0x43, 0xb6, 0x75]);
    const target = (this.target = new MuxerTarget(this.sink, this.frameBytes, (parts, staged, pos) => {
      let at = pos;
      let media = false;
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i];
        this.handed += part.byteLength;
        at += part.byteLength;
        // The first Cluster is in the muxer's own bytes: a file shorter than its run holds no frame.
        media ||= this.mediaEnd < 0 && staged[i] && Buffer.from(part.buffer, part.byteOffset, part.byteLength).indexOf(mediaBox) >= 0;
      }
      if (media) this.mediaEnd = at;
    }, () => this.mediaEnd >= 0));
    this.output = new Output({ format: new MkvOutputFormat({ minimumClusterDuration: 1 }), target });
  }

  /** Create the file (never overwriting one). Throws RtmpError(Recorder) when it cannot. */
  static open(opts: RecorderOptions & { format: 'mp4' | 'mkv' }): MediaRecorder {
    return new MediaRecorder(opts);
  }

  info(): RecordingInfo {
    const i: RecordingInfo = {
      path: this.opts.streamPath,
      file: this.file,
      bytes: this.sink.size,
      durationMs: this.span.ms,
      videoFrames: this.videoFrames,
      audioFrames: this.audioFrames,
      state: this.state,
      format: this.opts.format,
      discontinuities: this.clock.discontinuities,
    };
    if (this.notes.size) i.notes = [...this.notes];
    if (this.error) i.error = this.error.toJSON();
    return i;
  }

  /** Parses the tag (its every track) and hands each frame on; copies what it keeps (the body is the engine's). */
  tag(tag: MediaTag): void {
    if (this.state !== 'recording' || this.closed) return;
    if (tag.type === 18) {
      if (tag.meta) this.meta = tag.meta;
      return;
    }
    const { frames, configs, colours, note } = this.arena ? parseTrackPackets(tag, this.clock, this.arena.keep) : parseTrackPackets(tag, this.clock);
    if (note) this.notes.add(note);
    for (const c of colours ?? []) if (!this.tracks.has(c.key)) this.colourInfo.set(c.key, c.colour);
    for (const c of configs) {
      const prev = this.configs.get(c.key);
      if (prev && this.tracks.has(c.key) && !Buffer.from(prev.data).equals(c.data)) this.notes.add(`the ${c.key} configuration changed mid-stream; the file keeps the first one`);
      if (!this.tracks.has(c.key)) this.configs.set(c.key, { fourCC: c.fourCC, data: c.data });
    }
    for (const f of frames) {
      if (!canMux(f.kind, f.fourCC)) {
        this.notes.add(`${f.kind} codec ${f.fourCC} cannot be recorded in ${this.opts.format.toUpperCase()} (record as FLV): its frames are left out`);
        continue;
      }
      if (this.started) this.add(f);
      else {
        this.pending.push(f);
        if (!this.firstFrame.has(f.key) && (f.kind === 'audio' || f.keyframe)) this.firstFrame.set(f.key, f);
      }
    }
    if (!this.started && this.pending.length > 0) this.maybeStart(false);
  }

  end(): void {
    void this.close();
  }

  /** A promise to wait on before reading more from the publisher while the disk is behind. */
  pressure(): Promise<void> | null {
    const high = this.opts.maxBacklog ?? 4 * 1024 * 1024;
    // MP4: the writer holds at most ~1 s of frames; what waits is the disk's backlog.
    if (this.fmp4) return this.state === 'recording' && this.sink.backlog >= high ? this.sink.drain() : null;
    if (this.state !== 'recording' || this.given - this.sink.written < high || this.given - this.handed < high) return null;
    return this.chain.then(() => this.sink.drain());
  }

  close(): Promise<void> {
    this.closed ??= this.finish();
    return this.closed;
  }

  /** Open the file's tracks once every expected track has what it needs (or enough media waited). */
  private maybeStart(force: boolean): void {
    const setups = new Map<string, TrackSetup>();
    for (const [key, f] of this.firstFrame) {
      const cfg = this.configs.get(key)?.data ?? null;
      try {
        const s = f.kind === 'video' ? videoSetup(f.fourCC, cfg, f.data, this.meta, configColour(f.fourCC, cfg) ?? this.colourInfo.get(key)) : audioSetup(f.fourCC, cfg, f.data);
        if (s) setups.set(key, s);
      } catch (err) {
        this.notes.add(`${key}: ${(err as Error).message}; the track is left out`);
      }
    }
    const flags = this.opts.flags();
    const hasVideo = [...setups.values()].some((s) => s.kind === 'video');
    const hasAudio = [...setups.values()].some((s) => s.kind === 'audio');
    const span = this.pending.at(-1)!.dts - this.pending[0].dts;
    const enough = (hasVideo || !flags.video) && (hasAudio || !flags.audio);
    if (!force && !enough && span < MAX_PENDING_MS && this.pending.length < MAX_PENDING_FRAMES) return;
    if (setups.size === 0) {
      if (force || this.pending.length >= MAX_PENDING_FRAMES) this.fail('no track could be opened: no sequence header or keyframe arrived');
      return;
    }
    const inits = [];
    for (const [key, setup] of setups) {
      const trackId = Number(key.split(':')[1]);
      const name = trackId > 0 ? `${setup.kind} track ${trackId}` : undefined;
      let source: OutTrack['source'] = null;
      if (this.output) {
        source = setup.kind === 'video' ? new EncodedVideoPacketSource(setup.codec as 'avc') : new EncodedAudioPacketSource(setup.codec as 'aac');
        if (setup.kind === 'video') this.output.addVideoTrack(source as EncodedVideoPacketSource, name ? { name } : {});
        else this.output.addAudioTrack(source as EncodedAudioPacketSource, name ? { name } : {});
      }
      inits.push({ setup, first: this.firstFrame.get(key)!.data, ...(name ? { name } : {}) });
      this.tracks.set(key, { setup, source, first: true, closed: false, lastPts: 0, lastDts: 0, step: setup.kind === 'video' ? 33 : 21, span: new PresentationSpan(), id: this.tracks.size + 1 });
    }
    this.started = true;
    this.firstFrame.clear();
    if (this.output) this.chain = this.output.start().catch((err: Error) => this.fail(err.message));
    else {
      this.fmp4 = new Fmp4Writer(this.sink, inits, (frameBytes, end) => {
        this.handed += frameBytes;
        this.arena?.cut(end);
        if (this.mediaEnd < 0) this.mediaEnd = end;
      });
      this.chain = this.fmp4.ready.catch((err: Error) => this.fail(err.message));
    }
    const pending = this.pending;
    this.pending = [];
    for (const f of pending) this.add(f);
  }

  private add(f: ParsedFrame): void {
    const t = this.tracks.get(f.key);
    if (!t) {
      if (f.frame) this.notes.add(`${f.key} started after the recording's tracks were set; it is left out`);
      return;
    }
    if (t.closed) return;
    if (t.first && f.kind === 'video' && !f.keyframe) return; // A track opens on a keyframe.
    const pts = f.dts + f.cts;
    if (!t.first && f.dts > t.lastDts && f.dts - t.lastDts <= 1000) t.step = f.dts - t.lastDts;
    if (this.output) this.closeSilentTracks(f.dts);
    const meta = t.first ? { decoderConfig: t.setup.config } : undefined;
    t.first = false;
    t.lastPts = pts;
    t.lastDts = f.dts;
    this.span.add(pts, t.step);
    t.span.add(pts, t.step);
    if (f.frame) {
      if (f.kind === 'video') this.videoFrames++;
      else this.audioFrames++;
    }
    this.given += f.data.byteLength;
    if (this.fmp4) {
      this.fmp4.add(t.id - 1, f.data, f.dts, pts, f.keyframe, t.step);
      return;
    }
    this.frameBytes.add(f.data);
    if (this.given - this.handed > MAX_HELD_BYTES) {
      this.fail(`no keyframe in ${MAX_HELD_BYTES >> 20} MB of media: ${this.opts.format.toUpperCase()} fragments start at keyframes (record this stream as FLV)`);
      return;
    }
    const packet = new EncodedPacket(f.data, f.kind === 'audio' || f.keyframe ? 'key' : 'delta', pts / 1000, t.step / 1000);
    const added = t.setup.kind === 'video' ? (t.source as EncodedVideoPacketSource).add(packet, meta as never) : (t.source as EncodedAudioPacketSource).add(packet, meta as never);
    this.chain = added.catch((err: Error) => this.fail(err.message));
  }

  /** A track silent for SILENT_TRACK_MS of the others' media is closed: the muxer interleaves, and would hold everything for it. */
  private closeSilentTracks(now: number): void {
    for (const [key, t] of this.tracks) {
      if (t.closed || t.first || now - t.lastDts < SILENT_TRACK_MS) continue;
      t.closed = true;
      t.source?.close();
      this.notes.add(`${key} sent nothing for ${SILENT_TRACK_MS / 1000} s; its track ends at ${(t.lastPts / 1000).toFixed(1)} s`);
    }
  }

  /** The file must still be ours: writes to a deleted file vanish without an error. */
  private check(): void {
    if (this.state !== 'recording') return;
    this.target?.flushIdle();
    this.fmp4?.flushIdle();
    const lost = lostFile(this.file, this.identity);
    if (lost) this.fail(lost);
  }

  private async finish(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.state === 'recording' && !this.started) {
      if (this.pending.length > 0) this.maybeStart(true);
      else this.fail('no frame arrived: nothing was recorded');
    }
    if (this.state === 'recording') {
      try {
        await this.chain;
        if (this.state === 'recording') await (this.fmp4 ? this.fmp4.finish() : this.output?.finalize());
        await this.sink.drain();
        if (this.sink.failed) this.fail(this.sink.failed.message);
        if (this.state === 'recording' && this.opts.format === 'mp4') patchMp4Durations(this.fd, { movie: this.span.end, tracks: new Map([...this.tracks.values()].map((t) => [t.id, t.span.ms])) });
      } catch (err) {
        this.fail((err as Error).message);
      }
    }
    if (this.state === 'recording') this.check();
    if (this.state === 'recording') this.state = 'finished';
    else if (this.output && this.output.state !== 'finalized' && this.output.state !== 'canceled') await this.output.cancel().catch(() => undefined);
    await this.sink.drain();
    await closeFd(this.fd);
    if (this.state === 'failed' && (this.mediaEnd < 0 || this.sink.size < this.mediaEnd)) {
      removeEmpty(this.file);
      this.notes.add('no frame reached the disk: the empty file was removed');
    }
    this.opts.onUpdate?.(this.info());
  }

  private fail(message: string): void {
    if (this.state !== 'recording') return;
    this.state = 'failed';
    this.error = new RtmpError(ErrorCode.Recorder, `recording ${this.file} failed: ${message}`);
    this.opts.onUpdate?.(this.info());
    if (!this.closed) void this.close();
  }
}
