/**
 * One stream's health analyser, fed by LiveStream from the tags it already
 * parses: metadata, sequence headers and coded frames (with the capture
 * counter's verdict on each timestamp). Per frame it does O(1) work and
 * allocates nothing once its typed-array rings have grown (VideoAnalysis, ring.ts); each stats
 * event (the engine's timer, once a second or more often) closes the
 * wall-clock seconds past as chart samples and runs the condition checks
 * under every preset; events (skipped frames, discontinuities, gaps, pace)
 * are noted as they happen.
 */
import type { HealthSummary } from '../contract/health.js';
import type { Discarded } from '../rtmp/chunk-decoder.js';
import { TsEvent } from '../streams/capture.js';
import type { TrackCounters } from '../streams/track-stats.js';
import type { EventName } from './checks.js';
import { FindingBook, type Measures } from './evaluate.js';
import { type HeaderInfo, describeHeader, headerChange } from './headers.js';
import { RecordRing } from './ring.js';
import { measure } from './measures.js';
import { buildSummary } from './summary.js';
import { VideoAnalysis } from './video-analysis.js';

/** Seconds of chart history kept per stream (10 minutes). */
export const SECONDS_HISTORY = 600;
const SECOND_FIELDS = ['second', 'videoBps', 'audioBps', 'videoFrames', 'keyframes', 'intervalMinMs', 'intervalMaxMs', 'avOffsetMs', 'videoBytes', 'videoMediaMs', 'audioBytes', 'audioMediaMs'] as const;
/** Without media for longer than this (wall clock), a gap is reported. */
export const GAP_MS = 1000;
/** A track that has not appeared this long after the publish is missing. */
const MISSING_AFTER_MS = 3000;

export class StreamHealth {
  readonly video = new VideoAnalysis();
  readonly seconds = new RecordRing(SECONDS_HISTORY, SECOND_FIELDS);
  readonly book = new FindingBook();
  videoHeader: HeaderInfo | null = null;
  audioHeaderCodec: string | null = null;
  declared: { fps: number | null; videoKbps: number | null; audioKbps: number | null } = { fps: null, videoKbps: null, audioKbps: null };
  extraVideo = 0;
  extraAudio = 0;
  receiverLoss = { messages: 0, bytes: 0 };
  private videoHeaderBytes: Uint8Array | null = null;
  private framesSinceHeader = 0;
  private lastArrival = 0;
  /** The media clock as the stream runs: ms since its first frame, carried across discontinuities. */
  mediaMs = 0;
  private videoSegments = 0;
  private audioSegments = 0;
  firstVideoTs: number | null = null;
  firstAudioTs: number | null = null;
  lastVideoTs: number | null = null;
  lastAudioTs: number | null = null;
  /** Latest timestamps of each track since the last discontinuity of either (A/V offset, drift, lead). */
  avVideo: number | null = null;
  avAudio: number | null = null;
  /** The first A/V offset sample of this epoch: drift is measured from it. */
  avBaseline: number | null = null;
  avOffsetNow: number | null = null;
  private audioSegFirst: number | null = null;
  private audioSegFrames = 0;
  /** First audio timestamp minus first video timestamp. */
  avFirstOffset: number | null = null;
  interleaveLead = 0;
  // This second's sums.
  private second = 0;
  private evaluated = false;
  private secVideoBytes = 0;
  private secAudioBytes = 0;
  private secVideoFrames = 0;
  private secKeyframes = 0;
  // Running totals of bytes and of each track's own clock, sampled each second: the bitrate the encoder sends, whatever the pace.
  private videoBytes = 0;
  private audioBytes = 0;
  private audioMediaMs = 0;
  private readonly paceEvent = (e: { kind: 'ahead' | 'behind'; ms: number }): void => this.onPace(e.kind, e.ms);

  constructor(
    readonly videoCounters: TrackCounters,
    readonly audioCounters: TrackCounters,
    readonly startedAt: number,
  ) {}

  /** onMetaData's declared rates. */
  metadata(obj: Record<string, unknown>): void {
    const n = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);
    this.declared = { fps: n(obj.framerate ?? obj.videoframerate), videoKbps: n(obj.videodatarate), audioKbps: n(obj.audiodatarate) };
  }

  /** A track-0 sequence header. */
  header(kind: 'video' | 'audio', codec: string, data: Uint8Array, now: number): void {
    if (kind === 'audio') {
      this.audioHeaderCodec = codec;
      return;
    }
    const info = describeHeader(codec, data);
    const prev = this.videoHeaderBytes;
    if (prev && this.framesSinceHeader > 0 && !equalBytes(prev, data)) {
      this.event('sequence-header-change', this.video.gopSeconds.total, headerChange(this.videoHeader, info), 'the same header for the whole stream', now);
    }
    this.videoHeaderBytes = Uint8Array.from(data);
    this.videoHeader = info;
    this.video.codec = codec;
    this.video.nalLengthSize = info.nalLengthSize;
    this.framesSinceHeader = 0;
  }

  /** A further track (E-RTMP multitrack) appeared. */
  extraTrack(kind: 'video' | 'audio'): void {
    if (kind === 'video') this.extraVideo++;
    else this.extraAudio++;
  }

  /** What the connection's close discarded (a disconnect mid-message, a limit broken): messages in progress and their bytes. */
  discarded(d: Discarded): void {
    if (d.bytes <= 0 && d.messages <= 0) return;
    this.receiverLoss.messages += d.messages;
    this.receiverLoss.bytes += d.bytes;
  }

  /**
   * A track-0 coded frame, after `counters.frame` has counted it. It does
   * not close the second itself (the stats timer does, {@link advance}): a
   * branch taken once a second in the per-frame path was first taken after
   * V8 had optimised the frame routine it is inlined into (LiveStream's
   * onTrack), which then deoptimised and was compiled again in every fresh
   * process. A frame that arrives between a second's end and the timer
   * counts in the second before: each sample still spans one second.
   */
  frame(kind: 'video' | 'audio', counters: TrackCounters, cts: number, data: Uint8Array, keyframe: boolean, now: number): void {
    // One routine for both tracks, the rare cases in methods of their own. Why: each method on
    // this path was compiled by V8 on its own and then again inlined here, in every fresh process
    // (--trace-opt: videoFrame, audioFrame, discontinuity and lead were four more compile jobs).
    if (this.lastArrival > 0 && now - this.lastArrival > GAP_MS) this.gap(now);
    this.lastArrival = now;
    const c = counters.capture;
    const ts = c.lastTs;
    const bytes = data.length;
    if (kind === 'video') {
      this.framesSinceHeader++;
      this.secVideoFrames++;
      this.secVideoBytes += bytes;
      this.videoBytes += bytes;
      if (keyframe) this.secKeyframes++;
      const newSegment = c.segments !== this.videoSegments;
      this.videoSegments = c.segments;
      if (this.firstVideoTs === null) this.firstVideoTs = ts;
      else if (newSegment || c.lastEvent !== TsEvent.None) this.discontinuity(c, ts, newSegment, now);
      else this.mediaMs += Math.max(0, c.lastStep);
      if (newSegment && this.lastVideoTs !== null) this.newVideoSegment();
      this.lastVideoTs = ts;
      this.avVideo = ts;
      this.video.frame(ts, cts, data, keyframe, bytes, c.lastEvent === TsEvent.Skip, now, this.mediaMs, this.paceEvent);
      if (cts < 0 && this.video.dtsAfterPts === 1) this.event('dts-after-pts', -cts, `presentation ${-cts} ms before decode`, 'PTS ≥ DTS', now);
      // How far one track's timestamps run ahead of the other's at arrival (Math.max: see VideoAnalysis.secMin).
      if (this.avAudio !== null) this.interleaveLead = Math.max(this.interleaveLead, Math.abs(ts - this.avAudio));
      return;
    }
    this.secAudioBytes += bytes;
    this.audioBytes += bytes;
    const newSegment = c.segments !== this.audioSegments;
    this.audioSegments = c.segments;
    if (this.firstAudioTs === null) this.firstAudio(ts);
    if (newSegment) this.newAudioSegment(ts);
    else if (this.lastAudioTs !== null && ts > this.lastAudioTs) {
      this.audioMediaMs += ts - this.lastAudioTs;
      if (this.firstVideoTs === null) this.mediaMs += ts - this.lastAudioTs;
    }
    this.audioSegFrames++;
    this.lastAudioTs = ts;
    this.avAudio = ts;
    if (this.avVideo !== null) this.interleaveLead = Math.max(this.interleaveLead, Math.abs(ts - this.avVideo));
  }

  /** Close the seconds up to `now` and run the condition checks (at most once a second; from advance). */
  tick(now: number): void {
    const target = Math.floor((now - this.startedAt) / 1000);
    if (target <= this.second) return;
    // A long silence closes only one empty second per missing one, bounded by the history.
    if (target - this.second > SECONDS_HISTORY) this.second = target - SECONDS_HISTORY;
    while (this.second < target) this.closeSecond();
    this.evaluate(now);
  }

  /**
   * Bring the analyser up to `now` for a stats event: close the seconds past
   * and run the checks (a stream shorter than a second, a file sent at once,
   * is still checked). Runs for every stream on every stats event, whether
   * or not anyone reads its summary.
   */
  advance(now: number): void {
    this.reportAhead();
    this.tick(now);
    if (!this.evaluated) this.evaluate(now);
  }

  /** The summary for a stats event (call {@link advance} first). */
  summary(now: number): HealthSummary {
    return buildSummary(this, now);
  }

  private evaluate(now: number): void {
    this.evaluated = true;
    this.book.conditions(this.measures(now), { atMs: now - this.startedAt, mediaMs: this.lastVideoTs === null && this.lastAudioTs === null ? null : this.mediaMs });
  }

  /** The values the condition checks read, this second. */
  measures(now: number): Measures & { videoHeight: number | null } {
    return measure(this, now);
  }

  /**
   * The bitrate a track carries by its own clock over the last `n` closed
   * seconds (bits / media seconds), or null with less than `minSeconds` of
   * it. Why not per wall second: a starved or bursty arrival would read as a
   * lower or higher bitrate than the encoder is set to.
   */
  mediaRate(kind: 'video' | 'audio', n: number, minSeconds = 3): number | null {
    const f = this.seconds.fields;
    const bytes = kind === 'video' ? f.videoBytes : f.audioBytes;
    const ms = kind === 'video' ? f.videoMediaMs : f.audioMediaMs;
    const len = bytes.length;
    if (len < 2) return null;
    const from = Math.max(0, len - 1 - n);
    const dt = ms.at(len - 1) - ms.at(from);
    if (dt < minSeconds * 1000) return null;
    return ((bytes.at(len - 1) - bytes.at(from)) * 8 * 1000) / dt;
  }

  /** Average bits per second of a field over the last `n` closed seconds (skipping the first, partial one), or null. */
  average(field: 'videoBps' | 'audioBps', n: number, minSeconds = 3): { avg: number; peak: number } | null {
    const ring = this.seconds.fields[field];
    const len = ring.length;
    const from = Math.max(this.seconds.fields.second.at(0) === 0 ? 1 : 0, len - n);
    if (len - from < minSeconds) return null;
    let sum = 0;
    let peak = 0;
    for (let i = from; i < len; i++) {
      const v = ring.at(i);
      sum += v;
      if (v > peak) peak = v;
    }
    return { avg: sum / (len - from), peak };
  }

  get missingAfterMs(): number {
    return MISSING_AFTER_MS;
  }

  /** No media for more than GAP_MS (wall clock) before the frame arriving `now`. */
  private gap(now: number): void {
    const s = (now - this.lastArrival) / 1000;
    this.event('ingest-gap', s, `${s.toFixed(1)} s without media`, `≤ ${GAP_MS / 1000} s`, now);
  }

  /** The video clock started a new segment (a discontinuity) after frames of an earlier one. */
  private newVideoSegment(): void {
    this.reportAhead();
    this.video.newSegment();
    this.newAvEpoch();
  }

  private firstAudio(ts: number): void {
    this.firstAudioTs = ts;
    if (this.firstVideoTs !== null) this.avFirstOffset = ts - this.firstVideoTs;
  }

  /** The audio clock started a new segment (the first one included). */
  private newAudioSegment(ts: number): void {
    if (this.lastAudioTs !== null) this.newAvEpoch();
    this.audioSegFirst = ts;
    this.audioSegFrames = 0;
  }

  /** A discontinuity of either track: the tracks' timestamps are not comparable across it. */
  private newAvEpoch(): void {
    this.avVideo = this.avAudio = null;
    this.avBaseline = null;
  }

  /** A new segment or a timestamp event on this video frame (from frame), as events; advances the media clock. */
  private discontinuity(c: TrackCounters['capture'], ts: number, newSegment: boolean, now: number): void {
    const ev = c.lastEvent;
    const step = c.lastStep;
    // The interval without a declared rate sorts the delta histogram: asked only here, at an event.
    const interval = c.interval() ?? 33;
    if (!newSegment && step > 0) this.mediaMs += step;
    else if (newSegment) this.mediaMs += interval;
    if (ev === TsEvent.Skip) {
      const frames = Math.max(1, Math.round(step / interval) - 1);
      const s = (step - interval) / 1000;
      this.event('encoder-skipped', frames, `${frames} frames (${s.toFixed(1)} s)`, 'none', now, this.mediaMs - step + interval);
    } else if (ev === TsEvent.Reset) {
      this.event('ts-reset', -step / 1000, `${((ts - step) / 1000).toFixed(1)} s → ${(ts / 1000).toFixed(1)} s`, 'monotonic timestamps', now);
    } else if (ev === TsEvent.Jump) {
      this.event('ts-jump', step / 1000, `+${(step / 1000).toFixed(1)} s`, `steps ≤ ${interval.toFixed(0)} ms`, now);
    } else if (ev === TsEvent.Backwards) {
      this.event('ts-backwards', -step, `${-step} ms back`, 'monotonic timestamps', now);
    }
  }

  /** A lead over the wall clock that has grown since it was last reported (see VideoAnalysis.aheadToReport). */
  private reportAhead(): void {
    const ms = this.video.aheadToReport();
    if (ms > 0) this.onPace('ahead', ms);
  }

  private onPace(kind: 'ahead' | 'behind', ms: number): void {
    const now = this.lastArrival;
    if (kind === 'ahead') this.event('ingest-faster-than-realtime', ms / 1000, `media ${(ms / 1000).toFixed(1)} s ahead of the wall clock`, 'real time', now);
    else this.event('ingest-starved', ms / 1000, `media ${(ms / 1000).toFixed(1)} s behind the wall clock`, 'real time', now);
  }

  private event(name: EventName, value: number, measured: string, expected: string, now: number, mediaMs = this.mediaMs): void {
    this.book.event(name, value, measured, expected, { atMs: now - this.startedAt, mediaMs });
  }

  private closeSecond(): void {
    const v = this.video;
    this.avOffsetNow = this.avAudio !== null && this.avVideo !== null ? this.avAudio - this.avVideo : null;
    if (this.avBaseline === null) this.avBaseline = this.avOffsetNow;
    const haveDeltas = v.secMin !== Number.POSITIVE_INFINITY;
    this.seconds.push({
      second: this.second,
      videoBps: this.secVideoBytes * 8,
      audioBps: this.secAudioBytes * 8,
      videoFrames: this.secVideoFrames,
      keyframes: this.secKeyframes,
      intervalMinMs: haveDeltas ? v.secMin : Number.NaN,
      intervalMaxMs: haveDeltas ? v.secMax : Number.NaN,
      avOffsetMs: this.avOffsetNow ?? Number.NaN,
      videoBytes: this.videoBytes,
      videoMediaMs: this.mediaMs,
      audioBytes: this.audioBytes,
      audioMediaMs: this.audioMediaMs,
    });
    v.nextSecond();
    this.secVideoBytes = this.secAudioBytes = this.secVideoFrames = this.secKeyframes = 0;
    this.second++;
  }

  /** Frames of the current audio segment and its first timestamp (for the audio clock's drift). */
  audioSegment(): { first: number; frames: number } | null {
    return this.audioSegFirst === null ? null : { first: this.audioSegFirst, frames: this.audioSegFrames };
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
