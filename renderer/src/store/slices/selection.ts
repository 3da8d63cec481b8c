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
  /** Set (true) only when the user picked the selected stream after it had ended: then it stays selected while others are live. */
  pinnedEnded?: true;
}

/** The selection slice: its data and the user's picks. */
export interface SelectionSlice extends SelectionData {
  selectStream(path: string | null): void;
  /**
   * Show a connection in the protocol and timeline panels. A connection
   * that published a stream (live or ended) selects that stream too, so
   * the preview and capture never show another stream than the protocol
   * without saying so; one that published nothing leaves them as they are
   * (the picker says which stream they show).
   */
  selectConnection(id: number | null): void;
}

/** The newest live stream of `streams`, if any. */
const newestLive = (streams: StreamsData): string | undefined => streams.streamPaths[streams.streamPaths.length - 1];

/**
 * The selection after a snapshot: a selected stream still live stays
 * selected (and so does following or not), and so does an ended one the user
 * pinned, or any ended one while nothing is live; otherwise the newest live
 * stream, or with none the newest connection, and following starts again.
 */
export function selectionFromSnapshot(s: Snapshot, prev: SelectionData, streams: StreamsData): SelectionData {
  const p = prev.selectedPath;
  const live = p !== null && streams.streams[p] !== undefined;
  const keptEnded = p !== null && !live && streams.ended[p] !== undefined && (prev.pinnedEnded === true || newestLive(streams) === undefined);
  if (keptEnded) return { selectedPath: p, selectedConnectionId: streams.ended[p].connectionId, followNewest: prev.followNewest, ...(prev.pinnedEnded ? { pinnedEnded: true } : {}) };
  const selectedPath = live ? p : (newestLive(streams) ?? null);
  return {
    selectedPath,
    selectedConnectionId: selectedPath ? streams.streams[selectedPath].connectionId : (s.connections[s.connections.length - 1]?.info.connectionId ?? null),
    followNewest: live ? prev.followNewest : true,
  };
}

/**
 * A batch's stream starts select the newest one while following (or while
 * nothing is selected), with its connection. With `streams` (the streams
 * after the batch), a selection left on a stream that is no longer live
 * moves to the newest live one, at its end or when another starts, unless
 * the user pinned it.
 *
 * Why move: an ended stream shows a frozen last frame and stopped figures,
 * and a new or remaining live stream is what the user is waiting to see
 * (an encoder that reconnects publishes again, often under the same key).
 * Why not when pinned: a stream the user clicked after it ended was chosen
 * to read why it ended; moving away from it under the user would be worse.
 * `state` itself when nothing changes.
 */
export function reduceSelection(state: SelectionData, b: UiBatch, streams?: StreamsData): SelectionData {
  let { selectedPath, selectedConnectionId } = state;
  const notLive = (p: string | null): boolean => p !== null && streams !== undefined && streams.streams[p] === undefined;
  for (const info of b.streamsStarted) {
    if (streams && streams.streams[info.path]?.connectionId !== info.connectionId) continue; // ended in the same batch
    if (state.followNewest || selectedPath === null || (notLive(selectedPath) && !state.pinnedEnded)) {
      selectedPath = info.path;
      selectedConnectionId = info.connectionId;
    }
  }
  if (streams && notLive(selectedPath) && !state.pinnedEnded) {
    const next = newestLive(streams);
    if (next !== undefined) {
      selectedPath = next;
      selectedConnectionId = streams.streams[next].connectionId;
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
    const pinned = path !== null && st.streams[path] === undefined && st.ended[path] !== undefined;
    set({ selectedPath: path, followNewest: false, pinnedEnded: pinned ? true : undefined, ...(connectionId !== undefined ? { selectedConnectionId: connectionId } : {}) });
  },
  selectConnection: (id) => {
    const st = get();
    const live = id === null ? undefined : st.streamPaths.find((p) => st.streams[p].connectionId === id);
    const ended = id === null || live ? undefined : Object.keys(st.ended).find((p) => st.ended[p].connectionId === id);
    if (live !== undefined) set({ selectedConnectionId: id, selectedPath: live, followNewest: false, pinnedEnded: undefined });
    else if (ended !== undefined) set({ selectedConnectionId: id, selectedPath: ended, followNewest: false, pinnedEnded: true });
    else set({ selectedConnectionId: id });
  },
});
