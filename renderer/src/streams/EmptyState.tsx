import { useIntake } from '../context.js';
import { CopyButton } from '../layout/CopyButton.js';
import { selectStatus } from '../store/selectors.js';

/** The stream key the empty state suggests; any key works, each key is its own stream. */
export const SUGGESTED_KEY = 'intake';

/** A one-line ffmpeg test publish: a test pattern with a tone, H.264 + AAC, one keyframe a second. */
export function ffmpegCommand(publishUrl: string, key: string): string {
  return (
    'ffmpeg -re -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440 ' +
    `-c:v libx264 -preset veryfast -tune zerolatency -pix_fmt yuv420p -g 30 -c:a aac -f flv ${publishUrl}/${key}`
  );
}

/**
 * What to do when nothing is publishing: the exact Server URL and a stream
 * key for OBS (Settings → Stream → Service: Custom), each with a copy button,
 * and an ffmpeg line for a quick test.
 */
export function EmptyState() {
  const status = useIntake(selectStatus);
  if (!status || status.state === 'starting') {
    return (
      <div className="empty-state" data-testid="empty-state">
        <p className="muted">Starting the RTMP listener…</p>
      </div>
    );
  }
  const url = status.publishUrl;
  const cmd = ffmpegCommand(url, SUGGESTED_KEY);
  return (
    <div className="empty-state" data-testid="empty-state">
      <h3>Waiting for a publisher</h3>
      <p className="muted">In OBS: Settings → Stream → Service “Custom…”, then paste:</p>
      <div className="copy-field">
        <span className="copy-label">Server</span>
        <code className="copy-value" data-testid="publish-url">{url}</code>
        <CopyButton text={url} testId="copy-url" />
      </div>
      <div className="copy-field">
        <span className="copy-label">Stream key</span>
        <code className="copy-value" data-testid="stream-key">{SUGGESTED_KEY}</code>
        <CopyButton text={SUGGESTED_KEY} testId="copy-key" />
      </div>
      <p className="muted small">Any key works; each key is a separate stream.</p>
      <div className="copy-head">
        <span className="muted">Or test from a terminal:</span>
        <CopyButton text={cmd} testId="copy-ffmpeg" />
      </div>
      <code className="copy-block mono small">{cmd}</code>
    </div>
  );
}
