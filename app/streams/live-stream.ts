import { encodeAmf0 } from '../amf/amf0.js';
import type { AmfObject, AmfValue } from '../amf/types.js';
import type { ProtocolStep, RecordingInfo, StepState, StreamInfo, StreamStats } from '../contract/engine.js';
import { StepId } from '../contract/engine.js';
import { type AudioTagInfo, encodeSingleTrackAudioTag, parseAudioTag } from '../media/audio-tag.js';
import { describeAudioConfig, describeVideoConfig } from '../media/codec-info.js';
import { type VideoTagInfo, type VideoTrackPacket, encodeSingleTrackVideoTag, parseVideoTag } from '../media/video-tag.js';
import type { MediaSink } from '../rtmp/session.js';
import type { MediaTag, StreamSubscriber } from './media-tag.js';
import { TrackCounters } from './track-stats.js';

/** What a live stream reports to the connection and the hub. */
export interface LiveStreamHost {
  step(id: ProtocolStep['id'], state: StepState, detail?: Record<string, unknown>, reply?: string): void;
  updated(info: StreamInfo): void;
  ended(stream: LiveStream, reason: string): void;
  log(level: 'info' | 'warn', message: string): void;
  now(): number;
  /** Keep the current GOP for late subscribers (see EngineOptions.gopCache). */
  gopCache: boolean;
}

/** Names of legacy FLV SoundFormats that carry no configuration record. */
const LEGACY_AUDIO: Record<number, string> = { 0: 'pcm', 1: 'adpcm', 2: 'mp3', 3: 'pcm', 4: 'nellymoser', 5: 'nellymoser', 6: 'nellymoser', 7: 'g711a', 8: 'g711u', 11: 'speex', 14: 'mp3' };

/** The GOP cache is for late joiners, not an archive: past these, wait for the next keyframe. */
const GOP_MAX_BYTES = 64 * 1024 * 1024;
const GOP_MAX_TAGS = 10_000;

/** A tag whose body is ours to keep: message payloads are the decoder's reused buffers. */
function kept(tag: MediaTag): MediaTag {
  return { ...tag, body: Buffer.from(tag.body) };
}

/**
 * One published stream: turns its media messages into FLV tags, names its
 * codecs, counts its frames, keeps what a late subscriber needs to start at
 * once (metadata, sequence headers, current GOP), and hands every tag to its
 * subscribers (preview, recorder).
 */
export class LiveStream implements MediaSink {
  readonly video = new TrackCounters();
  readonly audio = new TrackCounters();
  readonly extraTracks = new Map<string, TrackCounters>();
  forwardedVideoFrames = 0;
  metadataValues: AmfObject | undefined;
  private metadataTag: MediaTag | null = null;
  private videoHeader: MediaTag | null = null;
  private audioHeader: MediaTag | null = null;
  private gop: MediaTag[] = [];
  private gopBytes = 0;
  private readonly subscribers = new Set<StreamSubscriber>();
  private previews = 0;
  private firstKeyframe = false;
  private streaming = false;
  private ended = false;
  private readonly warned = new Set<string>();

  constructor(
    readonly info: StreamInfo,
    private readonly host: LiveStreamHost,
  ) {}

  get path(): string {
    return this.info.path;
  }

  /** Whether the stream has carried (or declared) video / audio: FLV header flags. */
  get hasVideo(): boolean {
    return this.videoHeader !== null || this.video.capture.received > 0 || (this.metadataValues?.videocodecid ?? undefined) !== undefined;
  }

  /**
   * The FLV header's audio/video flags for a file or preview of this stream.
   * Before onMetaData has said what the stream carries, both are set: a
   * header that claims a track too many is harmless, one too few hides it.
   */
  get flvFlags(): { audio: boolean; video: boolean } {
    return this.metadataValues ? { audio: this.hasAudio, video: this.hasVideo } : { audio: true, video: true };
  }

  get hasAudio(): boolean {
    return this.audioHeader !== null || this.audio.capture.received > 0 || (this.metadataValues?.audiocodecid ?? undefined) !== undefined;
  }

  metadata(values: AmfValue[], timestamp: number): void {
    const obj = values[1];
    if (obj && typeof obj === 'object' && !Array.isArray(obj) && !(obj instanceof Date) && !(obj instanceof Uint8Array)) {
      this.metadataValues = obj as AmfObject;
      const fr = this.metadataValues.framerate ?? this.metadataValues.videoframerate;
      if (typeof fr === 'number') this.video.capture.declareRate(fr);
      const enc = this.metadataValues.encoder;
      if (typeof enc === 'string') this.info.encoder = enc;
      this.info.metadata = this.metadataValues;
      this.host.updated(this.info);
    }
    const body = encodeAmf0(values);
    // Some publishers (GStreamer's flvmux) repeat onMetaData every few hundred ms: one step, and only changes go on.
    if (this.metadataTag && this.metadataTag.body.equals(body)) return;
    this.host.step(StepId.Metadata, 'received', { values, update: this.metadataTag !== null });
    const tag = this.makeTag(18, timestamp, body, false, false, false);
    this.metadataTag = tag;
    this.deliver(tag);
  }

  data(_values: AmfValue[], payload: Buffer, timestamp: number): void {
    this.deliver(this.makeTag(18, timestamp, payload, false, false, false));
  }

  media(typeId: number, timestamp: number, payload: Buffer): void {
    if (this.ended) return;
    if (typeId === 9) this.onVideo(timestamp, payload);
    else this.onAudio(timestamp, payload);
  }

  end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    for (const s of this.subscribers) {
      try {
        s.end(reason);
      } catch (err) {
        this.host.log('warn', `${this.path}: subscriber failed at end: ${(err as Error).message}`);
      }
    }
    this.subscribers.clear();
    this.gop = [];
    this.host.ended(this, reason);
  }

  /** When a subscriber that must not lose anything is behind: a promise to wait on before reading more. */
  pressure(): Promise<void> | null {
    for (const s of this.subscribers) {
      const p = s.pressure?.();
      if (p) return p;
    }
    return null;
  }

  /** Start a subscriber with the late-join start, then live tags. Returns the unsubscribe function. */
  subscribe(sub: StreamSubscriber): () => void {
    if (this.ended) {
      sub.end('stream already ended');
      return () => {};
    }
    for (const t of [this.metadataTag, this.videoHeader, this.audioHeader]) if (t) sub.tag(t);
    for (const t of this.gop) sub.tag(t);
    this.subscribers.add(sub);
    if (sub.kind === 'preview') this.previews++;
    return () => {
      if (this.subscribers.delete(sub) && sub.kind === 'preview') this.previews--;
    };
  }

  stats(recording?: RecordingInfo): StreamStats {
    const now = this.host.now();
    const extra: StreamStats['extraTracks'] = {};
    for (const [k, v] of this.extraTracks) extra[k] = v.snapshot(now);
    return {
      path: this.path,
      connectionId: this.info.connectionId,
      uptimeMs: now - this.info.startedAt,
      video: this.video.snapshot(now),
      audio: this.audio.snapshot(now),
      extraTracks: extra,
      forwardedVideoFrames: this.forwardedVideoFrames,
      recordedVideoFrames: recording?.videoFrames ?? 0,
      recordedAudioFrames: recording?.audioFrames ?? 0,
      ...(recording ? { recording } : {}),
    };
  }

  private track(kind: 'video' | 'audio', trackId: number): TrackCounters {
    if (trackId === 0) return kind === 'video' ? this.video : this.audio;
    const key = `${kind}:${trackId}`;
    let t = this.extraTracks.get(key);
    if (!t) this.extraTracks.set(key, (t = new TrackCounters()));
    return t;
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.host.log('warn', `${this.path}: ${message}`);
  }

  private onVideo(timestamp: number, payload: Buffer): void {
    let info: VideoTagInfo;
    try {
      info = parseVideoTag(payload);
    } catch (err) {
      // Kept in the recording as it arrived; not counted, since we cannot tell what it is.
      this.warnOnce('video-parse', `unparseable video tag (${(err as Error).message}); kept as received`);
      this.deliver(this.makeTag(9, timestamp, payload, false, false, false));
      return;
    }
    const now = this.host.now();
    let isFrame = false;
    let isHeader = false;
    let track0: VideoTrackPacket | undefined;
    for (const t of info.tracks) {
      const counters = this.track('video', t.trackId);
      if (t.trackId === 0) track0 = t;
      if (t.packetType === 'sequence-start') {
        isHeader ||= t.trackId === 0;
        counters.overhead(t.data.length);
        try {
          const d = describeVideoConfig(t.codec, t.data);
          counters.codec = d.codec;
          counters.width = d.width;
          counters.height = d.height;
        } catch (err) {
          counters.codec = t.codec;
          this.warnOnce('video-config', `video sequence header not understood (${(err as Error).message})`);
        }
        // A changed header is reported again: ffmpeg may open with an empty AVC header (5 bytes) before the real one, and a resolution change brings a new one.
        if (t.trackId === 0 && (!this.videoHeader || !this.videoHeader.body.equals(payload))) {
          this.host.step(StepId.VideoSequenceHeader, 'received', { codec: counters.codec, width: counters.width, height: counters.height, enhanced: info.enhanced, update: this.videoHeader !== null, bytes: t.data.length });
        }
      } else if (t.packetType === 'coded-frames') {
        if (counters.codec === null) counters.codec = t.codec.startsWith('legacy:') ? t.codec : t.codec;
        counters.frame(timestamp, t.data.length, info.keyframe, now);
        if (t.trackId === 0) isFrame = true;
      } else {
        counters.overhead(t.data.length);
      }
    }
    if (isFrame && info.keyframe && !this.firstKeyframe) {
      this.firstKeyframe = true;
      this.host.step(StepId.FirstKeyframe, 'received', { timestamp, bytes: payload.length, codec: this.video.codec });
    }
    this.markStreaming(isFrame, timestamp);

    // Players read single-track tags: a multitrack packet goes on as its track 0 only.
    let body: Buffer | null = payload;
    if (info.multitrack) body = track0 ? encodeSingleTrackVideoTag(info.frameType, track0) : null;
    if (!body) return;
    const tag = this.makeTag(9, timestamp, body, isFrame, isFrame && info.keyframe, isHeader);
    if (isHeader) this.videoHeader = kept(tag);
    if (tag.keyframe) {
      this.gop = [];
      this.gopBytes = 0;
    }
    if (isFrame) this.cache(tag, tag.keyframe);
    this.deliver(tag);
    if (isFrame && this.previews > 0) this.forwardedVideoFrames++;
  }

  private onAudio(timestamp: number, payload: Buffer): void {
    let info: AudioTagInfo;
    try {
      info = parseAudioTag(payload);
    } catch (err) {
      this.warnOnce('audio-parse', `unparseable audio tag (${(err as Error).message}); kept as received`);
      this.deliver(this.makeTag(8, timestamp, payload, false, false, false));
      return;
    }
    const now = this.host.now();
    let isFrame = false;
    let isHeader = false;
    for (const t of info.tracks) {
      const counters = this.track('audio', t.trackId);
      if (t.packetType === 'sequence-start') {
        isHeader ||= t.trackId === 0;
        counters.overhead(t.data.length);
        try {
          const d = describeAudioConfig(t.codec, t.data);
          counters.codec = d.codec;
          counters.sampleRate = d.sampleRate;
          counters.channels = d.channels;
          // An AAC access unit is 1024 samples: the audio clock's frame interval.
          if (t.codec === 'mp4a' && d.sampleRate) counters.capture.declareRate(d.sampleRate / 1024);
        } catch (err) {
          counters.codec = t.codec;
          this.warnOnce('audio-config', `audio sequence header not understood (${(err as Error).message})`);
        }
        if (t.trackId === 0 && (!this.audioHeader || !this.audioHeader.body.equals(payload))) {
          this.host.step(StepId.AudioSequenceHeader, 'received', { codec: counters.codec, sampleRate: counters.sampleRate, channels: counters.channels, update: this.audioHeader !== null });
        }
      } else if (t.packetType === 'coded-frames') {
        if (counters.codec === null) {
          counters.codec = t.codec.startsWith('legacy:') ? (LEGACY_AUDIO[info.soundFormat] ?? t.codec) : t.codec;
          if (info.legacy) {
            counters.sampleRate = info.legacy.soundRate;
            counters.channels = info.legacy.channels;
          }
        }
        counters.frame(timestamp, t.data.length, false, now);
        if (t.trackId === 0) isFrame = true;
      } else {
        counters.overhead(t.data.length);
      }
    }
    let body: Buffer | null = payload;
    if (info.multitrack) {
      const t0 = info.tracks.find((t) => t.trackId === 0);
      body = t0 ? encodeSingleTrackAudioTag(t0) : null;
    }
    if (!body) return;
    const tag = this.makeTag(8, timestamp, body, isFrame, false, isHeader);
    if (isHeader) this.audioHeader = kept(tag);
    if (isFrame) this.cache(tag, false);
    this.deliver(tag);
  }

  private markStreaming(isFrame: boolean, timestamp: number): void {
    if (!isFrame || this.streaming) return;
    this.streaming = true;
    this.host.step(StepId.Streaming, 'received', { firstFrameTimestamp: timestamp });
  }

  private cache(tag: MediaTag, keyframe: boolean): void {
    // Only a GOP that starts on a keyframe lets a late joiner start at once; audio joins the current GOP.
    if (!this.host.gopCache || (!keyframe && this.gop.length === 0)) return;
    if (this.gopBytes + tag.body.length > GOP_MAX_BYTES || this.gop.length >= GOP_MAX_TAGS) {
      this.warnOnce('gop', `GOP longer than the ${GOP_MAX_TAGS}-tag / ${GOP_MAX_BYTES >> 20} MB cache; late subscribers wait for the next keyframe`);
      this.gop = [];
      this.gopBytes = 0;
      return;
    }
    this.gop.push(kept(tag));
    this.gopBytes += tag.body.length;
  }

  private makeTag(type: 8 | 9 | 18, timestamp: number, body: Buffer, frame: boolean, keyframe: boolean, sequenceHeader: boolean): MediaTag {
    return { type, timestamp, body, frame, keyframe, sequenceHeader };
  }

  private deliver(tag: MediaTag): void {
    for (const s of this.subscribers) {
      try {
        s.tag(tag);
      } catch (err) {
        this.warnOnce(`subscriber-${s.kind}`, `a ${s.kind} subscriber failed: ${(err as Error).message}`);
      }
    }
  }
}
