import type { StateCreator } from 'zustand';
import type { RecordingInfo, Snapshot, UiBatch } from '../../../../app/contract/index.js';

/** Recordings of this run by file path, newest last. */
export interface RecordingsData {
  recordings: Record<string, RecordingInfo>;
}

/** The recordings slice: its data and the note a request's answer makes. */
export interface RecordingsSlice extends RecordingsData {
  /** A recording as a request answered it (start/stop), before the next batch says so. */
  noteRecording(r: RecordingInfo): void;
}

/** The recordings of a snapshot, keyed by file. */
export function recordingsFromSnapshot(s: Snapshot): RecordingsData {
  const recordings: Record<string, RecordingInfo> = {};
  for (const r of s.recordings) recordings[r.file] = r;
  return { recordings };
}

/** A batch's recordings, each replacing the older state of its file; `state` itself when there are none. */
export function reduceRecordings(state: RecordingsData, b: UiBatch): RecordingsData {
  if (b.recordings.length === 0) return state;
  const recordings = { ...state.recordings };
  for (const r of b.recordings) recordings[r.file] = r;
  return { recordings };
}

/** The recordings slice of the store (zustand's slices pattern). */
export const createRecordingsSlice: StateCreator<RecordingsSlice, [], [], RecordingsSlice> = (set) => ({
  recordings: {},
  noteRecording: (r) => set((st) => ({ recordings: { ...st.recordings, [r.file]: r } })),
});
