/**
 * Stream health (issue 9) as every UI sees it: what the engine measured of a
 * stream (GOPs, timing, bitrates, audio, A/V, tracks), the findings of the
 * checks under each destination preset, and the latest chart samples. Plain
 * JSON; it rides on each `stream-stats` event (`StreamStats.health`).
 */

/** Destination presets: the platform's published limits, or sanity only. */
export const PRESET_IDS = ['generic', 'youtube', 'twitch'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

/** Each preset's name as people read it. */
export const PRESET_LABELS: Record<PresetId, string> = { generic: 'Generic', youtube: 'YouTube', twitch: 'Twitch' };

/** True when `s` names a preset. */
export function isPresetId(s: unknown): s is PresetId {
  return typeof s === 'string' && (PRESET_IDS as readonly string[]).includes(s);
}

export const Severity = { Info: 'info', Warning: 'warning', Error: 'error' } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

/** One check that fired: what, how much, when, how often, and what to change in OBS. */
export interface HealthFinding {
  /** The check's id (docs/health.md lists them). */
  id: string;
  severity: Severity;
  title: string;
  /** The worst value measured while the check fired, in the check's unit. */
  value: number;
  unit: string;
  /** The measured value in words ("10.0 s", "22050 Hz", "60 frames (2.0 s)"). */
  measured: string;
  /** What the preset expects ("≤ 4 s", "44100 or 48000 Hz"). */
  expected: string;
  /** First and last time seen: ms since the stream started (wall clock). */
  firstAtMs: number;
  lastAtMs: number;
  /** The stream's own timestamp (ms since its first frame) when first seen, where a frame marks it. */
  firstMediaMs: number | null;
  /** Seconds (evaluations) or occurrences (events) it was seen. */
  count: number;
  /** What to change, in OBS's words. */
  fix: string;
}

/** One completed GOP (keyframe to keyframe). */
export interface GopSample {
  /** ms since the stream started (wall) when it completed. */
  atMs: number;
  /** The stream's timestamp of its keyframe, ms since the first frame. */
  mediaMs: number;
  seconds: number;
  frames: number;
  bytes: number;
  /** Closed (IDR / IDR-BLA) or open (recovery point SEI / CRA) where the bitstream says; null when it does not. */
  closed: boolean | null;
}

/** One wall-clock second of a stream, for the charts. */
export interface HealthSecond {
  /** Running number of the second since the stream started (0 = its first second). */
  second: number;
  videoBps: number;
  audioBps: number;
  videoFrames: number;
  keyframes: number;
  /** Inter-frame timestamp deltas of the video in that second (ms); null without two frames. */
  intervalMinMs: number | null;
  intervalMaxMs: number | null;
  /** Latest audio timestamp minus latest video timestamp at the end of the second (ms). */
  avOffsetMs: number | null;
}

/** What a video sequence header says of the picture, as read once per header (null where it does not say). */
export interface VideoHeaderSettings {
  profile: string | null;
  level: string | null;
  width: number | null;
  height: number | null;
  /** "4:2:0", "4:2:2"... */
  chroma: string | null;
  bitDepth: number | null;
  /** True for interlaced coding (H.264 field / MBAFF, HEVC fields); null where the header does not say. */
  interlaced: boolean | null;
}

/** What the encoder sends, as measured (and as declared in onMetaData). */
export interface EncoderSettings extends VideoHeaderSettings {
  videoCodec: string | null;
  /** Most B-frames in a row (0 without); reorder depth in frames from composition offsets. */
  bFrames: number;
  reorderDepth: number;
  /** GOP in seconds and frames: min, median, max, latest; null before the second keyframe. */
  gopSeconds: { min: number; median: number; max: number; latest: number } | null;
  gopFrames: { min: number; median: number; max: number; latest: number } | null;
  /** Every keyframe seen was an IDR (true), some were not (false), or unknown (null). */
  closedGop: boolean | null;
  fpsMeasured: number | null;
  fpsDeclared: number | null;
  /** Std deviation of the video's inter-frame timestamp deltas, ms. */
  jitterMs: number | null;
  videoKbps: number | null;
  videoPeakKbps: number | null;
  videoDeclaredKbps: number | null;
  /** Peak / average per second over the last 10 s ≤ 1.3: CBR-like; else VBR. */
  rateControl: 'CBR' | 'VBR' | null;
  audioCodec: string | null;
  sampleRate: number | null;
  channels: number | null;
  audioKbps: number | null;
  audioDeclaredKbps: number | null;
  /** First audio timestamp minus first video timestamp (ms). */
  avStartOffsetMs: number | null;
  /** Change of (audio − video) timestamps since the start, ms. */
  avDriftMs: number | null;
  /** Largest lead of one track's timestamps over the other's at arrival, ms. */
  interleaveLeadMs: number | null;
}

/** A stream's health, on every stats event. */
export interface HealthSummary {
  encoder: EncoderSettings;
  /** The encoder settings in words ("H.264 High 4.0, 2 B-frames, 1280×720 progressive, keyframe every 2.0 s, CBR 2.5 Mb/s"). */
  words: string;
  /** Findings per preset; the UI shows its preset's, the CLI its --preset's. */
  findings: Record<PresetId, HealthFinding[]>;
  /** The latest seconds and GOPs (a UI keeps its own longer history from them). */
  seconds: HealthSecond[];
  gops: GopSample[];
  /** Messages in progress, and their bytes, that Intake discarded when the connection closed (a disconnect mid-message, a limit broken): the only frames Intake itself can lose. */
  receiverLoss: { messages: number; bytes: number };
  /** Each preset's limits for this stream (its resolution and frame rate), for the charts' bands. */
  limits: Record<PresetId, PresetLimits>;
}

/** A preset's video bitrate band and longest keyframe interval for one stream. */
export interface PresetLimits {
  videoMinKbps: number;
  videoMaxKbps: number;
  /** The keyframe interval past which `gop-long` fires (s). */
  gopMaxSeconds: number | null;
}

/** The verdict of a list of findings: good, or how many warnings and errors. */
export function healthVerdict(findings: readonly HealthFinding[]): { verdict: 'good' | 'warnings' | 'errors'; errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
  }
  return { verdict: errors ? 'errors' : warnings ? 'warnings' : 'good', errors, warnings };
}

/** "0:08", "1:02:03": a time since the start, for findings. */
export function formatClock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
