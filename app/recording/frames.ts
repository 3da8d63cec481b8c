import { parseAudioTag } from '../media/audio-tag.js';
import { parseVideoTag } from '../media/video-tag.js';
import type { MediaTag } from '../streams/media-tag.js';
import type { RecordingClock } from './clock.js';

/** One track's coded frame, on the recording's timeline. */
export interface ParsedFrame {
  /** `video:<trackId>` or `audio:<trackId>`. */
  key: string;
  kind: 'video' | 'audio';
  fourCC: string;
  /** The frame's bytes, ours to keep. */
  data: Uint8Array;
  /** Decode time on the recording's timeline (ms). */
  dts: number;
  /** Composition offset (ms): presentation = dts + cts. */
  cts: number;
  keyframe: boolean;
  /** A frame of track 0, as capture counts it (the funnel's "recorded"). */
  frame: boolean;
}

/** A sequence header of one track. */
export interface ParsedConfig {
  key: string;
  fourCC: string;
  data: Uint8Array;
}

/** A copy of `data` unless the tag's body is stable (then a view: nothing else writes to it). */
function own(data: Uint8Array, stable: boolean): Uint8Array {
  return stable ? data : Uint8Array.prototype.slice.call(data);
}

/**
 * Every track's packets of one tag (all tracks of a multitrack packet, which
 * the stream hands on as `tag.multitrack`), as frames on the recording's
 * timeline and configuration records. The clock runs once per tag that
 * carries frames. An unparseable tag gives nothing and a note.
 */
export function parseTrackPackets(tag: MediaTag, clock: RecordingClock): { frames: ParsedFrame[]; configs: ParsedConfig[]; note?: string } {
  const body = tag.multitrack ?? tag.body;
  const stable = tag.multitrack ? false : tag.stable === true;
  const frames: ParsedFrame[] = [];
  const configs: ParsedConfig[] = [];
  try {
    if (tag.type === 9) {
      const info = parseVideoTag(body);
      let dts = -1;
      for (const t of info.tracks) {
        const key = `video:${t.trackId}`;
        if (t.packetType === 'sequence-start') configs.push({ key, fourCC: t.codec, data: own(t.data, false) });
        else if (t.packetType === 'coded-frames' && t.data.length > 0) {
          if (dts < 0) dts = clock.frame(tag.timestamp);
          frames.push({ key, kind: 'video', fourCC: t.codec, data: own(t.data, stable), dts, cts: t.compositionTime, keyframe: info.keyframe, frame: t.trackId === 0 });
        }
      }
    } else if (tag.type === 8) {
      const info = parseAudioTag(body);
      let dts = -1;
      for (const t of info.tracks) {
        const key = `audio:${t.trackId}`;
        if (t.packetType === 'sequence-start') configs.push({ key, fourCC: t.codec, data: own(t.data, false) });
        else if (t.packetType === 'coded-frames' && t.data.length > 0) {
          if (dts < 0) dts = clock.frame(tag.timestamp);
          frames.push({ key, kind: 'audio', fourCC: t.codec, data: own(t.data, stable), dts, cts: 0, keyframe: true, frame: t.trackId === 0 });
        }
      }
    }
  } catch (err) {
    return { frames, configs, note: `a ${tag.type === 9 ? 'video' : 'audio'} tag could not be read (${(err as Error).message}); left out` };
  }
  return { frames, configs };
}
