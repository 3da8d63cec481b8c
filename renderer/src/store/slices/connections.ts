import type { StateCreator } from 'zustand';
import { CLOSED_CONNECTIONS_CAP, type ConnectionState, type ProtocolStep, type Snapshot, type TimelineEntry, type TimelinePage, type UiBatch } from '../../../../app/contract/index.js';
import { TimelineBuffer } from '../timeline-buffer.js';

/** Connections, their protocol steps and closes. */
export interface ConnectionsData {
  connections: Record<number, ConnectionState>;
  /** Connection ids, oldest first. */
  connectionIds: number[];
  /** Bumped per connection when its timeline grows (entries live in `timeline`). */
  timelineVersion: Record<number, number>;
}

/** The connections slice: its data, the store's own timeline buffer, and the backfill. */
export interface ConnectionsSlice extends ConnectionsData {
  /** Every connection's timeline, outside the reactive state (see TimelineBuffer); one per store, never replaced. */
  readonly timeline: TimelineBuffer;
  /** A connection's newest timeline range arrived from the host (after a reload or reconnect). */
  timelineBackfilled(page: TimelinePage): void;
  /** The UI stopped following a connection's timeline live: what it held of it is stale, and goes. */
  timelineUnfollowed(connectionId: number): void;
}

function upsertStep(steps: ProtocolStep[], step: ProtocolStep): ProtocolStep[] {
  const i = steps.findIndex((s) => s.id === step.id);
  if (i < 0) return [...steps, step];
  const next = steps.slice();
  next[i] = step;
  return next;
}

/** The connections of a snapshot (their timelines come later, by backfill). */
export function connectionsFromSnapshot(s: Snapshot): ConnectionsData {
  const connections: Record<number, ConnectionState> = {};
  for (const c of s.connections) connections[c.info.connectionId] = c;
  return { connections, connectionIds: s.connections.map((c) => c.info.connectionId), timelineVersion: {} };
}

/** Append a batch's messages to `timeline`; returns the new message count of each connection that grew. */
export function appendTimeline(timeline: TimelineBuffer, messages: readonly TimelineEntry[]): Map<number, number> {
  const grown = new Map<number, number>();
  if (messages.length === 0) return grown;
  for (const id of timeline.append(messages)) grown.set(id, timeline.entries(id).length + timeline.dropped(id));
  return grown;
}

/**
 * A batch's opened connections, steps (each replacing the older state of
 * the same step) and closes; `grown` (from {@link appendTimeline}) bumps
 * timeline versions and message counts. Closed connections beyond
 * CLOSED_CONNECTIONS_CAP are forgotten, oldest first, except `keep` (the
 * one on screen). `state` itself when nothing changes.
 */
export function reduceConnections(state: ConnectionsData, b: UiBatch, grown: ReadonlyMap<number, number>, keep: number | null): ConnectionsData {
  let { connections, connectionIds, timelineVersion } = state;
  const put = (c: ConnectionState): void => {
    if (connections === state.connections) connections = { ...state.connections };
    connections[c.info.connectionId] = c;
  };
  for (const info of b.opened) {
    put({ info, steps: [], messageCount: 0 });
    connectionIds = [...connectionIds, info.connectionId];
  }
  for (const step of b.steps) {
    const c = connections[step.connectionId];
    if (c) put({ ...c, steps: upsertStep(c.steps, step) });
  }
  for (const closed of b.closed) {
    const c = connections[closed.connectionId];
    if (c) put({ ...c, closed });
  }
  if (grown.size > 0) {
    timelineVersion = { ...timelineVersion };
    for (const [id, messageCount] of grown) {
      timelineVersion[id] = (timelineVersion[id] ?? 0) + 1;
      const c = connections[id];
      if (c) put({ ...c, messageCount });
    }
  }
  const closedIds = connectionIds.filter((id) => connections[id]?.closed);
  if (closedIds.length > CLOSED_CONNECTIONS_CAP) {
    const drop = new Set(closedIds.slice(0, closedIds.length - CLOSED_CONNECTIONS_CAP));
    drop.delete(keep ?? -1);
    if (connections === state.connections) connections = { ...state.connections };
    for (const id of drop) delete connections[id];
    connectionIds = connectionIds.filter((id) => !drop.has(id));
  }
  if (connections === state.connections && connectionIds === state.connectionIds && timelineVersion === state.timelineVersion) return state;
  return { connections, connectionIds, timelineVersion };
}

/** The connections slice of the store; its timeline buffer is made here, so each store has its own. */
export const createConnectionsSlice: StateCreator<ConnectionsSlice, [], [], ConnectionsSlice> = (set, get) => {
  const timeline = new TimelineBuffer();
  return {
    connections: {},
    connectionIds: [],
    timelineVersion: {},
    timeline,
    timelineUnfollowed: (connectionId) => {
      timeline.forget(connectionId);
      const st = get();
      set({ timelineVersion: { ...st.timelineVersion, [connectionId]: (st.timelineVersion[connectionId] ?? 0) + 1 } });
    },
    timelineBackfilled: (page) => {
      const { connectionId, entries } = page;
      const st = get();
      const c = st.connections[connectionId];
      if (!c) return;
      // Keep what batches added meanwhile beyond the copy's end.
      const end = page.from + entries.length;
      const newer = timeline.entries(connectionId).filter((e) => e.seq >= end);
      timeline.replace(connectionId, page, [...entries, ...newer]);
      const count = Math.max(page.total, timeline.entries(connectionId).length + timeline.dropped(connectionId));
      set({
        timelineVersion: { ...st.timelineVersion, [connectionId]: (st.timelineVersion[connectionId] ?? 0) + 1 },
        connections: { ...st.connections, [connectionId]: { ...c, messageCount: count } },
      });
    },
  };
};
