import type { StateCreator } from 'zustand';
import type { Snapshot, UiBatch } from '../../../../app/contract/index.js';
import type { StreamsData } from './streams.js';

/** What the user is looking at. */
export interface SelectionData {
  selectedPath: string | null;
  /** The connection shown in the protocol and timeline panels. */
  selectedConnectionId: number | null;
  /** Follow the newest stream until the user picks one. */
  followNewest: boolean;
}

/** The selection slice: its data and the user's picks. */
export interface SelectionSlice extends SelectionData {
  selectStream(path: string | null): void;
  selectConnection(id: number | null): void;
}

/**
 * The selection after a snapshot: a selected stream still live stays
 * selected (and so does following or not); otherwise the newest stream, or
 * with none live the newest connection, and following starts again.
 */
export function selectionFromSnapshot(s: Snapshot, prev: SelectionData, streams: StreamsData): SelectionData {
  const keep = prev.selectedPath !== null && streams.streams[prev.selectedPath] !== undefined;
  const selectedPath = keep ? prev.selectedPath : (streams.streamPaths[streams.streamPaths.length - 1] ?? null);
  return {
    selectedPath,
    selectedConnectionId: selectedPath ? streams.streams[selectedPath].connectionId : (s.connections[s.connections.length - 1]?.info.connectionId ?? null),
    followNewest: keep ? prev.followNewest : true,
  };
}

/**
 * A batch's stream starts select the newest one while following (or while
 * nothing is selected), with its connection. `state` itself otherwise.
 */
export function reduceSelection(state: SelectionData, b: UiBatch): SelectionData {
  let { selectedPath, selectedConnectionId } = state;
  for (const info of b.streamsStarted) {
    if (state.followNewest || selectedPath === null) {
      selectedPath = info.path;
      selectedConnectionId = info.connectionId;
    }
  }
  if (selectedPath === state.selectedPath && selectedConnectionId === state.selectedConnectionId) return state;
  return { selectedPath, selectedConnectionId, followNewest: state.followNewest };
}

/** The selection slice of the store; picking a stream reads the streams slice for its connection. */
export const createSelectionSlice: StateCreator<SelectionSlice & StreamsData, [], [], SelectionSlice> = (set, get) => ({
  selectedPath: null,
  selectedConnectionId: null,
  followNewest: true,
  selectStream: (path) => {
    const st = get();
    // An ended stream still has its connection (steps, timeline, why it closed) to show.
    const connectionId = path ? (st.streams[path]?.connectionId ?? st.ended[path]?.connectionId) : undefined;
    set({ selectedPath: path, followNewest: false, ...(connectionId !== undefined ? { selectedConnectionId: connectionId } : {}) });
  },
  selectConnection: (id) => set({ selectedConnectionId: id }),
});
