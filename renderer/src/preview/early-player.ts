/**
 * The real-time player started on the early session (early-preview.ts)
 * before the snapshot says which stream the page shows, and before React
 * has mounted the preview. Why: after a reload the cached GOP arrives while
 * the bundle starts, the snapshot is read and React renders it, and the
 * first frame then took ~65 ms to come out of a fresh WebCodecs decoder
 * (13 ms on a switch), after all of that. Started as soon as the stream's
 * first video sequence header says H.264, on a canvas of its own, the
 * decoder works through the GOP meanwhile; the controller adopts the player
 * when it shows that stream, moving it (and the picture so far) onto the
 * preview's canvas, and its <video> for the sound.
 *
 * Only H.264: its WebCodecs codec string comes from the avcC alone, and
 * Chromium's WebCodecs decodes it wherever it exists. Any other codec waits
 * for the snapshot's codec string and the controller's choice of player,
 * as before: a player started here takes the feed, and a fallback to MSE
 * would then miss the GOP.
 */
import { FlvTagReader, parseVideo } from './flv-demux.js';
import type { ChunkMeta } from './media-feed.js';
import type { PreviewSession } from './preview-session.js';
import { type RealtimePlayer, createRealtimePlayer } from './realtime-player.js';

/** Bytes of FLV looked through for the first video sequence header, at most (the late-join start carries it first). */
const SNIFF_BYTES = 4 * 1024 * 1024;

/** The early session's player, and what it saw. */
export class EarlyPlayer {
  player: RealtimePlayer | null = null;
  /** The host's counts with the newest chunk (the funnel's `forwarded` must cover every frame decoded early). */
  lastMeta: ChunkMeta | undefined;
  /** The first frame is painted. */
  picture = false;
  /** Why the player stopped, if it did (it is then not adopted). */
  failed: string | null = null;
  /** Told when the first frame is painted (the adopting controller). */
  onPicture: (() => void) | null = null;
  private sniffed = 0;
  private readonly reader = new FlvTagReader();
  private done = false;

  /**
   * @param decode false: only note the counts (the page forces MSE, or has no WebCodecs).
   */
  constructor(
    private readonly session: PreviewSession,
    decode = true,
    private readonly create: typeof createRealtimePlayer = createRealtimePlayer,
  ) {
    if (!decode || typeof VideoDecoder === 'undefined' || typeof document === 'undefined') this.sniffed = Infinity;
    session.feed.observer = (chunk, meta) => this.observe(chunk, meta);
  }

  /** Hand the running player over (null: none, or it failed); the feed's observer is the adopter's from now on. */
  adopt(): RealtimePlayer | null {
    this.session.feed.observer = null;
    this.done = true;
    return this.failed === null ? this.player : null;
  }

  /** Not adopted: stop the player (its session is closed by its owner). */
  close(): void {
    this.done = true;
    const p = this.player;
    this.player = null;
    if (!p) return;
    for (const step of [() => p.unload(), () => p.detachMediaElement(), () => p.destroy()]) {
      try {
        step();
      } catch {
        // being thrown away
      }
    }
  }

  private observe(chunk: ArrayBuffer, meta: ChunkMeta | undefined): void {
    if (meta) this.lastMeta = meta;
    if (this.done || this.player || this.sniffed > SNIFF_BYTES) return;
    this.sniffed += chunk.byteLength;
    let codec: string | null = null;
    try {
      for (const t of this.reader.push(new Uint8Array(chunk))) {
        const p = t.type === 9 ? parseVideo(t.body) : null;
        if (p?.kind === 'config') {
          codec = p.codec;
          break;
        }
      }
    } catch {
      codec = 'not FLV'; // the controller's player will say so
    }
    if (codec === null) return;
    this.sniffed = Infinity;
    if (codec === 'avc') this.start();
  }

  /** Called from the feed's observer, before the chunk that holds the sequence header is delivered: loading attaches the feed, which hands over the queue, then that chunk. */
  private start(): void {
    try {
      const player = this.create(this.session.feed, { canvas: document.createElement('canvas'), videoCodec: null, onPicture: () => this.painted() });
      player.onError((_type, _detail, info) => {
        this.failed ??= info?.msg ?? 'the player failed';
      });
      player.load();
      this.player = player;
    } catch (err) {
      this.failed = (err as Error).message;
    }
  }

  private painted(): void {
    this.picture = true;
    this.onPicture?.();
  }
}
