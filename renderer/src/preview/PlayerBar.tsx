import { type RefObject, useCallback, useRef, useState } from 'react';
import { NONE } from '../util/format.js';
import { playerReadout } from './player-readout.js';
import { useFrameText } from './use-frame-text.js';

const readLatency = (): string => (playerReadout.latencyMs === null ? NONE : `${playerReadout.latencyMs} ms`);

/**
 * The preview's controls: mute (the video starts muted so autoplay works),
 * volume, a latency readout written per animation frame, and fullscreen.
 */
export function PlayerBar({ videoRef, boxRef, active }: { videoRef: RefObject<HTMLVideoElement | null>; boxRef: RefObject<HTMLDivElement | null>; active: boolean }) {
  const [muted, setMuted] = useState(true);
  const [volume, setVolume] = useState(1);
  const latencyRef = useRef<HTMLSpanElement>(null);
  useFrameText(latencyRef, readLatency);

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
      <span className="player-latency" title="Buffered media ahead of what is shown: how far the picture lags what has arrived">
        <span className="muted">latency</span> <span className="num" ref={latencyRef} data-testid="latency" />
      </span>
      <span className={`live-dot ${active ? 'is-on' : ''}`} aria-hidden="true" />
      <span className="spacer" />
      <button type="button" className="btn btn-icon" onClick={toggleFullscreen} title="Fullscreen">
        Fullscreen
      </button>
    </div>
  );
}
