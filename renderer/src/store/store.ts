/**
 * The renderer's one store, made of typed slices (zustand's slices guide):
 * each slice in `slices/` owns its fields, its own actions, and a pure
 * reducer of the host's snapshot and batches. This file only puts them
 * together and applies a snapshot or a batch to all of them at once, so a
 * batch is one `set` (one render), however many slices it touches.
 */
import { create } from 'zustand';
import type { Snapshot, UiBatch } from '../../../app/contract/index.js';
import { type ConnectionsSlice, appendTimeline, connectionsFromSnapshot, createConnectionsSlice, reduceConnections } from './slices/connections.js';
import { type HostSlice, createHostSlice, hostFromSnapshot } from './slices/host.js';
import { type LogsData, createLogsSlice, logsFromSnapshot, reduceLogs } from './slices/logs.js';
import { type RecordingsSlice, createRecordingsSlice, recordingsFromSnapshot, reduceRecordings } from './slices/recordings.js';
import { type SelectionSlice, createSelectionSlice, reduceSelection, selectionFromSnapshot } from './slices/selection.js';
import { type StatsData, createStatsSlice, reduceStats, statsFromSnapshot } from './slices/stats.js';
import { type StreamsData, createStreamsSlice, reduceStreams, streamsFromSnapshot } from './slices/streams.js';
import { type HealthSlice, createHealthSlice, healthFromSnapshot, reduceHealth } from '../health/health-slice.js';

/** The UI keeps what the host keeps (the caps are the contract's). */
export { CLOSED_CONNECTIONS_CAP, LOG_CAP } from '../../../app/contract/index.js';
export type { ConnectionsSlice } from './slices/connections.js';
export type { HostSlice } from './slices/host.js';
export type { SelectionSlice } from './slices/selection.js';

/** What the host sends, applied to every slice at once. */
export interface SyncActions {
  /** Everything anew after a (re)connect; the timeline buffer starts empty (backfill refills it). */
  applySnapshot(s: Snapshot): void;
  /** What changed since the last batch. */
  applyBatch(b: UiBatch): void;
}

/** The whole store: every slice and the actions that span them. */
export type IntakeState = HostSlice & ConnectionsSlice & StreamsData & StatsData & RecordingsSlice & LogsData & SelectionSlice & SyncActions & HealthSlice;

/** Create a store (one per app; tests make their own, each with its own timeline buffer). */
export function createIntakeStore() {
  return create<IntakeState>()((set, get, api) => ({
    ...createHostSlice(set, get, api),
    ...createConnectionsSlice(set, get, api),
    ...createStreamsSlice(set, get, api),
    ...createStatsSlice(set, get, api),
    ...createRecordingsSlice(set, get, api),
    ...createLogsSlice(set, get, api),
    ...createSelectionSlice(set, get, api),
    ...createHealthSlice(set, get, api),

    applySnapshot: (s) => {
      const prev = get();
      prev.timeline.clear();
      const streams = streamsFromSnapshot(s);
      set({
        ...hostFromSnapshot(s),
        ...connectionsFromSnapshot(s),
        ...streams,
        ...statsFromSnapshot(s, Date.now()),
        ...recordingsFromSnapshot(s),
        ...logsFromSnapshot(s),
        ...selectionFromSnapshot(s, prev, streams),
        ...healthFromSnapshot(s),
      });
    },

    applyBatch: (b) => {
      const st = get();
      const now = Date.now();
      const patch: Partial<IntakeState> = {};
      // Each reducer returns its input when the batch leaves its slice alone; only changed slices are set.
      const merge = (next: object): void => {
        if (next !== st) Object.assign(patch, next);
      };
      const connections = reduceConnections(st, b, appendTimeline(st.timeline, b.messages), st.selectedConnectionId);
      if (connections.connectionIds !== st.connectionIds) {
        for (const id of st.connectionIds) if (!connections.connections[id]) st.timeline.forget(id);
      }
      merge(connections);
      const streams = reduceStreams(st, b, now);
      merge(streams);
      merge(reduceSelection(st, b, streams));
      merge(reduceStats(st, b, now));
      merge(reduceRecordings(st, b));
      merge(reduceLogs(st, b));
      merge(reduceHealth(st, b));
      if (Object.keys(patch).length > 0) set(patch);
    },
  }));
}

/** The store as the app and tests hold it. */
export type IntakeStore = ReturnType<typeof createIntakeStore>;
