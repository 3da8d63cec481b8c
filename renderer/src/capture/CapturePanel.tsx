import type { StreamStats } from '../../../app/contract/index.js';
import { useIntake } from '../context.js';
import { formatBitrate, formatCount, formatFps, formatPercent } from '../util/format.js';
import { selectSelectedHistory, selectSelectedPath, selectSelectedStats } from '../store/selectors.js';
import { Funnel } from './Funnel.js';
import { Sparkline } from './Sparkline.js';

const EMPTY: readonly number[] = [];

/** Colour class of a capture figure: only 100 % is a pass (DESIGN.md). */
export function captureTone(p: number | null | undefined): 'ok' | 'warn' | 'err' | 'none' {
  if (p === null || p === undefined) return 'none';
  if (p >= 100) return 'ok';
  return p >= 98 ? 'warn' : 'err';
}

function AudioLine({ stats }: { stats: StreamStats | undefined }) {
  const a = stats?.audio;
  return (
    <div className="capture-audio num">
      <span className="muted">audio</span>
      <span className={`tone-${captureTone(a?.capturePercent)}`}>{formatPercent(a?.capturePercent)}</span>
      <span>
        {formatCount(a?.received)} / {formatCount(a?.expected)}
      </span>
      <span className="muted">recorded</span>
      <span>{formatCount(stats?.recordedAudioFrames)}</span>
    </div>
  );
}

/**
 * Frame capture of the selected stream: the percentage large, received /
 * expected beside it, the funnel, audio's figures smaller, and fps / bitrate
 * sparklines.
 */
export function CapturePanel() {
  const path = useIntake(selectSelectedPath);
  const stats = useIntake(selectSelectedStats);
  const history = useIntake(selectSelectedHistory);
  const v = stats?.video;
  return (
    <section className="panel capture" aria-label="Frame capture">
      <header className="panel-head">
        <h2>Frame capture</h2>
        <span className="panel-sub" title="video frames received / expected from the stream's own clock">received / expected</span>
      </header>
      <div className="panel-body">
        <div className="capture-main">
          <span className={`capture-percent num tone-${captureTone(v?.capturePercent)}`} data-testid="capture-percent">
            {formatPercent(v?.capturePercent)}
          </span>
          <span className="capture-ratio num">
            <span data-testid="capture-received">{formatCount(v?.received)}</span>
            <span className="muted"> / </span>
            <span data-testid="capture-expected">{formatCount(v?.expected)}</span>
          </span>
        </div>
        <Funnel path={path} stats={stats} />
        <AudioLine stats={stats} />
        <div className="sparks">
          <Sparkline label="fps" value={formatFps(v?.fps)} values={history?.videoFps ?? EMPTY} />
          <Sparkline label="video" value={formatBitrate(v?.bitrate)} values={history?.videoKbps ?? EMPTY} />
          <Sparkline label="audio" value={formatBitrate(stats?.audio.bitrate)} values={history?.audioKbps ?? EMPTY} tone="muted" />
        </div>
      </div>
    </section>
  );
}
