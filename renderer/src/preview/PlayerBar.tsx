import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import { NONE } from '../util/format.js';
import { setText } from '../util/set-text.js';
import { onEachFrame, playerReadout } from './player-readout.js';
import { useFrameText } from './use-frame-text.js';

const readDetail = (): string => {
  const engine = playerReadout.engine === 'webcodecs' ? 'WebCodecs' : playerReadout.engine === 'mse' ? 'MSE' : '';
  const buffered = playerReadout.bufferedMs === null ? '' : ` · buffer ${playerReadout.bufferedMs} ms`;
  const av = playerReadout.avMs === null || playerReadout.avMs === undefined ? '' : ` · A/V ${playerReadout.avMs > 0 ? '+' : ''}${playerReadout.avMs} ms`;
  return engine + buffered + av;
};

/**
 * Intake's own share of the delay, written per animation frame (and as
 * `data-ms` for tests and the bench): how long ago the frame on screen
 * reached the engine.
 */
function useLagText(ref: RefObject<HTMLSpanElement | null>): void {
  useEffect(() => {
    let last: number | null | undefined;
    let lastAv: number | null | undefined;
    return onEachFrame(() => {
      const el = ref.current;
      const av = playerReadout.avMs ?? null;
      // The A/V offset (shown in the detail) as data for the bench too.
      if (el && av !== lastAv) el.setAttribute('data-av-ms', (lastAv = av) === null ? '' : String(av));
      const ms = playerReadout.lagMs;
      if (!el || ms === last) return;
      last = ms;
      setText(el, ms === null ? NONE : `${ms} ms`);
      el.setAttribute('data-ms', ms === null ? '' : String(ms));
    });
  }, [ref]);
}

/**
 * The preview's controls: mute (the video starts muted so autoplay works),
 * volume, a latency readout written per animation frame, and fullscreen.
 */
export function PlayerBar({ videoRef, boxRef, active }: { videoRef: RefObject<HTMLVideoElement | null>; boxRef: RefObject<HTMLDivElement | null>; active: boolean }) {
  const [muted, setMuted] = useState(true);
  const [volume, setVolume] = useState(1);
  const lagRef = useRef<HTMLSpanElement>(null);
  const detailRef = useRef<HTMLSpanElement>(null);
  useLagText(lagRef);
  useFrameText(detailRef, readDetail);

  const toggleMute = useCallback(() => {
    const v = videoRef.current;
    if (!v) return;
    v.muted = !v.muted;
    setMuted(v.muted);
  }, [videoRef]);

  const changeVolume = useCallback(
    (value: number) => {
      const v = videoRef.current;
      if (!v) return;
      v.volume = value;
      v.muted = value === 0;
      setVolume(value);
      setMuted(v.muted);
    },
    [videoRef],
  );

  const toggleFullscreen = useCallback(() => {
    const box = boxRef.current;
    if (!box) return;
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
    else void box.requestFullscreen?.().catch(() => {});
  }, [boxRef]);

  return (
    <div className="player-bar">
      <button type="button" className="btn btn-icon" onClick={toggleMute} aria-pressed={!muted} title={muted ? 'Unmute' : 'Mute'} data-testid="mute-toggle">
        {muted ? 'Unmute' : 'Mute'}
      </button>
      <input
        type="range"
        className="volume"
        min={0}
        max={1}
        step={0.05}
        value={muted ? 0 : volume}
        onChange={(e) => changeVolume(Number(e.currentTarget.value))}
        aria-label="Volume"
      />
      <span
        className="player-latency"
        title="Intake's own share of the delay: how long ago the frame on screen reached Intake. The encoder and the network before Intake add their own. Beside it: the player (WebCodecs paints each frame as decoded; MSE is the fallback) and, for MSE, the media buffered ahead of the picture, and A/V: the sound's media time minus the picture's (negative: the sound plays behind the picture; broadcast tolerance is ±45 ms)."
      >
        <span className="muted">behind Intake</span> <span className="num" ref={lagRef} data-testid="intake-lag" />
        <span className="muted player-detail" ref={detailRef} data-testid="player-detail" />
      </span>
      <span className={`live-dot ${active ? 'is-on' : ''}`} aria-hidden="true" />
      <span className="spacer" />
      <button type="button" className="btn btn-icon" onClick={toggleFullscreen} title="Fullscreen">
        Fullscreen
      </button>
    </div>
  );
}
