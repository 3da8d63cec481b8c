/**
 * What differs between a stream's video and audio: how a tag is parsed, what
 * its sequence header says, how a codec is named without one, and how a
 * multitrack packet is cut down to track 0. One routine in LiveStream runs
 * both through these tables.
 */
import { StepId } from '../contract/engine.js';
import { type AudioTagInfo, type AudioTrackPacket, encodeSingleTrackAudioTag, parseAudioTag } from '../media/audio-tag.js';
import { describeAudioConfig, describeVideoConfig } from '../media/codec-info.js';
import { type VideoTagInfo, type VideoTrackPacket, encodeSingleTrackVideoTag, parseVideoTag } from '../media/video-tag.js';
import type { TrackCounters } from './track-stats.js';

/** The packet fields the shared routine reads, common to video and audio. */
export interface TrackPacket {
  trackId: number;
  codec: string;
  packetType: string;
  data: Uint8Array;
}

/** One media kind's rules. Module-level objects: the per-tag routine allocates nothing to pick them. */
export interface TrackKind<I extends { tracks: P[]; multitrack?: boolean }, P extends TrackPacket> {
  readonly name: 'video' | 'audio';
  /** FLV TagType. */
  readonly type: 8 | 9;
  readonly headerStep: typeof StepId.VideoSequenceHeader | typeof StepId.AudioSequenceHeader;
  parse(payload: Buffer): I;
  /** A video keyframe (audio has none). */
  keyframe(info: I): boolean;
  /** Reads a sequence header's configuration into the counters; throws when it is not understood. */
  describe(counters: TrackCounters, t: P): void;
  /** Names the codec from the first coded frame when no sequence header did. */
  nameCodec(counters: TrackCounters, t: P, info: I): void;
  /** The sequence-header step's detail. */
  headerDetail(counters: TrackCounters, info: I, t: P, update: boolean): Record<string, unknown>;
  /** Track 0 of a multitrack packet as a single-track body (players read those), or null without a track 0. */
  singleTrack(info: I): Buffer | null;
}

/** Names of legacy FLV SoundFormats that carry no configuration record. */
const LEGACY_AUDIO: Record<number, string> = { 0: 'pcm', 1: 'adpcm', 2: 'mp3', 3: 'pcm', 4: 'nellymoser', 5: 'nellymoser', 6: 'nellymoser', 7: 'g711a', 8: 'g711u', 11: 'speex', 14: 'mp3' };

/** Video: keyframes, resolution from the configuration record. */
export const VIDEO: TrackKind<VideoTagInfo, VideoTrackPacket> = {
  name: 'video',
  type: 9,
  headerStep: StepId.VideoSequenceHeader,
  parse: parseVideoTag,
  keyframe: (info) => info.keyframe,
  describe(counters, t) {
    const d = describeVideoConfig(t.codec, t.data);
    counters.codec = d.codec;
    counters.width = d.width;
    counters.height = d.height;
  },
  nameCodec(counters, t) {
    counters.codec = t.codec;
  },
  headerDetail: (c, info, t, update) => ({ codec: c.codec, width: c.width, height: c.height, enhanced: info.enhanced, update, bytes: t.data.length }),
  singleTrack(info) {
    const t0 = info.tracks.find((t) => t.trackId === 0);
    return t0 ? encodeSingleTrackVideoTag(info.frameType, t0) : null;
  },
};

/** Audio: sample rate and channels from the configuration (or the legacy header); AAC sets the frame clock. */
export const AUDIO: TrackKind<AudioTagInfo, AudioTrackPacket> = {
  name: 'audio',
  type: 8,
  headerStep: StepId.AudioSequenceHeader,
  parse: parseAudioTag,
  keyframe: () => false,
  describe(counters, t) {
    const d = describeAudioConfig(t.codec, t.data);
    counters.codec = d.codec;
    counters.sampleRate = d.sampleRate;
    counters.channels = d.channels;
    // An AAC access unit is 1024 samples: the audio clock's frame interval.
    if (t.codec === 'mp4a' && d.sampleRate) counters.capture.declareRate(d.sampleRate / 1024);
  },
  nameCodec(counters, t, info) {
    counters.codec = t.codec.startsWith('legacy:') ? (LEGACY_AUDIO[info.soundFormat] ?? t.codec) : t.codec;
    if (info.legacy) {
      counters.sampleRate = info.legacy.soundRate;
      counters.channels = info.legacy.channels;
    }
  },
  headerDetail: (c, _info, _t, update) => ({ codec: c.codec, sampleRate: c.sampleRate, channels: c.channels, update }),
  singleTrack(info) {
    const t0 = info.tracks.find((t) => t.trackId === 0);
    return t0 ? encodeSingleTrackAudioTag(t0) : null;
  },
};
