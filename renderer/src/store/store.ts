import { create } from 'zustand';
import type { ProtocolStep, TimelineEntry, RecordingInfo, StreamInfo, StreamStats } from '../../../app/contract/index.js';
import { CLOSED_CONNECTIONS_CAP, LOG_CAP } from '../../../app/contract/index.js';
import type { AppSettings, ConnectionState, HostInfo, LogEntry, ServerStatus, Snapshot, UiBatch } from '../../../app/contract/index.js';
import type { LinkState } from '../bridge/ws-client.js';
import { type StatsHistory, addSample, emptyHistory } from './history.js';
import { TimelineBuffer } from './timeline-buffer.js';

/** The UI keeps what the host keeps (the caps are the contract's). */
export { CLOSED_CONNECTIONS_CAP, LOG_CAP } from '../../../app/contract/index.js';

/** The host link and the listener. */
export interface HostSlice {
  link: LinkState;
  host: HostInfo | null;
  status: ServerStatus | null;
  settings: AppSettings | null;
}

/** Connections, their protocol steps and closes. */
export interface ConnectionsSlice {
  connections: Record<number, ConnectionState>;
  /** Connection ids, oldest first. */
  connectionIds: number[];
  /** Bumped per connection when its timeline grows (entries live in `timeline`). */
  timelineVersion: Record<number, number>;
}

/** Live streams, their stats and recordings. */
export interface StreamsSlice {
  streams: Record<string, StreamInfo>;
  /** Live stream paths, in order of start. */
  streamPaths: string[];
  /** Streams that ended in this session: why, for the list. */
  ended: Record<string, { connectionId: number; reason: string; at: number }>;
  stats: Record<string, StreamStats>;
  history: Record<string, StatsHistory>;
  /** Recordings by file path, newest last. */
  recordings: Record<string, RecordingInfo>;
  logs: LogEntry[];
}

/** What the user is looking at. */
export interface SelectionSlice {
  selectedPath: string | null;
  /** The connection shown in the protocol and timeline panels. */
  selectedConnectionId: number | null;
  /** Follow the newest stream until the user picks one. */
  followNewest: boolean;
}

export interface Actions {
  setLink(link: LinkState): void;
  applySnapshot(s: Snapshot): void;
  applyBatch(b: UiBatch): void;
  setStatus(s: ServerStatus): void;
  setSettings(s: AppSettings): void;
  selectStream(path: string | null): void;
  selectConnection(id: number | null): void;
  /** A recording as a request answered it (start/stop), before the next batch says so. */
  noteRecording(r: RecordingInfo): void;
  /** A connection's whole timeline arrived from the host (after a reload or reconnect). */
  timelineBackfilled(connectionId: number, entries: TimelineEntry[]): void;
}

export type IntakeState = HostSlice & ConnectionsSlice & StreamsSlice & SelectionSlice & Actions;

/** Every connection's timeline; outside the reactive state (see TimelineBuffer). */
export const timeline = new TimelineBuffer();

function upsertStep(steps: ProtocolStep[], step: ProtocolStep): ProtocolStep[] {
  const i = steps.findIndex((s) => s.id === step.id);
  if (i < 0) return [...steps, step];
  const next = steps.slice();
  next[i] = step;
  return next;
}

function initial(): HostSlice & ConnectionsSlice & StreamsSlice & SelectionSlice {
  return {
    link: 'connecting',
    host: null,
    status: null,
    settings: null,
    connections: {},
    connectionIds: [],
    timelineVersion: {},
    streams: {},
    streamPaths: [],
    ended: {},
    stats: {},
    history: {},
    recordings: {},
    logs: [],
    selectedPath: null,
    selectedConnectionId: null,
    followNewest: true,
  };
}

/** Create a store (one per app; tests make their own). */
export function createIntakeStore() {
  return create<IntakeState>()((set, get) => ({
    ...initial(),

    setLink: (link) => set({ link }),

    applySnapshot: (s) => {
      timeline.clear();
      const connections: Record<number, ConnectionState> = {};
      for (const c of s.connections) connections[c.info.connectionId] = c;
      const streams: Record<string, StreamInfo> = {};
      for (const st of s.streams) streams[st.path] = st;
      const stats: Record<string, StreamStats> = {};
      const history: Record<string, StatsHistory> = {};
      for (const st of s.stats) {
        stats[st.path] = st;
        history[st.path] = addSample(emptyHistory(), Date.now(), st.video.fps, st.video.bitrate / 1000, st.audio.bitrate / 1000);
      }
      const recordings: Record<string, RecordingInfo> = {};
      for (const r of s.recordings) recordings[r.file] = r;
      const prev = get();
      const streamPaths = s.streams.map((x) => x.path);
      const keep = prev.selectedPath !== null && streams[prev.selectedPath] !== undefined;
      const selectedPath = keep ? prev.selectedPath : (streamPaths[streamPaths.length - 1] ?? null);
      set({
        host: s.host,
        status: s.status,
        settings: s.settings,
        connections,
        connectionIds: s.connections.map((c) => c.info.connectionId),
        timelineVersion: {},
        streams,
        streamPaths,
        ended: {},
        stats,
        history,
        recordings,
        logs: s.logs.slice(-LOG_CAP),
        selectedPath,
        selectedConnectionId: selectedPath ? streams[selectedPath].connectionId : (s.connections[s.connections.length - 1]?.info.connectionId ?? null),
        followNewest: keep ? prev.followNewest : true,
      });
    },

    applyBatch: (b) => {
      const st = get();
      const patch: Partial<IntakeState> = {};
      let connections = st.connections;
      let connectionIds = st.connectionIds;
      const touch = (): void => {
        if (connections === st.connections) connections = { ...st.connections };
      };
      for (const info of b.opened) {
        touch();
        connections[info.connectionId] = { info, steps: [], messageCount: 0 };
        connectionIds = [...connectionIds, info.connectionId];
      }
      for (const step of b.steps) {
        const c = connections[step.connectionId];
        if (!c) continue;
        touch();
        connections[step.connectionId] = { ...c, steps: upsertStep(c.steps, step) };
      }
      for (const closed of b.closed) {
        const c = connections[closed.connectionId];
        if (!c) continue;
        touch();
        connections[closed.connectionId] = { ...c, closed };
      }
      if (b.messages.length > 0) {
        const changed = timeline.append(b.messages);
        const tv = { ...st.timelineVersion };
        for (const id of changed) {
          tv[id] = (tv[id] ?? 0) + 1;
          const c = connections[id];
          if (c) {
            touch();
            connections[id] = { ...c, messageCount: timeline.entries(id).length + timeline.dropped(id) };
          }
        }
        patch.timelineVersion = tv;
      }
      // Forget the oldest closed connections beyond the cap.
      const closedIds = connectionIds.filter((id) => connections[id]?.closed);
      if (closedIds.length > CLOSED_CONNECTIONS_CAP) {
        const drop = new Set(closedIds.slice(0, closedIds.length - CLOSED_CONNECTIONS_CAP));
        drop.delete(st.selectedConnectionId ?? -1);
        touch();
        for (const id of drop) {
          delete connections[id];
          timeline.forget(id);
        }
        connectionIds = connectionIds.filter((id) => !drop.has(id));
      }
      if (connections !== st.connections) patch.connections = connections;
      if (connectionIds !== st.connectionIds) patch.connectionIds = connectionIds;

      let streams = st.streams;
      let streamPaths = st.streamPaths;
      let ended = st.ended;
      let stats = st.stats;
      let history = st.history;
      let selectedPath = st.selectedPath;
      let selectedConnectionId = st.selectedConnectionId;
      for (const info of b.streamsStarted) {
        streams = { ...streams, [info.path]: info };
        streamPaths = [...streamPaths.filter((p) => p !== info.path), info.path];
        if (ended[info.path]) {
          ended = { ...ended };
          delete ended[info.path];
        }
        if (st.followNewest || selectedPath === null) {
          selectedPath = info.path;
          selectedConnectionId = info.connectionId;
        }
      }
      for (const info of b.streamsUpdated) if (streams[info.path]) streams = { ...streams, [info.path]: info };
      for (const s of b.stats) {
        if (!streams[s.path] && !st.stats[s.path]) continue;
        stats = { ...stats, [s.path]: s };
        history = { ...history, [s.path]: addSample(history[s.path] ?? emptyHistory(), Date.now(), s.video.fps, s.video.bitrate / 1000, s.audio.bitrate / 1000) };
      }
      for (const e of b.streamsEnded) {
        const cur = streams[e.path];
        if (!cur || cur.connectionId !== e.connectionId) continue;
        streams = { ...streams };
        delete streams[e.path];
        streamPaths = streamPaths.filter((p) => p !== e.path);
        ended = { ...ended, [e.path]: { connectionId: e.connectionId, reason: e.reason, at: Date.now() } };
      }
      if (streams !== st.streams) patch.streams = streams;
      if (streamPaths !== st.streamPaths) patch.streamPaths = streamPaths;
      if (ended !== st.ended) patch.ended = ended;
      if (stats !== st.stats) patch.stats = stats;
      if (history !== st.history) patch.history = history;
      if (selectedPath !== st.selectedPath) patch.selectedPath = selectedPath;
      if (selectedConnectionId !== st.selectedConnectionId) patch.selectedConnectionId = selectedConnectionId;

      if (b.recordings.length > 0) {
        const recordings = { ...st.recordings };
        for (const r of b.recordings) recordings[r.file] = r;
        patch.recordings = recordings;
      }
      if (b.logs.length > 0) patch.logs = [...st.logs, ...b.logs].slice(-LOG_CAP);
      if (Object.keys(patch).length > 0) set(patch);
    },

    setStatus: (status) => set({ status }),
    setSettings: (settings) => set({ settings }),

    selectStream: (path) => {
      const st = get();
      // An ended stream still has its connection (steps, timeline, why it closed) to show.
      const connectionId = path ? (st.streams[path]?.connectionId ?? st.ended[path]?.connectionId) : undefined;
      set({ selectedPath: path, followNewest: false, ...(connectionId !== undefined ? { selectedConnectionId: connectionId } : {}) });
    },

    selectConnection: (id) => set({ selectedConnectionId: id }),

    timelineBackfilled: (connectionId, entries) => {
      const st = get();
      const c = st.connections[connectionId];
      if (!c) return;
      // Keep what batches added meanwhile beyond the copy's end.
      const newer = timeline.entries(connectionId).filter((e) => e.seq > (entries[entries.length - 1]?.seq ?? -1));
      timeline.replace(connectionId, [...entries, ...newer]);
      set({
        timelineVersion: { ...st.timelineVersion, [connectionId]: (st.timelineVersion[connectionId] ?? 0) + 1 },
        connections: { ...st.connections, [connectionId]: { ...c, messageCount: timeline.entries(connectionId).length + timeline.dropped(connectionId) } },
      });
    },

    noteRecording: (r) => set((st) => ({ recordings: { ...st.recordings, [r.file]: r } })),
  }));
}

export type IntakeStore = ReturnType<typeof createIntakeStore>;
