import type { TrackStats } from '../contract/engine.js';
import { CaptureCounter, RateMeter, TimestampUnwrapper } from './capture.js';

/** Counters of one track (video, audio, or an extra E-RTMP multitrack track). */
export class TrackCounters {
  codec: string | null = null;
  readonly capture = new CaptureCounter();
  private readonly unwrapper = new TimestampUnwrapper();
  private readonly rate = new RateMeter();
  keyframes = 0;
  bytes = 0;
  width?: number;
  height?: number;
  sampleRate?: number;
  channels?: number;

  /** A coded frame arrived (timestamp as on the wire, 32-bit). */
  frame(timestamp: number, bytes: number, keyframe: boolean, now: number): void {
    this.capture.frame(this.unwrapper.unwrap(timestamp));
    if (keyframe) this.keyframes++;
    this.bytes += bytes;
    this.rate.add(now, bytes);
  }

  /** Bytes that are not frames (sequence headers) still count for totals. */
  overhead(bytes: number): void {
    this.bytes += bytes;
  }

  snapshot(now: number): TrackStats {
    const [fps, bitrate] = this.rate.read(now);
    const s: TrackStats = {
      codec: this.codec,
      received: this.capture.received,
      expected: this.capture.expected(),
      capturePercent: this.capture.percent(),
      skipped: this.capture.skipped(),
      segments: this.capture.segments,
      keyframes: this.keyframes,
      bytes: this.bytes,
      bitrate,
      fps,
    };
    if (this.width !== undefined) s.width = this.width;
    if (this.height !== undefined) s.height = this.height;
    if (this.sampleRate !== undefined) s.sampleRate = this.sampleRate;
    if (this.channels !== undefined) s.channels = this.channels;
    return s;
  }
}
