/**
 * A stream's health as the contract carries it (HealthSummary): the encoder
 * settings measured and declared, in fields and in words, the findings under
 * every preset, and the latest chart samples. Built once per stats event.
 */
import { type EncoderSettings, type GopSample, type HealthSecond, type HealthSummary, PRESET_IDS, type PresetId, type PresetLimits } from '../contract/health.js';
import { CHECKS } from './checks.js';
import { PRESETS, bandFor } from './presets.js';
import type { FindingBook } from './evaluate.js';
import type { MeasureSource } from './measures.js';
import { audioCodecName } from './measures.js';
import type { RecordRing } from './ring.js';

/**
 * Seconds and GOPs sent with each summary: a UI that misses up to three
 * stats events (two a second) still has them all. Not more: every stream's
 * stats go to every window twice a second, and ten of each made the stats
 * ~3.5 kB a stream, 140 kB/s of JSON for the page to parse with 20 streams
 * (issue 8's soak), each sample sent twenty times over.
 */
const RECENT = 4;

export interface SummarySource extends MeasureSource {
  readonly book: FindingBook;
  readonly seconds: RecordRing<'second' | 'videoBps' | 'audioBps' | 'videoFrames' | 'keyframes' | 'intervalMinMs' | 'intervalMaxMs' | 'avOffsetMs' | 'videoBytes' | 'videoMediaMs' | 'audioBytes' | 'audioMediaMs'>;
  readonly receiverLoss: { messages: number; bytes: number };
}

const nan = (v: number): number | null => (Number.isNaN(v) ? null : v);
const round = (v: number | null, digits = 0): number | null => (v === null ? null : Number(v.toFixed(digits)));

/** The encoder's settings as measured. */
export function encoderSettings(h: SummarySource): EncoderSettings {
  const v = h.video;
  const head = h.videoHeader;
  const iv = v.interval();
  const video = h.average('videoBps', 10, 1);
  const videoMedia = h.mediaRate('video', 10, 1);
  const audioMedia = h.mediaRate('audio', 10, 1);
  const gs = v.gopSeconds.summary();
  const keyframes = v.idrKeyframes + v.openKeyframes;
  return {
    videoCodec: h.videoCounters.codec,
    profile: head?.profile ?? null,
    level: head?.level ?? null,
    width: h.videoCounters.width ?? head?.width ?? null,
    height: h.videoCounters.height ?? head?.height ?? null,
    chroma: head?.chroma ?? null,
    bitDepth: head?.bitDepth ?? null,
    interlaced: head?.interlaced ?? null,
    bFrames: v.maxBRun,
    reorderDepth: iv && iv.mean > 0 ? Math.round(v.maxCts / iv.mean) : 0,
    gopSeconds: gs && { min: round(gs.min, 3)!, median: round(gs.median, 3)!, max: round(gs.max, 3)!, latest: round(gs.latest, 3)! },
    gopFrames: v.gopFrames.summary(),
    closedGop: keyframes === 0 ? null : v.openKeyframes === 0,
    fpsMeasured: round(iv && iv.mean > 0 ? 1000 / iv.mean : null, 2),
    fpsDeclared: h.declared.fps,
    jitterMs: round(iv ? iv.jitter : null, 2),
    videoKbps: round(videoMedia === null ? null : videoMedia / 1000),
    videoPeakKbps: round(video ? video.peak / 1000 : null),
    videoDeclaredKbps: h.declared.videoKbps,
    rateControl: video && video.avg > 0 ? (video.peak / video.avg <= 1.3 ? 'CBR' : 'VBR') : null,
    audioCodec: h.audioCounters.codec,
    sampleRate: h.audioCounters.sampleRate ?? null,
    channels: h.audioCounters.channels ?? null,
    audioKbps: round(audioMedia === null ? null : audioMedia / 1000),
    audioDeclaredKbps: h.declared.audioKbps,
    avStartOffsetMs: h.avFirstOffset,
    avDriftMs: h.avBaseline !== null && h.avOffsetNow !== null ? h.avOffsetNow - h.avBaseline : null,
    interleaveLeadMs: h.interleaveLead || null,
  };
}

const VIDEO_NAMES: Record<string, string> = { avc1: 'H.264', hvc1: 'HEVC', av01: 'AV1', vp09: 'VP9', vp08: 'VP8' };

/** "H.264 High 4.0, 2 B-frames, 1280×720 progressive, keyframe every 2.0 s, CBR 2.5 Mb/s; AAC 48 kHz stereo 160 kb/s". */
export function settingsInWords(e: EncoderSettings): string {
  const parts: string[] = [];
  if (e.videoCodec) {
    const name = VIDEO_NAMES[e.videoCodec.slice(0, 4)] ?? e.videoCodec;
    parts.push([name, e.profile, e.level].filter(Boolean).join(' '));
    parts.push(e.bFrames ? `${e.bFrames} B-frame${e.bFrames > 1 ? 's' : ''}` : 'no B-frames');
    if (e.width) parts.push(`${e.width}×${e.height} ${e.interlaced ? 'interlaced' : e.interlaced === false ? 'progressive' : ''}`.trim());
    if (e.fpsMeasured) parts.push(`${e.fpsMeasured.toFixed(2).replace(/\.?0+$/, '')} fps`);
    if (e.gopSeconds) parts.push(`keyframe every ${e.gopSeconds.median.toFixed(1)} s${e.closedGop === false ? ' (open GOP)' : ''}`);
    if (e.videoKbps !== null) parts.push(`${e.rateControl ?? ''} ${(e.videoKbps / 1000).toFixed(1)} Mb/s`.trim());
  } else {
    parts.push('no video');
  }
  const audio = e.audioCodec
    ? [audioCodecName(e.audioCodec)?.toUpperCase(), e.sampleRate ? `${e.sampleRate / 1000} kHz` : null, e.channels === 1 ? 'mono' : e.channels === 2 ? 'stereo' : e.channels ? `${e.channels} channels` : null, e.audioKbps !== null ? `${e.audioKbps} kb/s` : null]
        .filter(Boolean)
        .join(' ')
    : 'no audio';
  return `${parts.join(', ')}; ${audio}`;
}

let limitsKey = '';
let limitsValue: Record<PresetId, PresetLimits> | null = null;

/** presetLimits, remembered for the last height and frame-rate band asked (streams share a few). */
function limitsFor(height: number | null, fps: number | null): Record<PresetId, PresetLimits> {
  const key = `${height}:${fps === null ? null : fps <= 30.5 ? 30 : 60}`;
  if (key !== limitsKey || !limitsValue) {
    limitsKey = key;
    limitsValue = presetLimits(height, fps);
  }
  return limitsValue;
}

/** Each preset's band and keyframe limit for a stream of this height and frame rate. */
export function presetLimits(height: number | null, fps: number | null): Record<PresetId, PresetLimits> {
  const gop = CHECKS.find((c) => c.id === 'gop-long')!;
  const out = {} as Record<PresetId, PresetLimits>;
  for (const p of PRESET_IDS) {
    const band = bandFor(PRESETS[p], height, fps);
    const t = gop.presets[p]?.threshold;
    out[p] = { videoMinKbps: band.minKbps, videoMaxKbps: band.maxKbps, gopMaxSeconds: typeof t === 'number' ? t : null };
  }
  return out;
}

/** The summary for a stats event. */
export function buildSummary(h: SummarySource, _now: number): HealthSummary {
  const encoder = encoderSettings(h);
  // Read straight from the rings' columns: this runs for every stream on every stats event.
  const f = h.seconds.fields;
  const seconds: HealthSecond[] = [];
  for (let i = Math.max(0, f.second.length - RECENT); i < f.second.length; i++) {
    seconds.push({
      second: f.second.at(i), videoBps: f.videoBps.at(i), audioBps: f.audioBps.at(i), videoFrames: f.videoFrames.at(i), keyframes: f.keyframes.at(i),
      intervalMinMs: nan(f.intervalMinMs.at(i)), intervalMaxMs: nan(f.intervalMaxMs.at(i)), avOffsetMs: nan(f.avOffsetMs.at(i)),
    });
  }
  const g = h.video.gops.fields;
  const gops: GopSample[] = [];
  for (let i = Math.max(0, g.atMs.length - RECENT); i < g.atMs.length; i++) {
    const closed = g.closed.at(i);
    gops.push({ atMs: g.atMs.at(i) - h.startedAt, mediaMs: g.mediaMs.at(i), seconds: g.seconds.at(i), frames: g.frames.at(i), bytes: g.bytes.at(i), closed: closed === 1 ? true : closed === 0 ? false : null });
  }
  return {
    encoder,
    words: settingsInWords(encoder),
    findings: { generic: h.book.list('generic'), youtube: h.book.list('youtube'), twitch: h.book.list('twitch') },
    seconds,
    gops,
    receiverLoss: { ...h.receiverLoss },
    limits: limitsFor(encoder.height, encoder.fpsMeasured),
  };
}
