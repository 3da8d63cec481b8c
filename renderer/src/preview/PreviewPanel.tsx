import { useLayoutEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { useHost, useIntake } from '../context.js';
import { selectHasLiveStreams, selectStale, selectSelectedAudioCodec, selectSelectedEnded, selectSelectedPath, selectSelectedStream, selectSelectedVideoCodec } from '../store/selectors.js';
import { checkPlayable } from './codec-support.js';
import { PlayerBar } from './PlayerBar.js';
import { type CreatePreviewPlayer, createMpegtsPlayer } from './player-factory.js';
import { PreviewController } from './preview-controller.js';
import { modeFromUrl } from './preview-mode.js';

const LOADING_TEXT = 'Waiting for the first keyframe…';

/**
 * The selected stream, played by mpegts.js from the bridge's media events.
 * The video keeps its box whatever happens; messages (ended, cannot decode,
 * player error) lie over it, so nothing around it moves.
 */
export function PreviewPanel({ createPlayer = createMpegtsPlayer }: { createPlayer?: CreatePreviewPlayer }) {
  const api = useHost();
  const controller = useMemo(() => new PreviewController(api, createPlayer, modeFromUrl(window.location.search)), [api, createPlayer]);
  const view = useSyncExternalStore(controller.subscribe, controller.getView);
  const videoRef = useRef<HTMLVideoElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);

  const path = useIntake(selectSelectedPath);
  const stream = useIntake(selectSelectedStream);
  const ended = useIntake(selectSelectedEnded);
  const videoCodec = useIntake(selectSelectedVideoCodec);
  const audioCodec = useIntake(selectSelectedAudioCodec);
  const playability = useMemo(() => checkPlayable(videoCodec, audioCodec), [videoCodec, audioCodec]);
  const connectionId = stream?.connectionId ?? ended?.connectionId;
  const endedReason = ended?.reason;
  const live = stream !== undefined;
  const anyLive = useIntake(selectHasLiveStreams);
  // The host is out of reach: its preview feed died with the link, so stop; the re-sync starts it again.
  const stale = useIntake(selectStale);

  // Layout effects, this one first: the elements are attached before the show below runs.
  useLayoutEffect(() => {
    controller.attach(videoRef.current, canvasRef.current);
    return () => controller.destroy();
  }, [controller]);

  // A layout effect runs as React commits, not after the browser has painted (a frame later, tens of ms on a busy page): the preview request leaves sooner.
  useLayoutEffect(() => {
    controller.show(path !== null && connectionId !== undefined && !stale ? { path, connectionId, live, endedReason, playability, videoCodec } : null);
  }, [controller, path, connectionId, live, endedReason, playability, videoCodec, stale]);

  const showMessage = view.kind === 'ended' || view.kind === 'unsupported' || view.kind === 'error';
  return (
    <section className="panel preview" aria-label="Preview">
      <header className="panel-head">
        <h2>Preview</h2>
        <span className="panel-sub mono">{path ?? ''}</span>
        {view.note ? <span className="panel-note">{view.note}</span> : null}
      </header>
      <div className={`video-box ${view.engine === 'webcodecs' ? 'is-realtime' : ''}`} ref={boxRef} data-engine={view.engine ?? ''} data-picture={view.kind === 'playing' ? 'yes' : 'no'}>
        <video data-testid="preview-video" ref={videoRef} muted autoPlay playsInline disablePictureInPicture />
        <canvas data-testid="preview-canvas" ref={canvasRef} />
        {showMessage ? (
          <div className={`player-message is-${view.kind}`} data-testid="player-message" role="status">
            {view.message}
          </div>
        ) : null}
        {view.kind === 'loading' ? <div className="player-hint">{LOADING_TEXT}</div> : null}
        {view.kind === 'idle' ? <div className="player-hint">{stale ? 'No connection to Intake' : anyLive ? 'No stream selected' : 'Waiting for a publisher'}</div> : null}
      </div>
      <PlayerBar videoRef={videoRef} boxRef={boxRef} active={view.kind === 'playing' || view.kind === 'loading'} />
    </section>
  );
}
