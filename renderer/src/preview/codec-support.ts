/**
 * Can this browser play a stream? Two gates: mpegts.js must demux the codec
 * from FLV (H.264, HEVC, AV1 video; AAC, MP3, Opus, FLAC, PCM audio) and the
 * browser's MediaSource must decode it (Debian's Chromium has no HEVC, for one).
 */
import { codecName } from '../util/format.js';

/** What the preview will do with a stream. */
export type Playability =
  /** hasAudio: false when the audio cannot play (video only); undefined: as the FLV header says. */
  | { ok: true; hasAudio?: boolean; note?: string }
  | { ok: false; reason: string };

/** Video codec prefixes mpegts.js's FLV demuxer handles. */
const DEMUX_VIDEO = ['avc1', 'avc3', 'hvc1', 'hev1', 'av01'];
/** Audio codec prefixes mpegts.js's FLV demuxer handles. */
const DEMUX_AUDIO = ['mp4a', 'mp3', 'opus', 'flac', 'pcm'];

/** The browser's MediaSource check, or null when there is no MediaSource (jsdom, old browsers). */
export type TypeCheck = ((mime: string) => boolean) | null;

function browserTypeCheck(): TypeCheck {
  const ms = (globalThis as { MediaSource?: { isTypeSupported(t: string): boolean } }).MediaSource;
  return ms ? (t) => ms.isTypeSupported(t) : null;
}

function audioMime(codec: string): string {
  if (codec === 'mp3') return 'audio/mpeg';
  return `audio/mp4; codecs="${codec}"`;
}

/**
 * Decide from the stats' codec strings (null while unknown: assume playable
 * and let the player's own errors tell).
 */
export function checkPlayable(video: string | null | undefined, audio: string | null | undefined, isTypeSupported: TypeCheck = browserTypeCheck()): Playability {
  if (!isTypeSupported) return { ok: false, reason: 'This browser has no MediaSource: the preview cannot play here. Everything else keeps working.' };
  const v = video?.toLowerCase();
  if (v) {
    if (!DEMUX_VIDEO.some((p) => v.startsWith(p))) {
      return { ok: false, reason: `The preview player cannot read ${codecName(video)} (${video}) from FLV. Capture, recording and the protocol view keep working.` };
    }
    if (!isTypeSupported(`video/mp4; codecs="${video}"`)) {
      return { ok: false, reason: `This browser cannot decode ${codecName(video)} (${video}). Capture, recording and the protocol view keep working.` };
    }
  }
  const a = audio?.toLowerCase();
  if (a) {
    const demuxable = DEMUX_AUDIO.some((p) => a.startsWith(p));
    // PCM has no MSE type to ask about; mpegts.js reports it at run time if it fails.
    if (!demuxable || (a !== 'pcm' && !isTypeSupported(audioMime(a)))) {
      return { ok: true, hasAudio: false, note: `Audio (${codecName(audio)}) cannot be played here; video only.` };
    }
  }
  return { ok: true };
}
