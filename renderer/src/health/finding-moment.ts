import type { ConnectionState, HealthFinding, StreamInfo } from '../../../app/contract/index.js';

/** Where a finding happened on its connection's clock: what the timeline shows. */
export interface FindingMoment {
  connectionId: number;
  /** ms since the connection's TCP accept (the timeline's `atMs`). */
  atMs: number;
}

/** What the mapping reads of the store: live and ended streams, and the connections. */
export interface MomentSource {
  streams: Record<string, StreamInfo>;
  ended: Record<string, { info?: StreamInfo }>;
  connections: Record<number, ConnectionState>;
}

/**
 * The moment a finding was first seen, on the timeline's clock. A finding
 * counts ms from the stream's start (the publish) and the timeline from
 * the TCP accept; both starts are wall-clock stamps the engine takes in the
 * same turn as the counters they start (StreamInfo.startedAt,
 * ConnectionInfo.acceptedAt), so their difference moves a finding onto the
 * timeline within a millisecond or two. Null when the stream or its
 * connection is no longer known to the window.
 */
export function findingMoment(s: MomentSource, path: string, f: Pick<HealthFinding, 'firstAtMs'>): FindingMoment | null {
  const info = s.streams[path] ?? s.ended[path]?.info;
  if (!info) return null;
  const conn = s.connections[info.connectionId];
  if (!conn) return null;
  return { connectionId: info.connectionId, atMs: Math.max(0, info.startedAt - conn.info.acceptedAt + f.firstAtMs) };
}
