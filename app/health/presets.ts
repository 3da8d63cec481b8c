/**
 * Destination presets: each platform's published ingest numbers, as data.
 * The source and date of every number is in docs/health.md; where a platform
 * publishes none, the number here is Intake's own and marked so there.
 */
import { PRESET_LABELS, type PresetId } from '../contract/health.js';

/** A bitrate band (kbit/s) for streams up to `maxHeight` lines and `maxFps` frames a second. */
export interface BitrateBand {
  maxHeight: number;
  maxFps: number;
  minKbps: number;
  maxKbps: number;
}

export interface Preset {
  id: PresetId;
  label: string;
  /** Video bitrate bands, the first that fits the stream's height and frame rate applies. */
  videoBands: readonly BitrateBand[];
}

/**
 * YouTube, "Choose live encoder settings, bitrates, and resolutions"
 * (support.google.com/youtube/answer/2853702): minimum and maximum by
 * resolution and frame rate.
 */
const YOUTUBE_BANDS: readonly BitrateBand[] = [
  { maxHeight: 720, maxFps: 30.5, minKbps: 3000, maxKbps: 8000 },
  { maxHeight: 720, maxFps: 61, minKbps: 3000, maxKbps: 8000 },
  { maxHeight: 1080, maxFps: 30.5, minKbps: 3000, maxKbps: 8000 },
  { maxHeight: 1080, maxFps: 61, minKbps: 4000, maxKbps: 10000 },
  { maxHeight: 1440, maxFps: 30.5, minKbps: 5000, maxKbps: 25000 },
  { maxHeight: 1440, maxFps: 61, minKbps: 6000, maxKbps: 30000 },
  { maxHeight: 2160, maxFps: 30.5, minKbps: 8000, maxKbps: 35000 },
  { maxHeight: Infinity, maxFps: Infinity, minKbps: 10000, maxKbps: 40000 },
];

/**
 * Twitch, Broadcasting Guidelines (help.twitch.tv): up to 6000 kbit/s for
 * H.264; Twitch publishes no minimum, so this one is Intake's (configurable).
 */
const TWITCH_BANDS: readonly BitrateBand[] = [{ maxHeight: Infinity, maxFps: Infinity, minKbps: 500, maxKbps: 6000 }];

/** Generic: sanity only, Intake's own numbers (configurable): below 100 kbit/s or above 50 Mbit/s is a mistake anywhere. */
const GENERIC_BANDS: readonly BitrateBand[] = [{ maxHeight: Infinity, maxFps: Infinity, minKbps: 100, maxKbps: 50000 }];

export const PRESETS: Record<PresetId, Preset> = {
  generic: { id: 'generic', label: PRESET_LABELS.generic, videoBands: GENERIC_BANDS },
  youtube: { id: 'youtube', label: PRESET_LABELS.youtube, videoBands: YOUTUBE_BANDS },
  twitch: { id: 'twitch', label: PRESET_LABELS.twitch, videoBands: TWITCH_BANDS },
};

/** The band for a stream of `height` lines at `fps` (unknown: the first band). */
export function bandFor(preset: Preset, height: number | null, fps: number | null): BitrateBand {
  const h = height ?? 0;
  const f = fps ?? 30;
  const bands = preset.videoBands;
  for (const b of bands) if (h <= b.maxHeight && f <= b.maxFps) return b;
  return bands[bands.length - 1];
}
