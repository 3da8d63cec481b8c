/**
 * The real-time preview's sound: WebCodecs' AudioDecoder (AAC), each
 * decoded frame scheduled on an AudioContext a short lead after it arrives,
 * with the queue ahead of the output kept near that lead, so the sound is
 * as far behind as it must be and no further. It measures how far it is
 * from the picture ({@link RealtimeAudio.audibleMediaMs}, the A/V figure of
 * the player bar and the latency bench), and the picture waits for it
 * while it is heard (RealtimeVideo's `syncTo`, bounded).
 *
 * Where the sound's delay came from (129 ms behind the picture at 30 fps
 * under load, bench/RESULTS.md): a 30 ms lead, the queue a burst of frames
 * left (kept until the next underrun, up to 150 ms), and the context's
 * output path (42 ms with latencyHint 'interactive' in Chromium here).
 * Now: a lead of {@link AUDIO_LEAD_S}, a frame dropped whenever more than
 * {@link QUEUE_SLACK_S} past the lead is queued (the queue shrinks instead
 * of staying), and the smallest output buffer the platform gives.
 *
 * Why AudioBufferSourceNodes and not an AudioWorklet: a worklet module must
 * be a separate script the CSP admits and the bundle ships; scheduled
 * buffers need neither, and at 21 ms an AAC frame they are few (47 a
 * second).
 */

/** Audio is scheduled this far after "now" when the schedule (re)starts: enough for the next batch to arrive. */
export const AUDIO_LEAD_S = 0.02;
/** More than this queued past the lead: the frame is dropped (counted), so a burst's queue does not stay as delay. */
export const QUEUE_SLACK_S = 0.025;
/**
 * The context's latency hint. Why a number and not 'interactive': Chromium
 * takes 0 as "the smallest buffer the platform allows": base + output
 * latency 2.7 + 8 ms in headless Chromium here against 10 + 32 ms for
 * 'interactive' (getOutputTimestamp agreed: 10 against 31–41 ms behind
 * currentTime). The sound's way to the speaker is the part of the A/V
 * offset nothing else can remove.
 */
export const LATENCY_HINT = 0;

/** Buffers remembered for {@link RealtimeAudio.audibleMediaMs}: about 1.3 s of AAC, far more than is ever scheduled ahead. */
const SCHEDULE_KEPT = 64;

/** Volume and mute follow the page's <video> element, where the player bar sets them. */
export interface VolumeSource {
  muted: boolean;
  volume: number;
  addEventListener(type: 'volumechange', fn: () => void): void;
  removeEventListener(type: 'volumechange', fn: () => void): void;
}

/** Decodes AAC and plays it as soon as it can. */
export class RealtimeAudio {
  /** Frames played, and dropped to stay in time. */
  played = 0;
  dropped = 0;
  /** How far behind its arrival the last scheduled frame plays (ms), for the A/V detail. */
  lagMs: number | null = null;
  private decoder: AudioDecoder | null = null;
  private ctx: AudioContext | null = null;
  private gain: GainNode | null = null;
  private next = 0;
  private readonly arrivals = new Map<number, number>();
  /** The newest scheduled buffers: context time they start at, their media time (ms) and length (s). */
  private readonly scheduled: { at: number; mediaMs: number; duration: number }[] = [];
  private readonly onVolume = (): void => this.applyVolume();

  constructor(private readonly volume: VolumeSource) {
    volume.addEventListener('volumechange', this.onVolume);
  }

  /** An AudioSpecificConfig: (re)configure for it. */
  configure(asc: Uint8Array): void {
    if (typeof AudioDecoder === 'undefined' || asc.length < 2) return;
    const rates = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];
    const sampleRate = rates[((asc[0] & 0x07) << 1) | (asc[1] >> 7)] ?? 48000;
    const numberOfChannels = Math.max(1, (asc[1] >> 3) & 0x0f);
    this.decoder?.close();
    this.decoder = new AudioDecoder({ output: (d) => this.play(d), error: () => this.close() });
    try {
      this.decoder.configure({ codec: 'mp4a.40.2', sampleRate, numberOfChannels, description: asc.slice() });
    } catch {
      this.decoder = null;
    }
  }

  /** A raw AAC frame at `timestampMs`. */
  frame(data: Uint8Array, timestampMs: number, arrivedAt: number | null): void {
    if (!this.decoder || this.decoder.state !== 'configured') return;
    const ts = timestampMs * 1000;
    if (arrivedAt !== null) this.arrivals.set(ts, arrivedAt);
    if (this.arrivals.size > 256) this.arrivals.delete(this.arrivals.keys().next().value as number);
    this.decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp: ts, data }));
  }

  /**
   * The media time (ms, the stream's own timestamps) of the sound reaching
   * the speaker now: the buffer playing at the context's output position,
   * from getOutputTimestamp (the context time at the output at a
   * performance time; Chromium's own account of its output path), or
   * currentTime less the output and base latency without it. Null while
   * nothing plays (not started, suspended, a gap). Set beside the picture's
   * media time it gives the A/V offset.
   */
  audibleMediaMs(now = performance.now()): number | null {
    const ctx = this.ctx;
    if (!ctx || ctx.state !== 'running') return null;
    const t = outputTime(ctx, now);
    for (let i = this.scheduled.length - 1; i >= 0; i--) {
      const s = this.scheduled[i];
      if (s.at > t) continue;
      return t - s.at <= s.duration ? s.mediaMs + (t - s.at) * 1000 : null;
    }
    return null;
  }

  /** Whether the sound is heard now (playing, not muted): only then is the picture held back for it. */
  audible(): boolean {
    return this.ctx !== null && this.ctx.state === 'running' && !this.volume.muted && this.volume.volume > 0;
  }

  close(): void {
    this.volume.removeEventListener('volumechange', this.onVolume);
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    this.decoder = null;
    void this.ctx?.close().catch(() => {});
    this.ctx = null;
  }

  private play(d: AudioData): void {
    try {
      const ctx = this.context(d.sampleRate);
      if (!ctx || !this.gain) return;
      const buf = ctx.createBuffer(d.numberOfChannels, d.numberOfFrames, d.sampleRate);
      for (let c = 0; c < d.numberOfChannels; c++) d.copyTo(buf.getChannelData(c), { planeIndex: c, format: 'f32-planar' });
      const now = ctx.currentTime;
      // A burst (a late batch, a stalled main thread) leaves more queued than the lead; dropping one frame now
      // takes 21 ms off it for good, where before the whole burst stayed as delay until the next underrun.
      if (this.next - now > AUDIO_LEAD_S + QUEUE_SLACK_S) {
        this.dropped++;
        return;
      }
      if (this.next < now) this.next = now + AUDIO_LEAD_S;
      const src = ctx.createBufferSource();
      src.buffer = buf;
      src.connect(this.gain);
      src.start(this.next);
      this.scheduled.push({ at: this.next, mediaMs: d.timestamp / 1000, duration: buf.duration });
      if (this.scheduled.length > SCHEDULE_KEPT) this.scheduled.shift();
      const at = this.arrivals.get(d.timestamp);
      this.arrivals.delete(d.timestamp);
      if (at !== undefined) this.lagMs = Date.now() - at + (this.next - now + (ctx.outputLatency || 0)) * 1000;
      this.next += buf.duration;
      this.played++;
    } finally {
      d.close();
    }
  }

  private context(sampleRate: number): AudioContext | null {
    if (!this.ctx) {
      try {
        this.ctx = new AudioContext({ sampleRate, latencyHint: LATENCY_HINT });
      } catch {
        return null;
      }
      this.gain = this.ctx.createGain();
      this.gain.connect(this.ctx.destination);
      this.applyVolume();
    }
    return this.ctx;
  }

  private applyVolume(): void {
    if (!this.ctx || !this.gain) return;
    this.gain.gain.value = this.volume.muted ? 0 : this.volume.volume;
    // Unmuting is a click: the moment a page may start sound.
    if (!this.volume.muted && this.ctx.state === 'suspended') void this.ctx.resume().catch(() => {});
  }
}

/** The context time (s) at the speaker at performance time `now` (ms). */
function outputTime(ctx: AudioContext, now: number): number {
  const ts = typeof ctx.getOutputTimestamp === 'function' ? ctx.getOutputTimestamp() : null;
  if (ts?.contextTime !== undefined && ts.performanceTime !== undefined && ts.performanceTime > 0) return ts.contextTime + (now - ts.performanceTime) / 1000;
  return ctx.currentTime - (ctx.outputLatency || 0) - (ctx.baseLatency || 0);
}
