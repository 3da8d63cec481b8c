import { type AudioTagInfo, parseAudioTag } from '../media/audio-tag.js';
import { type VideoTagInfo, parseVideoTag } from '../media/video-tag.js';
import { parseColorInfo } from '../media/color-info.js';
import type { VideoColour } from '../media/vui-colour.js';
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

/** A copy of `data` that is ours to keep (the engine reuses its buffers). */
function copy(data: Uint8Array): Uint8Array {
  return Uint8Array.prototype.slice.call(data);
}

/**
 * The tag's packets as parsed: the stream's own parse when it came along
 * (`tag.parsed`), its views moved onto `tag.body` when that is a stable copy
 * of the payload parsed; else a parse of our own.
 */
function packetsOf(tag: MediaTag, body: Buffer): { info: VideoTagInfo | AudioTagInfo; base: Buffer } {
  const info = tag.parsed;
  const from = tag.parsedBody;
  if (!info || !from) return { info: tag.type === 9 ? parseVideoTag(body) : parseAudioTag(body), base: body };
  return { info, base: from };
}

/** `data` (a view into `base`) as the same bytes of `body` when `body` is `base` or a copy of it; else null. */
function rebase(data: Uint8Array, base: Buffer, body: Buffer): Uint8Array | null {
  if (base === body) return data;
  if (data.buffer !== base.buffer || base.length !== body.length) return null;
  const off = data.byteOffset - base.byteOffset;
  return body.subarray(off, off + data.byteLength);
}

/**
 * Every track's packets of one tag (all tracks of a multitrack packet, which
 * the stream hands on as `tag.multitrack`), as frames on the recording's
 * timeline and configuration records. The clock runs once per tag that
 * carries frames. An unparseable tag gives nothing and a note. `keep` makes
 * the copy of a frame that is not stable (default: a buffer of its own).
 */
export function parseTrackPackets(tag: MediaTag, clock: RecordingClock, keep: (data: Uint8Array) => Uint8Array = copy): { frames: ParsedFrame[]; configs: ParsedConfig[]; colours?: { key: string; colour: VideoColour }[]; note?: string } {
  const body = tag.multitrack ?? tag.body;
  const stable = tag.multitrack ? false : tag.stable === true;
  const frames: ParsedFrame[] = [];
  const configs: ParsedConfig[] = [];
  let colours: { key: string; colour: VideoColour }[] | undefined;
  let ignored: string | undefined;
  if (tag.type !== 8 && tag.type !== 9) return { frames, configs };
  const kind = tag.type === 9 ? 'video' : 'audio';
  try {
    const { info, base } = packetsOf(tag, body);
    const keyframe = 'keyframe' in info ? info.keyframe : true;
    let dts = -1;
    for (const t of info.tracks) {
      const key = `${kind}:${t.trackId}`;
      if (t.packetType === 'sequence-start') configs.push({ key, fourCC: t.codec, data: copy(t.data) });
      else if (t.packetType === 'metadata') {
        // E-RTMP colorInfo: the colour description an AV1 or VP9 sequence start lacks. A malformed one is only ignored.
        let colour: VideoColour | undefined;
        try {
          colour = parseColorInfo(t.data);
        } catch (err) {
          colour = undefined;
          ignored = `a ${key} colorInfo could not be read (${(err as Error).message}); ignored`;
        }
        if (colour) (colours ??= []).push({ key, colour });
      }
      else if (t.packetType === 'coded-frames' && t.data.length > 0) {
        if (dts < 0) dts = clock.frame(tag.timestamp);
        // A stable body is kept by reference (no copy); anything else is the engine's buffer and is copied.
        const kept = stable ? rebase(t.data, base, body) : null;
        const data = kept ?? keep(t.data);
        const cts = 'compositionTime' in t ? t.compositionTime : 0;
        frames.push({ key, kind, fourCC: t.codec, data, dts, cts, keyframe, frame: t.trackId === 0 });
      }
    }
  } catch (err) {
    return { frames, configs, note: `a ${tag.type === 9 ? 'video' : 'audio'} tag could not be read (${(err as Error).message}); left out` };
  }
  return { frames, configs, ...(colours ? { colours } : {}), ...(ignored ? { note: ignored } : {}) };
}
