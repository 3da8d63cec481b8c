import type { ConnectionState } from '../../../app/contract/index.js';
import type { IntakeState } from '../store/store.js';

/** A publish the host refused (empty key, a key already live), for the streams list. */
export interface RefusedPublish {
  connectionId: number;
  /** "app/key" as the publisher asked for it ("live/" for an empty key). */
  path: string;
  /** The onStatus code and description it was answered with. */
  reason: string;
  remoteAddress: string;
  /** Wall clock of the refusal. */
  at: number;
}

/** The refused publish of one connection, if its publish step failed. */
export function refusedOf(c: ConnectionState): RefusedPublish | null {
  const step = c.steps.find((x) => x.id === 'publish' && x.state === 'failed');
  if (!step) return null;
  const app = c.steps.find((x) => x.id === 'connect')?.detail?.app;
  const key = step.detail?.key ?? step.detail?.name;
  return {
    connectionId: c.info.connectionId,
    path: `${typeof app === 'string' ? app : '?'}/${typeof key === 'string' ? key : ''}`,
    reason: (step.reply ?? 'refused').replace(/^onStatus /, ''),
    remoteAddress: c.info.remoteAddress,
    at: c.info.acceptedAt + step.atMs,
  };
}

let lastConnections: IntakeState['connections'] | null = null;
let lastRefused: RefusedPublish[] = [];

/**
 * Every refused publish among the connections the UI holds (bounded as
 * they are), newest first. Memoised on the connections map: it changes
 * with every step of every connection, but the list rarely does, so an
 * unchanged list keeps its identity and the list does not re-render.
 */
export function selectRefused(s: Pick<IntakeState, 'connections'>): RefusedPublish[] {
  if (s.connections === lastConnections) return lastRefused;
  lastConnections = s.connections;
  const next = Object.values(s.connections)
    .map(refusedOf)
    .filter((r): r is RefusedPublish => r !== null)
    .sort((a, b) => b.connectionId - a.connectionId);
  const same = next.length === lastRefused.length && next.every((r, i) => r.connectionId === lastRefused[i].connectionId && r.reason === lastRefused[i].reason);
  if (!same) lastRefused = next;
  return lastRefused;
}
