import type { ServerStatus } from '../../../app/contract/index.js';
import type { LinkState } from '../bridge/ws-client.js';
import { useIntake } from '../context.js';
import { selectHost, selectLink, selectStatus } from '../store/selectors.js';

/** The listener's state in a few words, and its tone. */
export function describeStatus(status: ServerStatus | null): { text: string; tone: 'ok' | 'warn' | 'err' | 'muted' } {
  if (!status) return { text: 'Waiting for the host…', tone: 'muted' };
  switch (status.state) {
    case 'listening':
      return { text: `Listening on rtmp://${status.host}:${status.port}`, tone: 'ok' };
    case 'starting':
      return { text: `Starting on ${status.host}:${status.port}…`, tone: 'warn' };
    case 'error':
      return { text: status.error ? `Not listening: ${status.error.message}` : `Not listening on ${status.host}:${status.port}`, tone: 'err' };
    default:
      return { text: 'Listener stopped', tone: 'muted' };
  }
}

const LINK_TEXT: Record<LinkState, string | null> = {
  open: null,
  connecting: 'connecting…',
  closed: 'reconnecting…',
  unauthorized: 'unauthorized',
};

/** The app bar: name, listener status, link to the host, and the settings button. */
export function Header({ onSettings }: { onSettings: () => void }) {
  const status = useIntake(selectStatus);
  const link = useIntake(selectLink);
  const host = useIntake(selectHost);
  const s = describeStatus(status);
  const linkText = LINK_TEXT[link];
  return (
    <header className="app-header">
      <span className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Intake
      </span>
      <span className={`server-status tone-${s.tone}`} data-testid="server-status" title={s.text}>
        <span className="status-dot" aria-hidden="true" />
        {s.text}
      </span>
      <span className="spacer" />
      {linkText ? (
        <span className={`link-state tone-${link === 'unauthorized' ? 'err' : 'warn'}`} data-testid="link-state" role="status">
          {linkText}
        </span>
      ) : null}
      <span className="host-info muted small">{host ? `${host.transport === 'electron' ? 'desktop' : 'browser'} · v${host.version}` : ''}</span>
      <button type="button" className="btn" onClick={onSettings} data-testid="settings-open" aria-haspopup="dialog">
        Settings
      </button>
    </header>
  );
}

/** Full-width notice when the browser view's token is missing or wrong. */
export function LinkBanner() {
  const link = useIntake(selectLink);
  if (link !== 'unauthorized') return null;
  return (
    <div className="link-banner" role="alert" data-testid="link-unauthorized">
      Unauthorized: open the URL with <code>?token=…</code> as printed by <code>intake serve</code> when it started.
    </div>
  );
}
