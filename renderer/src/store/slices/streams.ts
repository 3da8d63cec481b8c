import type { StateCreator } from 'zustand';
import type { Snapshot, StreamInfo, UiBatch } from '../../../../app/contract/index.js';

/** Why and when a stream of this session ended, for the list. */
export interface EndedStream {
  connectionId: number;
  reason: string;
  at: number;
}

/** Live streams, and the streams that ended in this session. */
export interface StreamsData {
  streams: Record<string, StreamInfo>;
  /** Live stream paths, in order of start. */
  streamPaths: string[];
  /** Streams that ended in this session: why, for the list. */
  ended: Record<string, EndedStream>;
}

/** The live streams of a snapshot (nothing has ended yet in a new session view). */
export function streamsFromSnapshot(s: Snapshot): StreamsData {
  const streams: Record<string, StreamInfo> = {};
  for (const st of s.streams) streams[st.path] = st;
  return { streams, streamPaths: s.streams.map((x) => x.path), ended: {} };
}

/**
 * A batch's stream starts, updates and ends, in that order. A start of an
 * ended path revives it; an update of a stream not live is ignored; an end
 * counts only if it names the publisher that is live on the path (a late
 * end of an older publisher does not end its successor). Ends are stamped
 * `now`. `state` itself when nothing changes.
 */
export function reduceStreams(state: StreamsData, b: UiBatch, now: number): StreamsData {
  let { streams, streamPaths, ended } = state;
  for (const info of b.streamsStarted) {
    streams = { ...streams, [info.path]: info };
    streamPaths = [...streamPaths.filter((p) => p !== info.path), info.path];
    if (ended[info.path]) {
      ended = { ...ended };
      delete ended[info.path];
    }
  }
  for (const info of b.streamsUpdated) if (streams[info.path]) streams = { ...streams, [info.path]: info };
  for (const e of b.streamsEnded) {
    const cur = streams[e.path];
    if (!cur || cur.connectionId !== e.connectionId) continue;
    streams = { ...streams };
    delete streams[e.path];
    streamPaths = streamPaths.filter((p) => p !== e.path);
    ended = { ...ended, [e.path]: { connectionId: e.connectionId, reason: e.reason, at: now } };
  }
  if (streams === state.streams && streamPaths === state.streamPaths && ended === state.ended) return state;
  return { streams, streamPaths, ended };
}

/** The streams slice of the store: data only, fed by the snapshot and batches. */
export const createStreamsSlice: StateCreator<StreamsData, [], [], StreamsData> = () => ({ streams: {}, streamPaths: [], ended: {} });
