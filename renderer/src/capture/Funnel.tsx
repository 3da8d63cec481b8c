import { useCallback, useRef } from 'react';
import type { StreamStats } from '../../../app/contract/index.js';
import { NONE, formatCount } from '../util/format.js';
import { playerReadout } from '../preview/player-readout.js';
import { useFrameText } from '../preview/use-frame-text.js';

/**
 * Where the received video frames went: forwarded to the preview, decoded by
 * the player (dropped beside it), written to the recording. The player's
 * figures change every frame and are written into the DOM per animation
 * frame; the engine's arrive with the stats batches.
 */
export function Funnel({ path, stats }: { path: string | null; stats: StreamStats | undefined }) {
  const decodedRef = useRef<HTMLSpanElement>(null);
  const droppedRef = useRef<HTMLSpanElement>(null);
  // Only the stream the player is playing has player figures.
  const readDecoded = useCallback(() => (path !== null && playerReadout.path === path ? formatCount(playerReadout.decoded) : NONE), [path]);
  const readDropped = useCallback(() => (path !== null && playerReadout.path === path ? formatCount(playerReadout.dropped) : NONE), [path]);
  useFrameText(decodedRef, readDecoded);
  useFrameText(droppedRef, readDropped);

  return (
    <dl className="funnel">
      <div className="funnel-step">
        <dt>received</dt>
        <dd className="num">{formatCount(stats?.video.received)}</dd>
      </div>
      <div className="funnel-step">
        <dt>forwarded to preview</dt>
        <dd className="num" data-testid="funnel-forwarded">{formatCount(stats?.forwardedVideoFrames)}</dd>
      </div>
      <div className="funnel-step">
        <dt>decoded by player</dt>
        <dd className="num">
          <span data-testid="funnel-decoded" ref={decodedRef} />
          <span className="funnel-dropped" title="Frames the player dropped">
            dropped <span data-testid="funnel-dropped" ref={droppedRef} />
          </span>
        </dd>
      </div>
      <div className="funnel-step">
        <dt>recorded</dt>
        <dd className="num" data-testid="funnel-recorded">{formatCount(stats?.recordedVideoFrames)}</dd>
      </div>
    </dl>
  );
}
