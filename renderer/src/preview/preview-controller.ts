/**
 * Runs the preview outside React: which stream plays, the player's life
 * cycle, and what the preview area should say. Components read its view with
 * useSyncExternalStore and tell it what to show; a change of stream (or of
 * publisher on the same path) destroys the player and starts again.
 */
import type { IntakeApi } from '../../../app/contract/index.js';
import type { Playability } from './codec-support.js';
import { type CreatePreviewPlayer, CODEC_ERROR_DETAILS, type PreviewPlayer } from './player-factory.js';
import { ArrivalLog } from './arrivals.js';
import { FlvTagReader } from './flv-demux.js';
import { catchUp } from './live-catch-up.js';
import { noteChunk, onEachFrame, playerReadout, qualityBase, resetReadout, sampleRealtime, sampleVideo } from './player-readout.js';
import { type PreviewEngine, type PreviewMode, chooseEngine } from './preview-mode.js';
import { PreviewSession } from './preview-session.js';
import { type RealtimePlayer, createRealtimePlayer } from './realtime-player.js';
import { previewSettled } from './preview-first.js';
import { rememberPreviewPath, takeEarlyPreview } from './early-preview.js';
import { beginStartMarks, startMark } from './start-marks.js';

/** What the preview area shows besides the video. */
export interface PreviewView {
  kind: 'idle' | 'loading' | 'playing' | 'ended' | 'unsupported' | 'error';
  message: string | null;
  /** A secondary remark (e.g. "video only"). */
  note: string | null;
  /** Which player shows the picture: the canvas (WebCodecs) or the <video> (MSE); null before one is chosen. */
  engine?: PreviewEngine | null;
}

/** What to play: a stream (live or ended) and whether it can play here. */
export interface PreviewTarget {
  path: string;
  connectionId: number;
  live: boolean;
  endedReason?: string;
  playability: Playability;
  /** The stream's video codec string from the stats (the real-time player needs it), if known. */
  videoCodec?: string | null;
}

const IDLE: PreviewView = { kind: 'idle', message: null, note: null };

/** The app's one preview. */
export class PreviewController {
  private view: PreviewView = IDLE;
  private readonly listeners = new Set<() => void>();
  private video: HTMLVideoElement | null = null;
  private canvas: HTMLCanvasElement | null = null;
  private key: string | null = null;
  private teardown: (() => void) | null = null;
  /** A preview was started (the host may be sending media for it). */
  private startedOne = false;

  constructor(
    private readonly api: IntakeApi,
    private readonly createPlayer: CreatePreviewPlayer,
    /** 'auto': WebCodecs where it decodes the codec, else MSE; or one of them forced (the page's ?preview=). */
    private readonly mode: PreviewMode = 'auto',
    private readonly createRealtime: typeof createRealtimePlayer = createRealtimePlayer,
  ) {}

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getView = (): PreviewView => this.view;

  /** The <video> to play into (null when it unmounts), and the canvas the real-time player paints on. */
  attach(video: HTMLVideoElement | null, canvas: HTMLCanvasElement | null = null): void {
    if (video === this.video && canvas === this.canvas) return;
    this.video = video;
    this.canvas = canvas;
    this.key = null; // restart on the new element
  }

  /** Show a stream, or nothing. Calling again with the same stream keeps the player running. */
  show(target: PreviewTarget | null): void {
    const play = target?.playability.ok ? `ok:${target.playability.hasAudio ?? ''}` : 'no';
    // The codec string picks the player (WebCodecs needs it), so its arrival restarts a preview begun without it.
    const key = target ? `${target.path}|${target.connectionId}|${play}|${target.videoCodec ?? ''}` : 'none';
    if (key === this.key) {
      // Same publisher: the player keeps its last frame; only the words change when it ends.
      if (target && !target.live && this.view.kind !== 'ended') this.setView({ kind: 'ended', message: `Stream ended: ${target.endedReason ?? 'publisher left'}`, note: null });
      return;
    }
    this.stop();
    this.key = key;
    // A stream that does not start a preview closes the early one (early-preview.ts). No stream at all leaves it:
    // that is also the page before its snapshot, and the early one then goes by its own timer.
    if (target && (!target.live || !target.playability.ok || !this.video)) takeEarlyPreview(null);
    if (!target) {
      this.setView(IDLE);
      // Only a preview this controller started is stopped: before that the host has none (or the early one, not to be stopped before the snapshot says which stream shows).
      if (this.startedOne) {
        rememberPreviewPath(null);
        this.api.request('preview', { path: null }).catch(() => {});
      }
    } else if (!target.live) {
      this.setView({ kind: 'ended', message: `Stream ended: ${target.endedReason ?? 'publisher left'}`, note: null });
    } else if (!target.playability.ok) {
      this.setView({ kind: 'unsupported', message: target.playability.reason, note: null });
      this.api.request('preview', { path: null }).catch(() => {});
    } else if (this.video) {
      this.start(this.video, target, target.playability.note ?? null);
    }
  }

  /** Stop playing and forget the stream. */
  destroy(): void {
    this.stop();
    this.key = null;
  }

  private start(video: HTMLVideoElement, target: PreviewTarget, note: string | null): void {
    beginStartMarks();
    this.startedOne = true;
    let live = true;
    const path = target.path;
    const hasAudio = target.playability.ok ? target.playability.hasAudio : undefined;
    // Asked for as the page started (early-preview.ts), or now.
    const early = takeEarlyPreview(path);
    const session = early?.session ?? new PreviewSession(this.api, path, () => {});
    rememberPreviewPath(path);
    let player: PreviewPlayer | null = null;
    let stopSampling = (): void => {};
    const offHidden = watchHidden();
    this.setView({ kind: 'loading', message: null, note, engine: null });
    resetReadout(path);
    const begin = (engine: PreviewEngine): void => {
      if (!live) return;
      startMark('engine');
      const canvas = this.canvas;
      let realtime: RealtimePlayer | null = null;
      const playing = (): void => {
        if (live && this.view.kind === 'loading') {
          startMark('playing');
          this.setView({ kind: 'playing', message: null, note, engine });
        }
      };
      try {
        if (engine === 'webcodecs' && canvas) player = realtime = this.createRealtime(session.feed, { canvas, videoCodec: target.videoCodec, hasAudio, onPicture: playing });
        else player = this.createPlayer(session.feed, { hasAudio });
        player.onError((type, detail, info) => {
          if (!live) return;
          const msg = info?.msg ? `: ${info.msg}` : '';
          if (CODEC_ERROR_DETAILS.has(detail)) this.setView({ kind: 'unsupported', message: `The player cannot decode this stream (${detail}${msg}). Capture, recording and the protocol view keep working.`, note: null, engine });
          else this.setView({ kind: 'error', message: `Player error: ${type} ${detail}${msg}`, note: null, engine });
        });
        player.attachMediaElement(video);
        player.load();
        Promise.resolve(player.play()).catch(() => {}); // autoplay may wait for a gesture; muted usually starts
      } catch (err) {
        session.close();
        this.setView({ kind: 'error', message: `The player could not start: ${(err as Error).message}`, note: null, engine });
        return;
      }
      this.setView({ ...this.view, engine });
      if (realtime) {
        session.feed.observer = (_chunk, meta) => noteChunk(meta);
        const counts = realtime.counts;
        stopSampling = onEachFrame(() => {
          sampleRealtime(counts, Date.now(), realtime?.audio()?.audibleMediaMs() ?? null, realtime?.pictureMediaMs() ?? null);
          if (counts.decoded > 0) playing();
        });
      } else {
        // The MSE player's frame on screen is found by media time, against the chunks' arrival stamps.
        const arrivals = new ArrivalLog();
        const reader = new FlvTagReader();
        session.feed.observer = (chunk, meta) => {
          noteChunk(meta);
          try {
            arrivals.add(reader.push(new Uint8Array(chunk)).filter((t) => t.type === 9).map((t) => t.timestamp), meta?.arrivedAt);
          } catch {
            session.feed.observer = null; // not FLV: the player will say so
          }
        };
        video.addEventListener('playing', playing);
        const base = qualityBase(video);
        const stopFrames = onEachFrame(() => {
          sampleVideo(video, arrivals, base);
          catchUp(video);
        });
        stopSampling = () => {
          stopFrames();
          video.removeEventListener('playing', playing);
        };
      }
    };
    const chosen = chooseEngine(this.mode, target.videoCodec, this.canvas !== null);
    if (typeof chosen === 'string') begin(chosen);
    else void chosen.then(begin);
    session.setOnEnd((reason) => {
      if (live) this.setView({ kind: 'ended', message: `Stream ended: ${reason}`, note: null, engine: this.view.engine });
    });
    (early?.started ?? session.start()).catch((err: Error) => {
      if (live) this.setView({ kind: 'error', message: `The host refused the preview: ${err.message}`, note: null, engine: this.view.engine });
    });
    this.teardown = () => {
      live = false;
      stopSampling();
      offHidden();
      session.close();
      const p = player as PreviewPlayer | null;
      if (p) {
        for (const step of [() => p.unload(), () => p.detachMediaElement(), () => p.destroy()]) {
          try {
            step();
          } catch {
            // a half-started player may refuse; it is being thrown away anyway
          }
        }
      }
      resetReadout(null);
    };
  }

  private stop(): void {
    this.teardown?.();
    this.teardown = null;
  }

  private setView(view: PreviewView): void {
    // A picture, or a word instead of one: the page's first preview has shown what it will show (preview-first.ts).
    if (view.kind !== 'loading' && view.kind !== 'idle') previewSettled();
    this.view = view;
    for (const fn of this.listeners) fn();
  }
}

/** Count the frames dropped while the page is hidden into the readout; returns the unsubscribe. */
function watchHidden(): () => void {
  if (typeof document === 'undefined') return () => {};
  let droppedAtHide: number | null = null;
  const onChange = (): void => {
    if (document.hidden) droppedAtHide = playerReadout.dropped ?? 0;
    else if (droppedAtHide !== null) {
      const since = droppedAtHide;
      droppedAtHide = null;
      // After the per-frame sampler has run again: it did not while hidden, so the readout is stale now.
      setTimeout(() => (playerReadout.droppedWhileHidden += Math.max(0, (playerReadout.dropped ?? 0) - since)), 100);
    }
  };
  document.addEventListener('visibilitychange', onChange);
  return () => document.removeEventListener('visibilitychange', onChange);
}
