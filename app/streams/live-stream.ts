import { encodeAmf0 } from '../amf/amf0.js';
import { type AmfObject, type AmfValue, isAmfObject } from '../amf/types.js';
import type { ProtocolStep, RecordingInfo, StepState, StreamInfo, StreamStats } from '../contract/engine.js';
import { StepId } from '../contract/engine.js';
import type { MediaSink } from '../rtmp/session.js';
import type { Discarded } from '../rtmp/chunk-decoder.js';
import { GOP_MAX_BYTES, GOP_MAX_TAGS, GopCache, keepTag } from './gop-cache.js';
import type { MediaTag, StreamSubscriber } from './media-tag.js';
import { AUDIO, type TrackKind, type TrackPacket, VIDEO } from './track-kinds.js';
import { TrackCounters } from './track-stats.js';
import { StreamHealth } from '../health/stream-health.js';
import { HEALTH_ENABLED } from '../health/switch.js';

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
  private readonly gop: GopCache;
  // Every field set up front: one object shape for every tag this stream hands on (see liveTag).
  private readonly scratch: MediaTag = { type: 9, timestamp: 0, body: Buffer.alloc(0), frame: false, keyframe: false, sequenceHeader: false, stable: false, meta: undefined, multitrack: undefined, parsed: undefined, parsedBody: undefined };
  private readonly subscribers = new Set<StreamSubscriber>();
  private previews = 0;
  private firstKeyframe = false;
  private streaming = false;
  private ended = false;
  private readonly warned = new Set<string>();
  /** Stream health (issue 9), fed from the tags parsed here; null when switched off. */
  readonly health: StreamHealth | null;

  constructor(
    readonly info: StreamInfo,
    private readonly host: LiveStreamHost,
  ) {
    this.health = HEALTH_ENABLED ? new StreamHealth(this.video, this.audio, host.now()) : null;
    this.gop = new GopCache(host.gopCache, () =>
      this.warnOnce('gop', `GOP longer than the ${GOP_MAX_TAGS}-tag / ${GOP_MAX_BYTES >> 20} MB cache; late subscribers wait for the next keyframe`),
    );
  }

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

  /**
   * onMetaData, decoded once by the session: the values are kept (capture's
   * frame rate, the encoder's name) beside the tag that subscribers and late
   * joiners get (`meta`), whose body is the publisher's own AMF0 bytes (AMF3
   * data alone is encoded, once).
   */
  metadata(values: AmfValue[], timestamp: number, amf0: Buffer | null = null): void {
    const obj = amfObject(values[1]);
    if (obj) {
      this.metadataValues = obj;
      const fr = obj.framerate ?? obj.videoframerate;
      if (typeof fr === 'number') this.video.capture.declareRate(fr);
      this.health?.metadata(obj);
      const enc = obj.encoder;
      if (typeof enc === 'string') this.info.encoder = enc;
      this.info.metadata = obj;
      this.host.updated(this.info);
    }
    // The publisher's own bytes when they are AMF0 (copied: they are the decoder's reused buffer); encoded only for AMF3 data.
    const body = amf0 ? Buffer.from(amf0) : encodeAmf0(values);
    // Some publishers (GStreamer's flvmux) repeat onMetaData every few hundred ms: one step, and only changes go on.
    if (this.metadataTag && this.metadataTag.body.equals(body)) return;
    this.host.step(StepId.Metadata, 'received', { values, update: this.metadataTag !== null });
    const tag: MediaTag = { type: 18, timestamp, body, frame: false, keyframe: false, sequenceHeader: false, stable: true };
    if (obj) tag.meta = obj;
    this.metadataTag = tag;
    this.deliver(tag);
  }

  /** Other script data (onTextData, onCuePoint...), passed on as received. */
  data(values: AmfValue[], payload: Buffer, timestamp: number): void {
    const tag = this.liveTag(18, timestamp, payload, false, false, false);
    tag.meta = amfObject(values[1]);
    this.deliver(tag);
  }

  media(typeId: number, timestamp: number, payload: Buffer): void {
    if (this.ended) return;
    if (typeId === 9) this.onTrack(VIDEO, timestamp, payload);
    else this.onTrack(AUDIO, timestamp, payload);
  }

  end(reason: string, discarded?: Discarded): void {
    if (this.ended) return;
    this.ended = true;
    // What the connection's close threw away (counted by the chunk decoder): the only frames Intake itself can lose.
    if (discarded) this.health?.discarded(discarded);
    for (const s of this.subscribers) {
      try {
        s.end(reason);
      } catch (err) {
        this.host.log('warn', `${this.path}: subscriber failed at end: ${(err as Error).message}`);
      }
    }
    this.subscribers.clear();
    this.gop.clear();
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
    this.gop.forEach((t) => sub.tag(t));
    this.subscribers.add(sub);
    if (sub.kind === 'preview') this.previews++;
    return () => {
      if (this.subscribers.delete(sub) && sub.kind === 'preview') this.previews--;
    };
  }

  /**
   * The stream's figures now. `healthSummary` false leaves `health` out: the
   * analyser still closes its second and runs its checks (findings keep
   * counting), but the summary, most of a stats event's cost and bytes, is
   * made only for a stream someone reads it for (see Engine.healthSummaries).
   */
  stats(recording?: RecordingInfo, healthSummary = true): StreamStats {
    const now = this.host.now();
    const extra: StreamStats['extraTracks'] = {};
    this.health?.advance(now);
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
      ...(this.health && healthSummary ? { health: this.health.summary(now) } : {}),
    };
  }

  private track(kind: 'video' | 'audio', trackId: number): TrackCounters {
    if (trackId === 0) return kind === 'video' ? this.video : this.audio;
    const key = `${kind}:${trackId}`;
    let t = this.extraTracks.get(key);
    if (!t) {
      this.extraTracks.set(key, (t = new TrackCounters()));
      this.health?.extraTrack(kind);
    }
    return t;
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.host.log('warn', `${this.path}: ${message}`);
  }

  /**
   * The one routine for video and audio: count each track's frames, name its
   * codecs, report the first sequence header / keyframe, reduce a multitrack
   * packet to track 0, keep the GOP and hand the tag on. Allocates nothing per
   * tag beyond the parser's result and, with the GOP cache on, the cache's copy.
   */
  private onTrack<I extends { tracks: P[]; multitrack?: boolean }, P extends TrackPacket>(kind: TrackKind<I, P>, timestamp: number, payload: Buffer): void {
    let info: I;
    try {
      info = kind.parse(payload);
    } catch (err) {
      // Kept in the recording as it arrived; not counted, since we cannot tell what it is.
      this.warnOnce(`${kind.name}-parse`, `unparseable ${kind.name} tag (${(err as Error).message}); kept as received`);
      this.deliver(this.liveTag(kind.type, timestamp, payload, false, false, false));
      return;
    }
    const now = this.host.now();
    const keyframe = kind.keyframe(info);
    let isFrame = false;
    let isHeader = false;
    for (const t of info.tracks) {
      const counters = this.track(kind.name, t.trackId);
      if (t.packetType === 'sequence-start') {
        isHeader ||= t.trackId === 0;
        counters.overhead(t.data.length);
        try {
          kind.describe(counters, t);
        } catch (err) {
          counters.codec = t.codec;
          this.warnOnce(`${kind.name}-config`, `${kind.name} sequence header not understood (${(err as Error).message})`);
        }
        // A changed header is reported again: ffmpeg may open with an empty AVC header (5 bytes) before the real one, and a resolution change brings a new one.
        const previous = kind.type === 9 ? this.videoHeader : this.audioHeader;
        if (t.trackId === 0 && (!previous || !previous.body.equals(payload))) {
          this.host.step(kind.headerStep, 'received', kind.headerDetail(counters, info, t, previous !== null));
          this.health?.header(kind.name, t.codec, t.data, now);
        }
      } else if (t.packetType === 'coded-frames') {
        if (counters.codec === null) kind.nameCodec(counters, t, info);
        counters.frame(timestamp, t.data.length, keyframe, now);
        if (t.trackId === 0) {
          isFrame = true;
          this.health?.frame(kind.name, counters, (t as { compositionTime?: number }).compositionTime ?? 0, t.data, keyframe, now);
        }
      } else {
        counters.overhead(t.data.length);
      }
    }
    if (kind.type === 9) {
      if (isFrame && keyframe && !this.firstKeyframe) {
        this.firstKeyframe = true;
        this.host.step(StepId.FirstKeyframe, 'received', { timestamp, bytes: payload.length, codec: this.video.codec });
      }
      this.markStreaming(isFrame, timestamp);
    }

    // Players read single-track tags: a multitrack packet goes on as its track 0 only (a body made here, so stable).
    const body = info.multitrack ? kind.singleTrack(info) : payload;
    if (!body) return;
    let tag = this.liveTag(kind.type, timestamp, body, isFrame, isFrame && keyframe, isHeader);
    tag.stable = body !== payload;
    if (info.multitrack) tag.multitrack = payload;
    if (isHeader) {
      tag = keepTag(tag);
      if (kind.type === 9) this.videoHeader = tag;
      else this.audioHeader = tag;
    }
    // The cache's copy goes on to subscribers: stable, a preview can hold it without copying it again.
    if (isFrame) tag = this.gop.add(tag) ?? tag;
    // The parse goes along for this call only (the recorder reads it instead of parsing again); a cached copy outlives the payload.
    tag.parsed = info as unknown as MediaTag['parsed'];
    tag.parsedBody = payload;
    this.deliver(tag);
    tag.parsed = tag.parsedBody = undefined;
    if (kind.type === 9 && isFrame && this.previews > 0) this.forwardedVideoFrames++;
  }

  private markStreaming(isFrame: boolean, timestamp: number): void {
    if (!isFrame || this.streaming) return;
    this.streaming = true;
    this.host.step(StepId.Streaming, 'received', { firstFrameTimestamp: timestamp });
  }

  /**
   * The tag for a message, in one object reused for every tag of this stream:
   * at thousands of messages a second a fresh object each is garbage for
   * nothing, since subscribers copy what they keep (see MediaTag).
   */
  private liveTag(type: 8 | 9 | 18, timestamp: number, body: Buffer, frame: boolean, keyframe: boolean, sequenceHeader: boolean): MediaTag {
    const t = this.scratch;
    t.type = type;
    t.timestamp = timestamp;
    t.body = body;
    t.frame = frame;
    t.keyframe = keyframe;
    t.sequenceHeader = sequenceHeader;
    t.stable = false;
    t.meta = undefined;
    t.multitrack = undefined;
    return t;
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

/** An AMF object (not an array, date or byte array), or undefined. */
function amfObject(v: AmfValue | undefined): AmfObject | undefined {
  return isAmfObject(v) ? v : undefined;
}
