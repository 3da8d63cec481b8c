import type { StateCreator } from 'zustand';
import { LOG_CAP, type LogEntry, type Snapshot, type UiBatch } from '../../../../app/contract/index.js';

/** The host's log lines, oldest first, at most LOG_CAP (the host keeps as many). */
export interface LogsData {
  logs: LogEntry[];
}

/** The logs of a snapshot, capped. */
export function logsFromSnapshot(s: Snapshot): LogsData {
  return { logs: s.logs.slice(-LOG_CAP) };
}

/** A batch's log lines appended, the oldest beyond the cap dropped; `state` itself when there are none. */
export function reduceLogs(state: LogsData, b: UiBatch): LogsData {
  if (b.logs.length === 0) return state;
  return { logs: [...state.logs, ...b.logs].slice(-LOG_CAP) };
}

/** The logs slice of the store: data only, fed by the snapshot and batches. */
export const createLogsSlice: StateCreator<LogsData, [], [], LogsData> = () => ({ logs: [] });
