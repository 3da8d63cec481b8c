import type { StateCreator } from 'zustand';
import { ENDED_STREAMS_CAP, type EndedStreamState, type Snapshot, type StreamInfo, type StreamStats, type UiBatch } from '../../../../app/contract/index.js';

/** A stream that ended in this session: as it was live, why and when it ended, and how its connection closed. */
export interface EndedStream {
  connectionId: number;
  reason: string;
  at: number;
  /** The stream as it was live (encoder, address), so its row keeps them. */
  info?: StreamInfo;
  /** Its last stats (codec, resolution, bytes). */
  stats?: StreamStats;
  /** How its connection closed, once it has. */
  closed?: EndedStreamState['closed'];
}

/** Live streams, and the streams that ended in this session. */
export interface StreamsData {
  streams: Record<string, StreamInfo>;
  /** Live stream paths, in order of start. */
  streamPaths: string[];
  /** Streams that ended (at most ENDED_STREAMS_CAP, as the host keeps), by path. */
  ended: Record<string, EndedStream>;
}

/** The live and ended streams of a snapshot: a reload keeps the ended list the host kept. */
export function streamsFromSnapshot(s: Snapshot): StreamsData {
  const streams: Record<string, StreamInfo> = {};
  for (const st of s.streams) streams[st.path] = st;
  const ended: Record<string, EndedStream> = {};
  for (const e of s.ended.slice(-ENDED_STREAMS_CAP)) {
    if (streams[e.info.path]) continue;
    ended[e.info.path] = { connectionId: e.info.connectionId, reason: e.reason, at: e.endedAt, info: e.info, ...(e.stats ? { stats: e.stats } : {}), ...(e.closed ? { closed: e.closed } : {}) };
  }
  return { streams, streamPaths: s.streams.map((x) => x.path), ended };
}

/** The oldest ended streams beyond the cap, forgotten. */
function capEnded(ended: Record<string, EndedStream>): Record<string, EndedStream> {
  const paths = Object.keys(ended);
  if (paths.length <= ENDED_STREAMS_CAP) return ended;
  const keep = paths.sort((a, b) => ended[b].at - ended[a].at).slice(0, ENDED_STREAMS_CAP);
  return Object.fromEntries(keep.map((p) => [p, ended[p]]));
}

/**
 * A batch's stream starts, updates and ends, in that order, then its
 * closes. A start of an ended path revives it; an update of a stream not
 * live is ignored; an end counts only if it names the publisher that is live
 * on the path (a late end of an older publisher does not end its
 * successor), and keeps the stream's info and last stats (the batch's, else
 * `state.stats`) so its row still shows them. A close reaches the ended
 * streams of its connection. Ends are stamped `now`. `state` itself when
 * nothing changes.
 */
export function reduceStreams(state: StreamsData & { stats?: Record<string, StreamStats> }, b: UiBatch, now: number): StreamsData {
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
    const last = b.stats.filter((s) => s.path === e.path && s.connectionId === e.connectionId).pop() ?? state.stats?.[e.path];
    ended = capEnded({ ...ended, [e.path]: { connectionId: e.connectionId, reason: e.reason, at: now, info: cur, ...(last ? { stats: last } : {}) } });
  }
  for (const c of b.closed) {
    for (const [path, e] of Object.entries(ended)) {
      if (e.connectionId !== c.connectionId) continue;
      ended = { ...ended, [path]: { ...e, closed: { by: c.by, reason: c.reason, ...(c.error ? { error: c.error } : {}) } } };
    }
  }
  if (streams === state.streams && streamPaths === state.streamPaths && ended === state.ended) return state;
  return { streams, streamPaths, ended };
}

/** The streams slice of the store: data only, fed by the snapshot and batches. */
export const createStreamsSlice: StateCreator<StreamsData, [], [], StreamsData> = () => ({ streams: {}, streamPaths: [], ended: {} });
