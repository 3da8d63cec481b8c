/**
 * The checks, as data: what each measures, its threshold under each preset,
 * how bad it is, the fix in OBS's words, and the platform issue it stands
 * for. `evaluate.ts` runs this table; docs/health.md documents it (the
 * source and date of each number, and the coverage of YouTube's and Twitch's
 * issue types). A check with no entry for a preset does not run under it.
 */
import type { PresetId, Severity } from '../contract/health.js';

/** Named values the analyser measures each second (`Measures`); null: not known (yet). */
export type MeasureName =
  | 'gopSeconds' | 'bFrames' | 'openGop' | 'interlaced' | 'videoCodec' | 'audioCodec' | 'sampleRate' | 'channels'
  | 'audioKbps' | 'videoKbps' | 'videoPeakRatio' | 'fpsMeasured' | 'fpsMismatch' | 'noAudio' | 'noVideo'
  | 'extraVideoTracks' | 'extraAudioTracks' | 'avStartOffsetMs' | 'avDriftMs' | 'audioClockDriftMs' | 'interleaveLeadMs';

/** Events the analyser raises at a moment (each occurrence counted). */
export type EventName =
  | 'encoder-skipped' | 'ts-reset' | 'ts-jump' | 'ts-backwards' | 'ingest-gap' | 'ingest-starved'
  | 'ingest-faster-than-realtime' | 'dts-after-pts' | 'sequence-header-change';

/** A threshold: a number, the preset's video bitrate band, or a list of accepted (notIn) / refused (in) values. */
export type Threshold = number | 'band-min' | 'band-max' | readonly (string | number)[];

export interface PresetRule {
  threshold?: Threshold;
  /** Overrides the check's severity under this preset. */
  severity?: Severity;
}

interface CheckBase {
  id: string;
  title: string;
  severity: Severity;
  unit: string;
  fix: string;
  presets: Partial<Record<PresetId, PresetRule>>;
  /** The platform's own name for it: YouTube `configurationIssues[].type`, Twitch ingest reason. */
  youtube?: string;
  twitch?: string;
}

/** Fires while `measure op threshold` holds, evaluated once a second. */
export interface ConditionCheck extends CheckBase {
  kind: 'condition';
  measure: MeasureName;
  op: '>' | '<' | 'absAbove' | 'in' | 'notIn';
}

/** Fires at each occurrence of an event. */
export interface EventCheck extends CheckBase {
  kind: 'event';
  event: EventName;
}

export type Check = ConditionCheck | EventCheck;

const ALL: Partial<Record<PresetId, PresetRule>> = { generic: {}, youtube: {}, twitch: {} };
const KEYFRAME_FIX = 'Settings → Output → Output Mode: Advanced → Streaming → Keyframe Interval: 2 s (0 means auto, about 8 s with x264)';
const BITRATE_FIX = 'Settings → Output → Streaming → Rate Control: CBR, Bitrate: within the band shown (Kbps)';
const NETWORK_FIX = 'Settings → Output → Streaming → Bitrate: below your upload speed; Settings → Advanced → Network → Dynamically change bitrate to manage congestion';

/** Every check Intake runs. Ids are stable: scripts read them from `intake check --json`. */
export const CHECKS: readonly Check[] = [
  { kind: 'condition', id: 'gop-long', title: 'Keyframe interval too long', measure: 'gopSeconds', op: '>', unit: 's', severity: 'error',
    presets: { youtube: { threshold: 4 }, twitch: { threshold: 2.1 }, generic: { threshold: 5, severity: 'warning' } },
    youtube: 'gopSizeLong', twitch: 'HIGH_KEY_FRAME_INTERVAL', fix: KEYFRAME_FIX },
  { kind: 'condition', id: 'gop-medium', title: 'Keyframe interval above 2 s', measure: 'gopSeconds', op: '>', unit: 's', severity: 'warning',
    presets: { youtube: { threshold: 2.1 } }, youtube: 'gopSizeMedium', fix: KEYFRAME_FIX },
  { kind: 'condition', id: 'gop-short', title: 'Keyframe interval very short', measure: 'gopSeconds', op: '<', unit: 's', severity: 'warning',
    presets: { youtube: { threshold: 0.5 }, generic: { threshold: 0.25 } }, youtube: 'gopSizeShort', fix: KEYFRAME_FIX },
  { kind: 'condition', id: 'b-frames', title: 'B-frames in use', measure: 'bFrames', op: '>', unit: 'frames', severity: 'info',
    presets: { generic: { threshold: 0 }, youtube: { threshold: 0 }, twitch: { threshold: 0 } },
    fix: 'For the lowest latency: Settings → Output → Streaming → x264 Options: bframes=0 (NVENC: Max B-frames 0); B-frames are accepted by every preset' },
  { kind: 'condition', id: 'open-gop', title: 'Open GOP (keyframes that are not IDR)', measure: 'openGop', op: '>', unit: 'keyframes', severity: 'error',
    presets: { youtube: { threshold: 0 }, twitch: { threshold: 0 }, generic: { threshold: 0, severity: 'warning' } },
    youtube: 'openGop', fix: 'Settings → Output → Streaming → x264 Options: remove open_gop=1 (closed GOPs are the default)' },
  { kind: 'condition', id: 'interlaced', title: 'Interlaced video', measure: 'interlaced', op: '>', unit: '', severity: 'error',
    presets: { youtube: { threshold: 0 }, twitch: { threshold: 0 }, generic: { threshold: 0, severity: 'warning' } },
    youtube: 'interlacedVideo', fix: 'Right-click the capture source → Deinterlacing: Yadif; remove interlaced/tff from x264 Options' },
  { kind: 'condition', id: 'video-codec', title: 'Video codec not accepted', measure: 'videoCodec', op: 'notIn', unit: '', severity: 'error',
    presets: { youtube: { threshold: ['avc1', 'hvc1', 'av01'] }, twitch: { threshold: ['avc1'] } },
    youtube: 'videoCodec', twitch: 'INCOMP_VIDEO_CODEC', fix: 'Settings → Output → Streaming → Video Encoder: x264 (or NVENC / QuickSync / AMF H.264)' },
  { kind: 'condition', id: 'audio-codec', title: 'Audio codec not accepted', measure: 'audioCodec', op: 'notIn', unit: '', severity: 'error',
    presets: { youtube: { threshold: ['aac', 'mp3'] }, twitch: { threshold: ['aac', 'mp3'] } },
    youtube: 'audioCodec', twitch: 'INCOMP_AUDIO_CODEC', fix: 'Settings → Output → Streaming → Audio Encoder: FFmpeg AAC (the default)' },
  { kind: 'condition', id: 'audio-mp3', title: 'MP3 audio (deprecated)', measure: 'audioCodec', op: 'in', unit: '', severity: 'warning',
    presets: { twitch: { threshold: ['mp3'] } }, twitch: 'INCOMP_MP3_DEPRECATED', fix: 'Settings → Output → Streaming → Audio Encoder: FFmpeg AAC' },
  { kind: 'condition', id: 'audio-sample-rate', title: 'Audio sample rate not 44.1 or 48 kHz', measure: 'sampleRate', op: 'notIn', unit: 'Hz', severity: 'error',
    presets: { youtube: { threshold: [44100, 48000] }, generic: { threshold: [44100, 48000], severity: 'warning' } },
    youtube: 'audioSampleRate', fix: 'Settings → Audio → General → Sample Rate: 48 kHz' },
  { kind: 'condition', id: 'audio-channels', title: 'More than two audio channels', measure: 'channels', op: '>', unit: 'channels', severity: 'error',
    presets: { youtube: { threshold: 2 }, twitch: { threshold: 2 }, generic: { threshold: 2, severity: 'warning' } },
    youtube: 'audioTooManyChannels', fix: 'Settings → Audio → General → Channels: Stereo' },
  { kind: 'condition', id: 'audio-bitrate-low', title: 'Audio bitrate low', measure: 'audioKbps', op: '<', unit: 'kbit/s', severity: 'warning',
    presets: { youtube: { threshold: 96 }, twitch: { threshold: 64 }, generic: { threshold: 48 } },
    youtube: 'audioBitrateLow', fix: 'Settings → Output → Audio → Track 1 → Audio Bitrate: 128 or 160' },
  { kind: 'condition', id: 'audio-bitrate-high', title: 'Audio bitrate high', measure: 'audioKbps', op: '>', unit: 'kbit/s', severity: 'warning',
    presets: { youtube: { threshold: 400 }, twitch: { threshold: 330 }, generic: { threshold: 512 } },
    youtube: 'audioBitrateHigh', fix: 'Settings → Output → Audio → Track 1 → Audio Bitrate: 160' },
  { kind: 'condition', id: 'video-bitrate-low', title: 'Video bitrate below the band', measure: 'videoKbps', op: '<', unit: 'kbit/s', severity: 'warning',
    presets: { youtube: { threshold: 'band-min' }, twitch: { threshold: 'band-min' }, generic: { threshold: 'band-min' } },
    youtube: 'bitrateLow', fix: BITRATE_FIX },
  { kind: 'condition', id: 'video-bitrate-high', title: 'Video bitrate above the band', measure: 'videoKbps', op: '>', unit: 'kbit/s', severity: 'error',
    presets: { youtube: { threshold: 'band-max', severity: 'warning' }, twitch: { threshold: 'band-max' }, generic: { threshold: 'band-max', severity: 'warning' } },
    youtube: 'bitrateHigh', twitch: 'HIGH_BITRATE', fix: BITRATE_FIX },
  { kind: 'condition', id: 'not-cbr', title: 'Bitrate not constant (peak / average)', measure: 'videoPeakRatio', op: '>', unit: '×', severity: 'warning',
    presets: { twitch: { threshold: 1.5 } }, fix: 'Settings → Output → Streaming → Rate Control: CBR' },
  { kind: 'condition', id: 'frame-rate-high', title: 'Frame rate too high', measure: 'fpsMeasured', op: '>', unit: 'fps', severity: 'error',
    presets: { youtube: { threshold: 61 }, twitch: { threshold: 61 }, generic: { threshold: 121, severity: 'warning' } },
    youtube: 'frameRateHigh', fix: 'Settings → Video → Common FPS Values: 60 or lower' },
  { kind: 'condition', id: 'frame-rate-mismatch', title: 'Frame rate differs from the declared one', measure: 'fpsMismatch', op: '>', unit: '%', severity: 'warning',
    presets: { ...ALL, generic: { threshold: 10 }, youtube: { threshold: 10 }, twitch: { threshold: 10 } },
    fix: 'Settings → Video → Common FPS Values, and View → Stats: frames missed due to rendering lag should stay 0' },
  { kind: 'condition', id: 'no-audio', title: 'No audio track', measure: 'noAudio', op: '>', unit: '', severity: 'warning',
    presets: { youtube: { threshold: 0, severity: 'error' }, twitch: { threshold: 0 }, generic: { threshold: 0 } },
    youtube: 'noAudioStream', fix: 'Add an audio source (Settings → Audio → Global Audio Devices) and keep Track 1 on in Edit → Advanced Audio Properties' },
  { kind: 'condition', id: 'no-video', title: 'No video track', measure: 'noVideo', op: '>', unit: '', severity: 'error',
    presets: { youtube: { threshold: 0 }, twitch: { threshold: 0 }, generic: { threshold: 0 } }, youtube: 'noVideoStream', fix: 'Add a video source to the scene' },
  { kind: 'condition', id: 'multiple-video', title: 'More than one video track', measure: 'extraVideoTracks', op: '>', unit: 'tracks', severity: 'info',
    presets: { youtube: { threshold: 0, severity: 'error' }, twitch: { threshold: 0 }, generic: { threshold: 0 } },
    youtube: 'multipleVideoStreams', fix: 'Settings → Stream: turn off Enhanced Broadcasting (multitrack video)' },
  { kind: 'condition', id: 'multiple-audio', title: 'More than one audio track', measure: 'extraAudioTracks', op: '>', unit: 'tracks', severity: 'info',
    presets: { youtube: { threshold: 0, severity: 'error' }, twitch: { threshold: 0 }, generic: { threshold: 0 } },
    youtube: 'multipleAudioStreams', fix: 'Settings → Output → Streaming → Audio Track: one track' },
  { kind: 'condition', id: 'av-start-offset', title: 'Audio and video start apart', measure: 'avStartOffsetMs', op: 'absAbove', unit: 'ms', severity: 'warning',
    presets: { generic: { threshold: 500 }, youtube: { threshold: 500 }, twitch: { threshold: 500 } },
    fix: 'Edit → Advanced Audio Properties → Sync Offset: 0 ms for every source' },
  { kind: 'condition', id: 'av-drift', title: 'Audio drifts from video', measure: 'avDriftMs', op: 'absAbove', unit: 'ms', severity: 'warning',
    presets: { generic: { threshold: 500 }, youtube: { threshold: 500 }, twitch: { threshold: 500 } },
    fix: 'Use one device clock for audio and video; check Edit → Advanced Audio Properties → Sync Offset, then restart the stream' },
  { kind: 'condition', id: 'audio-clock-drift', title: 'Audio timestamps disagree with its samples', measure: 'audioClockDriftMs', op: 'absAbove', unit: 'ms', severity: 'warning',
    presets: { generic: { threshold: 250 }, youtube: { threshold: 250 }, twitch: { threshold: 250 } },
    fix: 'Settings → Audio → General → Sample Rate: the rate of your audio device (48 kHz)' },
  { kind: 'condition', id: 'interleave-lead', title: 'One track runs ahead of the other', measure: 'interleaveLeadMs', op: '>', unit: 'ms', severity: 'warning',
    presets: { generic: { threshold: 2000 }, youtube: { threshold: 2000 }, twitch: { threshold: 2000 } },
    fix: 'Send audio and video interleaved by time (OBS does); with ffmpeg, do not buffer one input (-re on every input)' },
  { kind: 'event', id: 'encoder-skipped', event: 'encoder-skipped', title: 'Encoder skipped frames', unit: 'frames', severity: 'warning', presets: ALL,
    twitch: 'DROPPED_FRAMES', fix: 'View → Stats: frames skipped due to encoding lag → Settings → Output → CPU Usage Preset: veryfast, or a lower Output (Scaled) Resolution' },
  { kind: 'event', id: 'ts-reset', event: 'ts-reset', title: 'Timestamps reset', unit: 's', severity: 'warning', presets: ALL,
    fix: 'The encoder restarted its clock mid-stream: stop and start streaming rather than reconnecting the output' },
  { kind: 'event', id: 'ts-jump', event: 'ts-jump', title: 'Timestamps jumped', unit: 's', severity: 'warning', presets: ALL,
    fix: 'The encoder\'s clock jumped: stop and start streaming; check the system clock and the source\'s timestamps' },
  { kind: 'event', id: 'ts-backwards', event: 'ts-backwards', title: 'Timestamps went backwards', unit: 'ms', severity: 'warning', presets: ALL,
    fix: 'The encoder sent a frame older than the one before: update OBS or the encoder plugin' },
  { kind: 'event', id: 'dts-after-pts', event: 'dts-after-pts', title: 'Decode time after presentation time', unit: 'ms', severity: 'error', presets: ALL,
    fix: 'A broken encoder: update OBS or the encoder plugin, or use x264' },
  { kind: 'event', id: 'sequence-header-change', event: 'sequence-header-change', title: 'Sequence header changed mid-stream', unit: '', severity: 'warning', presets: ALL,
    fix: 'Do not change Settings → Video → Output (Scaled) Resolution or the encoder while live' },
  { kind: 'event', id: 'ingest-gap', event: 'ingest-gap', title: 'No media for more than a second', unit: 's', severity: 'warning', presets: ALL,
    youtube: 'videoIngestionStarved', fix: NETWORK_FIX },
  { kind: 'event', id: 'ingest-starved', event: 'ingest-starved', title: 'Media arrives slower than real time', unit: 's', severity: 'error',
    presets: { youtube: {}, twitch: {}, generic: { severity: 'warning' } }, youtube: 'videoIngestionStarved', twitch: 'STARVATION', fix: NETWORK_FIX },
  { kind: 'event', id: 'ingest-faster-than-realtime', event: 'ingest-faster-than-realtime', title: 'Media arrives faster than real time', unit: 's', severity: 'warning', presets: ALL,
    youtube: 'videoIngestionFasterThanRealtime', fix: 'Send live, paced media (OBS does); with ffmpeg add -re before -i' },
];
