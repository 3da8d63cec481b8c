import type { ConnectionState } from '../../../app/contract/index.js';
import { useIntake } from '../context.js';
import type { IntakeState } from '../store/store.js';

/**
 * The connection the protocol and timeline panels show: the store's
 * selection while it still exists, otherwise the newest connection. The
 * store selects a connection only when its stream starts publishing; falling
 * back to the newest one is what lets the panels follow OBS live through the
 * handshake and `connect`, before there is a stream to select.
 */
export function shownConnectionId(s: Pick<IntakeState, 'selectedConnectionId' | 'connections' | 'connectionIds'>): number | null {
  const sel = s.selectedConnectionId;
  if (sel !== null && s.connections[sel]) return sel;
  for (let i = s.connectionIds.length - 1; i >= 0; i--) {
    const id = s.connectionIds[i];
    if (s.connections[id]) return id;
  }
  return null;
}

/** {@link shownConnectionId} as a hook (a primitive, so it re-renders only when the id changes). */
export function useShownConnectionId(): number | null {
  return useIntake(shownConnectionId);
}

const pickConnection = (id: number | null) => (s: IntakeState): ConnectionState | undefined => (id === null ? undefined : s.connections[id]);

/** The shown connection's state (info, steps, close), or undefined before any connection. */
export function useShownConnection(): ConnectionState | undefined {
  const id = useShownConnectionId();
  return useIntake(pickConnection(id));
}
