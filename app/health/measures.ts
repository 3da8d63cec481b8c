/**
 * The named values the condition checks read (checks.ts `MeasureName`),
 * computed once a second from a stream's analyser. Pure: reads, never
 * changes, the analyser.
 */
import type { TrackCounters } from '../streams/track-stats.js';
import type { Measures } from './evaluate.js';
import type { HeaderInfo } from './headers.js';
import type { VideoAnalysis } from './video-analysis.js';

/** What the measures read of a stream's analyser (StreamHealth has it all). */
export interface MeasureSource {
  readonly video: VideoAnalysis;
  readonly videoCounters: TrackCounters;
  readonly audioCounters: TrackCounters;
  readonly startedAt: number;
  readonly videoHeader: HeaderInfo | null;
  readonly audioHeaderCodec: string | null;
  readonly declared: { fps: number | null; videoKbps: number | null; audioKbps: number | null };
  readonly extraVideo: number;
  readonly extraAudio: number;
  readonly avFirstOffset: number | null;
  readonly avBaseline: number | null;
  readonly avOffsetNow: number | null;
  readonly interleaveLead: number;
  readonly missingAfterMs: number;
  average(field: 'videoBps' | 'audioBps', n: number, minSeconds?: number): { avg: number; peak: number } | null;
  mediaRate(kind: 'video' | 'audio', n: number, minSeconds?: number): number | null;
  audioSegment(): { first: number; frames: number } | null;
  readonly lastAudioTs: number | null;
}

/** An audio codec string as the checks name it: 'aac', 'mp3', 'opus'... */
export function audioCodecName(codec: string | null): string | null {
  if (codec === null) return null;
  if (codec.startsWith('mp4a')) return 'aac';
  return codec.toLowerCase().replace(/^\./, '');
}

/** The measures of this second. */
export function measure(h: MeasureSource, now: number): Measures & { videoHeight: number | null } {
  const v = h.video;
  const hasVideo = h.videoCounters.capture.received > 0;
  const hasAudio = h.audioCounters.capture.received > 0 || h.audioHeaderCodec !== null;
  const late = now - h.startedAt >= h.missingAfterMs;
  const lastGop = v.gopSeconds.length ? v.gopSeconds.latest() : null;
  const age = v.currentGopSeconds();
  // The GOP in progress counts once it is longer than the last one (a 10 s GOP is seen at 4 s, not at 10).
  const gopSeconds = lastGop === null ? (age !== null && age > 2.1 ? age : null) : Math.max(lastGop, age ?? 0);
  const iv = v.interval();
  const fpsMeasured = iv && iv.mean > 0 ? 1000 / iv.mean : null;
  const fpsDeclared = h.declared.fps;
  const videoRate = h.mediaRate('video', 5);
  const peak = h.average('videoBps', 10, 5);
  const audioRate = h.mediaRate('audio', 5);
  const seg = h.audioSegment();
  const sr = h.audioCounters.sampleRate;
  const aacLc = h.audioCounters.codec === 'mp4a.40.2';
  const audioClockDriftMs = seg && sr && aacLc && seg.frames > 50 && h.lastAudioTs !== null ? h.lastAudioTs - seg.first - ((seg.frames - 1) * 1024 * 1000) / sr : null;
  return {
    gopSeconds: hasVideo ? gopSeconds : null,
    bFrames: hasVideo ? v.maxBRun : null,
    openGop: hasVideo && v.codec ? v.openKeyframes : null,
    interlaced: h.videoHeader?.interlaced === null || h.videoHeader === null ? null : h.videoHeader.interlaced ? 1 : 0,
    videoCodec: v.codec,
    audioCodec: audioCodecName(h.audioCounters.codec),
    sampleRate: h.audioCounters.sampleRate ?? null,
    channels: h.audioCounters.channels ?? null,
    audioKbps: audioRate === null ? null : audioRate / 1000,
    videoKbps: videoRate === null ? null : videoRate / 1000,
    videoPeakRatio: peak && peak.avg > 0 ? peak.peak / peak.avg : null,
    fpsMeasured,
    fpsMismatch: fpsMeasured !== null && fpsDeclared !== null && h.videoCounters.capture.received > 30 ? (Math.abs(fpsMeasured - fpsDeclared) / fpsDeclared) * 100 : null,
    noAudio: late ? (hasAudio ? 0 : 1) : null,
    noVideo: late ? (hasVideo || h.videoHeader ? 0 : 1) : null,
    extraVideoTracks: h.extraVideo,
    extraAudioTracks: h.extraAudio,
    avStartOffsetMs: h.avFirstOffset,
    avDriftMs: h.avBaseline !== null && h.avOffsetNow !== null ? h.avOffsetNow - h.avBaseline : null,
    audioClockDriftMs,
    interleaveLeadMs: h.interleaveLead || null,
    videoHeight: h.videoCounters.height ?? h.videoHeader?.height ?? null,
  };
}
