/**
 * Module-level selectors (xyflow's pattern): each returns a primitive or a
 * reference the store already holds, so a component re-renders only when its
 * own value changes. Derived lists are memoised on the slice they come from;
 * per-item selectors are made once per id by the `*For(id)` factories.
 */
import type { ConnectionClosed, RecordingInfo, StreamInfo, StreamStats } from '../../../app/contract/index.js';
import type { LogEntry } from '../../../app/contract/index.js';
import type { StatsHistory } from './history.js';
import type { IntakeState } from './store.js';

/** Memoise a derivation on one input reference (the slice it reads). */
function memoOn<I, O>(input: (s: IntakeState) => I, derive: (i: I) => O): (s: IntakeState) => O {
  let lastIn: I | undefined;
  let lastOut: O | undefined;
  let primed = false;
  return (s) => {
    const i = input(s);
    if (!primed || i !== lastIn) {
      lastIn = i;
      lastOut = derive(i);
      primed = true;
    }
    return lastOut as O;
  };
}

/** The store's timeline buffer (one per store, never replaced: components read entries from it). */
export const selectTimeline = (s: IntakeState) => s.timeline;
/** The WebSocket link to the host (always 'open' in Electron). */
export const selectLink = (s: IntakeState) => s.link;
/** When the link to the host was lost, while the state shown is not re-synced (null: it is current). */
export const selectLostAt = (s: IntakeState) => s.lostAt;
/** Whether what the window shows may no longer be true (the host is gone or not re-read yet). */
export const selectStale = (s: IntakeState) => s.lostAt !== null;
/** The RTMP listener's state. */
export const selectStatus = (s: IntakeState) => s.status;
/** Which host the UI talks to. */
export const selectHost = (s: IntakeState) => s.host;
/** The user's settings (null before the snapshot). */
export const selectSettings = (s: IntakeState) => s.settings;
/** The stream the panels show. */
export const selectSelectedPath = (s: IntakeState) => s.selectedPath;
/** Whether "open folder" can work here (Electron only). */
export const selectCanOpenFolder = (s: IntakeState) => s.host?.canOpenFolder ?? false;
/** The auto-record setting. */
export const selectAutoRecord = (s: IntakeState) => s.settings?.autoRecord ?? false;
/** Whether anything is publishing now. */
export const selectHasLiveStreams = (s: IntakeState) => s.streamPaths.length > 0;

/** Live stream paths, newest first (the list's order). */
export const selectLivePathsNewestFirst = memoOn((s) => s.streamPaths, (paths) => paths.slice().reverse());

/** Ended stream paths, most recently ended first. */
export const selectEndedPaths = memoOn(
  (s) => s.ended,
  (ended) => Object.keys(ended).sort((a, b) => ended[b].at - ended[a].at),
);

/** The selected stream, live only. */
export const selectSelectedStream = (s: IntakeState): StreamInfo | undefined => (s.selectedPath ? s.streams[s.selectedPath] : undefined);
/** Stats of the selected stream (kept after it ends, so the last figures stay readable). */
export const selectSelectedStats = (s: IntakeState): StreamStats | undefined => (s.selectedPath ? s.stats[s.selectedPath] : undefined);
/** Sparkline history of the selected stream. */
export const selectSelectedHistory = (s: IntakeState): StatsHistory | undefined => (s.selectedPath ? s.history[s.selectedPath] : undefined);
/** Why the selected stream ended, if it did. */
export const selectSelectedEnded = (s: IntakeState) => (s.selectedPath ? s.ended[s.selectedPath] : undefined);

/** A live stream's info, for its row. */
export const streamFor = (path: string) => (s: IntakeState) => s.streams[path];
/** A stream's latest stats (kept after it ends). */
export const statsFor = (path: string) => (s: IntakeState) => s.stats[path];
/** Why a stream ended, if it did. */
export const endedFor = (path: string) => (s: IntakeState) => s.ended[path];
/** How a connection closed (undefined while open or forgotten). */
export const closedFor = (connectionId: number | undefined) => (s: IntakeState): ConnectionClosed | undefined =>
  connectionId === undefined ? undefined : s.connections[connectionId]?.closed;

/**
 * The recording to show for a stream: the one in progress (from its stats or
 * the recordings map), else its most recent finished or failed one.
 */
export function recordingOf(s: IntakeState, path: string | null): RecordingInfo | undefined {
  if (!path) return undefined;
  const live = s.stats[path]?.recording;
  let latest: RecordingInfo | undefined;
  for (const r of Object.values(s.recordings)) if (r.path === path) latest = r;
  if (live && live.state === 'recording') {
    // Stats carry the growing size; but a finished/failed state of the same file in the map is newer.
    return latest && latest.file === live.file && latest.state !== 'recording' ? latest : live;
  }
  return latest ?? live;
}

/** Whether a stream is being recorded now. */
export const isRecordingFor = (path: string) => (s: IntakeState): boolean => recordingOf(s, path)?.state === 'recording';

/** Warnings and errors from the log, oldest first. */
export const selectProblems = memoOn(
  (s) => s.logs,
  (logs): LogEntry[] => logs.filter((l) => l.level === 'warn' || l.level === 'error'),
);

/** Connections that closed because a rule was broken, newest first. */
export const selectBrokenCloses = memoOn(
  (s) => s.connections,
  (connections): ConnectionClosed[] =>
    Object.values(connections)
      .map((c) => c.closed)
      .filter((c): c is ConnectionClosed => c?.error !== undefined)
      .sort((a, b) => b.connectionId - a.connectionId),
);

/** The recording to show for one stream (see {@link recordingOf}). */
export const recordingFor = (path: string | null) => (s: IntakeState) => recordingOf(s, path);

/** Codec strings of the selected stream (null until its sequence headers arrive). */
export const selectSelectedVideoCodec = (s: IntakeState) => (s.selectedPath ? (s.stats[s.selectedPath]?.video.codec ?? null) : null);
/** Audio codec string of the selected stream. */
export const selectSelectedAudioCodec = (s: IntakeState) => (s.selectedPath ? (s.stats[s.selectedPath]?.audio.codec ?? null) : null);
