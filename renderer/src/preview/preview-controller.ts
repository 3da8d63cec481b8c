/**
 * Runs the preview outside React: which stream plays, the player's life
 * cycle, and what the preview area should say. Components read its view with
 * useSyncExternalStore and tell it what to show; a change of stream (or of
 * publisher on the same path) destroys the player and starts again.
 */
import type { IntakeApi } from '../../../app/contract/index.js';
import type { Playability } from './codec-support.js';
import { type CreatePreviewPlayer, CODEC_ERROR_DETAILS, type PreviewPlayer } from './player-factory.js';
import { onEachFrame, resetReadout, sampleVideo } from './player-readout.js';
import { PreviewSession } from './preview-session.js';

/** What the preview area shows besides the video. */
export interface PreviewView {
  kind: 'idle' | 'loading' | 'playing' | 'ended' | 'unsupported' | 'error';
  message: string | null;
  /** A secondary remark (e.g. "video only"). */
  note: string | null;
}

/** What to play: a stream (live or ended) and whether it can play here. */
export interface PreviewTarget {
  path: string;
  connectionId: number;
  live: boolean;
  endedReason?: string;
  playability: Playability;
}

const IDLE: PreviewView = { kind: 'idle', message: null, note: null };

/** The app's one preview. */
export class PreviewController {
  private view: PreviewView = IDLE;
  private readonly listeners = new Set<() => void>();
  private video: HTMLVideoElement | null = null;
  private key: string | null = null;
  private teardown: (() => void) | null = null;

  constructor(
    private readonly api: IntakeApi,
    private readonly createPlayer: CreatePreviewPlayer,
  ) {}

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getView = (): PreviewView => this.view;

  /** The <video> to play into (null when it unmounts). */
  attach(video: HTMLVideoElement | null): void {
    if (video === this.video) return;
    this.video = video;
    this.key = null; // restart on the new element
  }

  /** Show a stream, or nothing. Calling again with the same stream keeps the player running. */
  show(target: PreviewTarget | null): void {
    const play = target?.playability.ok ? `ok:${target.playability.hasAudio ?? ''}` : 'no';
    const key = target ? `${target.path}|${target.connectionId}|${play}` : 'none';
    if (key === this.key) {
      // Same publisher: the player keeps its last frame; only the words change when it ends.
      if (target && !target.live && this.view.kind !== 'ended') this.setView({ kind: 'ended', message: `Stream ended: ${target.endedReason ?? 'publisher left'}`, note: null });
      return;
    }
    this.stop();
    this.key = key;
    if (!target) {
      this.setView(IDLE);
      this.api.request('preview', { path: null }).catch(() => {});
    } else if (!target.live) {
      this.setView({ kind: 'ended', message: `Stream ended: ${target.endedReason ?? 'publisher left'}`, note: null });
    } else if (!target.playability.ok) {
      this.setView({ kind: 'unsupported', message: target.playability.reason, note: null });
      this.api.request('preview', { path: null }).catch(() => {});
    } else if (this.video) {
      this.start(this.video, target.path, target.playability.hasAudio, target.playability.note ?? null);
    }
  }

  /** Stop playing and forget the stream. */
  destroy(): void {
    this.stop();
    this.key = null;
  }

  private start(video: HTMLVideoElement, path: string, hasAudio: boolean | undefined, note: string | null): void {
    let live = true;
    const session = new PreviewSession(this.api, path, (reason) => {
      if (live) this.setView({ kind: 'ended', message: `Stream ended: ${reason}`, note: null });
    });
    let player: PreviewPlayer | null = null;
    try {
      player = this.createPlayer(session.feed, { hasAudio });
      player.onError((type, detail, info) => {
        if (!live) return;
        const msg = info?.msg ? `: ${info.msg}` : '';
        if (CODEC_ERROR_DETAILS.has(detail)) this.setView({ kind: 'unsupported', message: `The player cannot decode this stream (${detail}${msg}). Capture, recording and the protocol view keep working.`, note: null });
        else this.setView({ kind: 'error', message: `Player error: ${type} ${detail}${msg}`, note: null });
      });
      player.attachMediaElement(video);
      player.load();
      Promise.resolve(player.play()).catch(() => {}); // autoplay may wait for a gesture; muted usually starts
    } catch (err) {
      session.close();
      this.setView({ kind: 'error', message: `The player could not start: ${(err as Error).message}`, note: null });
      return;
    }
    this.setView({ kind: 'loading', message: null, note });
    const onPlaying = (): void => {
      if (live && this.view.kind === 'loading') this.setView({ kind: 'playing', message: null, note });
    };
    video.addEventListener('playing', onPlaying);
    resetReadout(path);
    const stopSampling = onEachFrame(() => sampleVideo(video));
    session.start().catch((err: Error) => {
      if (live) this.setView({ kind: 'error', message: `The host refused the preview: ${err.message}`, note: null });
    });
    this.teardown = () => {
      live = false;
      stopSampling();
      video.removeEventListener('playing', onPlaying);
      session.close();
      if (player) {
        for (const step of [() => player.unload(), () => player.detachMediaElement(), () => player.destroy()]) {
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
    this.view = view;
    for (const fn of this.listeners) fn();
  }
}
