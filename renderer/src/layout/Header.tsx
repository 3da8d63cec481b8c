import type { ServerStatus } from '../../../app/contract/index.js';
import type { LinkState } from '../bridge/ws-client.js';
import { useIntake } from '../context.js';
import { selectHost, selectLink, selectLostAt, selectStatus } from '../store/selectors.js';
import { formatTimeOfDay } from '../util/format.js';

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

/**
 * The header's status while the host is out of reach: the listener's state
 * is then unknown (the server may have stopped with it), so it is not shown
 * as a current fact, in green, but as the last thing known.
 */
export function describeLostStatus(status: ServerStatus | null): { text: string; tone: 'err' } {
  const last = status ? describeStatus(status).text : null;
  return { text: last ? `Unknown: Intake not reachable (last known: ${last})` : 'Unknown: Intake not reachable', tone: 'err' };
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
  const lostAt = useIntake(selectLostAt);
  const s = lostAt !== null ? describeLostStatus(status) : describeStatus(status);
  // Once the link was lost, every new attempt is a reconnection, not the first connection.
  const linkText = lostAt !== null ? (link === 'open' ? 're-syncing…' : link === 'unauthorized' ? LINK_TEXT[link] : 'reconnecting…') : LINK_TEXT[link];
  return (
    <header className="app-header">
      <span className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Intake
      </span>
      <span className={`server-status tone-${s.tone}`} data-testid="server-status" data-stale={lostAt !== null ? 'true' : undefined} title={s.text}>
        <span className={`status-dot ${lostAt !== null ? 'is-unknown' : ''}`} aria-hidden="true" />
        {s.text}
      </span>
      <span className="spacer" />
      {linkText ? (
        <span className={`link-state tone-${link === 'unauthorized' || lostAt !== null ? 'err' : 'warn'}`} data-testid="link-state" role="status">
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

/**
 * Full-width notice: the browser view's token is missing or wrong; or the
 * connection to Intake is lost (server stopped, crashed, or not answering
 * the heartbeat), so everything below is the last known state, greyed.
 */
export function LinkBanner() {
  const link = useIntake(selectLink);
  const lostAt = useIntake(selectLostAt);
  if (link === 'unauthorized') {
    return (
      <div className="link-banner" role="alert" data-testid="link-unauthorized">
        Unauthorized: open the URL with <code>?token=…</code> as printed by <code>intake serve</code> when it started.
      </div>
    );
  }
  if (lostAt === null) return null;
  return (
    <div className="link-banner" role="alert" data-testid="link-lost">
      <strong>Connection to Intake lost</strong> at {formatTimeOfDay(lostAt)} (server stopped, crashed or not answering).{' '}
      {link === 'open' ? 'Reconnected; reading the current state…' : 'Reconnecting…'} What is shown below may no longer be true.
    </div>
  );
}
