/**
 * The contract between the app's UI (renderer/) and whatever hosts the
 * engine for it: Electron's main process over IPC, or `intake serve` over a
 * WebSocket. Written once here; main/, the preload, the WebSocket server and
 * the renderer all import these types, so the renderer cannot tell which
 * transport it has.
 *
 * Two kinds of traffic, in the manner of GitHub Desktop's ipc-shared.ts:
 * requests that return a Promise, and events pushed by the host.
 */
import type {
  Closer,
  ConnectionClosed,
  ConnectionInfo,
  LogLevel,
  ProtocolStep,
  RecordingInfo,
  StreamInfo,
  StreamStats,
  TimelineEntry,
} from './engine.js';
import type { WireError } from './errors.js';
import type { RecordFormat } from './recording-format.js';
import type { MessageKind } from './values.js';

/** What the user can change; the Electron app keeps it on disk between launches. */
export interface AppSettings {
  /** Interface the RTMP listener binds; 127.0.0.1 unless the network is chosen explicitly. */
  host: string;
  port: number;
  /** Folder recordings go to. */
  recordDir: string;
  /** Record every stream from its first byte. */
  autoRecord: boolean;
  /** The container of new recordings (default mp4). */
  recordFormat?: RecordFormat;
}

/** The RTMP listener's state. */
export interface ServerStatus {
  state: 'starting' | 'listening' | 'error' | 'stopped';
  host: string;
  port: number;
  /** Why it is not listening (port in use, no permission...). */
  error?: WireError;
  /** The URL to paste into OBS's "Server" field, e.g. rtmp://127.0.0.1:1935/live */
  publishUrl: string;
  /** Why the recording folder chosen at start cannot be used (checked when chosen; cleared by a folder that works). */
  recordDirError?: WireError;
  /** After a port or host change: the old address, where live streams that came in on it stay until they end. */
  draining?: { host: string; port: number; liveStreams: number };
}

/** Which host the renderer is talking to, and what it can do. */
export interface HostInfo {
  transport: 'electron' | 'websocket';
  version: string;
  /** Whether "open folder" can show a folder on this machine (Electron only). */
  canOpenFolder: boolean;
}

/** One connection as the UI knows it: who, how far the conversation got, how it ended. */
export interface ConnectionState {
  info: ConnectionInfo;
  /** The protocol steps reached so far, in the order they happened (latest state of each). */
  steps: ProtocolStep[];
  closed?: ConnectionClosed;
  /** Timeline entries the host holds for this connection (they arrive in batches). */
  messageCount: number;
}

export interface LogEntry {
  level: LogLevel;
  message: string;
  connectionId?: number;
  /** Wall clock, ms since epoch. */
  at: number;
}

/** Streams that ended kept for a UI opened later, by the host and by the UI; the oldest go first. */
export const ENDED_STREAMS_CAP = 20;

/**
 * What the stream-end reason is when the publisher stopped cleanly: the
 * command that ended it. Any other reason is its connection closing
 * (killed, reset, timed out, shut down) while it published.
 */
export const CLEAN_END_REASONS = ['FCUnpublish', 'deleteStream', 'closeStream'] as const;

/** A stream that ended, as the host keeps it so that a reload still lists it. */
export interface EndedStreamState {
  /** The stream as it was while live: encoder, address, metadata. */
  info: StreamInfo;
  /** Its last stats (codecs, resolution, bytes, capture), if any came. */
  stats?: StreamStats;
  /** Why it ended: one of {@link CLEAN_END_REASONS}, or why its connection closed. */
  reason: string;
  /** Wall clock of the end (ms since epoch). */
  endedAt: number;
  /** How its connection closed, once it has (who closed it, why, which rule). */
  closed?: { by: Closer; reason: string; error?: WireError };
}

/** Everything the UI needs to draw itself after (re)connecting. */
export interface Snapshot {
  host: HostInfo;
  status: ServerStatus;
  settings: AppSettings;
  connections: ConnectionState[];
  streams: StreamInfo[];
  stats: StreamStats[];
  /** Recordings of this run, newest last. */
  recordings: RecordingInfo[];
  logs: LogEntry[];
  /** Streams that ended, oldest first, at most ENDED_STREAMS_CAP. */
  ended: EndedStreamState[];
}

/**
 * What changed since the last batch. The host sends at most ~10 batches a
 * second, so a busy stream costs the UI ten messages a second, not one per
 * RTMP message.
 */
export interface UiBatch {
  opened: ConnectionInfo[];
  closed: ConnectionClosed[];
  steps: ProtocolStep[];
  /** Timeline entries, in order per connection. */
  messages: TimelineEntry[];
  streamsStarted: StreamInfo[];
  streamsUpdated: StreamInfo[];
  streamsEnded: { path: string; connectionId: number; reason: string }[];
  /** Latest stats per stream (older ones of the same batch are dropped). */
  stats: StreamStats[];
  recordings: RecordingInfo[];
  logs: LogEntry[];
}

/**
 * FLV bytes of the stream being previewed. The first chunk of a preview
 * starts with the FLV header and carries the late-join start (metadata,
 * sequence headers, current GOP); the rest continue it.
 */
export interface MediaChunk {
  /** Which preview this belongs to: the id returned by the `preview` request. */
  previewId: number;
  data: Uint8Array;
  /**
   * When the chunk's newest video frame reached the engine (ms since the
   * epoch, host clock); absent or NaN when it carries none. The preview
   * shows now minus this for the frame on screen: Intake's own delay.
   */
  arrivedAt?: number;
  /**
   * Video frames the stream has handed this preview so far: its late-join
   * start (the cached GOP) and every frame received since. The preview
   * session's "received": frames outside it came before the preview began.
   */
  offered?: number;
  /** Of `offered`, the video frames sent to the UI, this chunk's included (the rest were skipped while the UI fell behind). */
  forwarded?: number;
}

/** The preview's stream ended (publisher gone) or was replaced. */
export interface PreviewEnd {
  previewId: number;
  reason: string;
}

/** One range of a connection's timeline (the `timeline` request's answer). */
export interface TimelinePage {
  connectionId: number;
  /** Absolute position of `entries[0]` (positions count every message, dropped ones included). */
  from: number;
  /** Messages the host has counted for this connection, dropped ones included. */
  total: number;
  /** The oldest this many messages are no longer held (past the host's bound). */
  dropped: number;
  /** Messages of each kind over the whole connection, dropped ones included (what the filter chips count). */
  counts?: Record<MessageKind, number>;
  entries: TimelineEntry[];
}

/** Where a moment falls in a connection's timeline (the `timeline-at` request's answer). */
export interface TimelineMoment {
  connectionId: number;
  /** The moment asked about: ms since the TCP accept (the timeline's clock). */
  atMs: number;
  /** Absolute position of the message nearest it, or null when it is no longer held (dropped past the host's bound) or nothing is. */
  index: number | null;
  /** That message, when there is one. */
  entry: TimelineEntry | null;
  /** As in TimelinePage: messages counted, and the oldest this many no longer held. */
  total: number;
  dropped: number;
}

/** Requests from the UI; each returns a Promise of `res`. */
export interface UiRequests {
  snapshot: { req: void; res: Snapshot };
  /** Change settings; a host/port change restarts the listener. Resolves with the new status. */
  'set-settings': { req: Partial<AppSettings>; res: { settings: AppSettings; status: ServerStatus } };
  /**
   * Preview a stream's media (or stop with null). One stream at a time per UI:
   * a new preview replaces the previous one. Resolves with the preview id
   * that tags its MediaChunks, or null.
   */
  preview: { req: { path: string | null }; res: { previewId: number | null } };
  /** Start recording a stream, in `format` or the setting's. */
  'start-recording': { req: { path: string; format?: RecordFormat }; res: RecordingInfo };
  'stop-recording': { req: { path: string }; res: RecordingInfo | null };
  /**
   * A range of a connection's timeline, as held by the host: `count` (at
   * most TIMELINE_PAGE_MAX) entries from absolute position `from`, or the
   * newest `count` without `from`. The reply says the total and how many of
   * the oldest were dropped, so a UI pages through all of it (and says what
   * is missing) without one unbounded answer.
   */
  timeline: { req: { connectionId: number; from?: number; count?: number }; res: TimelinePage };
  /**
   * The connections this UI follows in detail (at most FOLLOW_MAX; `null`:
   * all, the default): their timeline entries come live in its batches,
   * and their streams' stats carry the health summary. Other connections'
   * messages stay with the host, read by `timeline` ranges, and their stats
   * come without `health`. A window shows one connection at a time, while
   * 20 streams send ~1,600 messages and 40 health summaries (~3 kB each) a
   * second: taking them all cost the page ~80 MB and a tenth of a core
   * (issue 8).
   */
  'follow': { req: { connectionIds: number[] | null }; res: null };
  /**
   * The message of a connection nearest a moment (ms since its TCP accept):
   * how a UI shows a health finding's moment in the timeline without paging
   * through it. One binary search over the host's store.
   */
  'timeline-at': { req: { connectionId: number; atMs: number }; res: TimelineMoment };
  /** Show a recording (or the recording folder) in the OS file manager. Electron only. */
  'open-folder': { req: { path?: string }; res: void };
  /** Open an http(s) URL in the OS browser. */
  'open-external': { req: { url: string }; res: void };
  /** Pick a recording folder in the OS's folder dialog (Electron only); null when cancelled. A folder picked there may then be set. */
  'choose-folder': { req: void; res: { path: string | null } };
  /** Is the host still there? Answered at once with nothing; the WebSocket client's heartbeat (a hung host keeps its socket open). */
  ping: { req: void; res: null };
}
export type UiRequestName = keyof UiRequests;

/** Events from the host. */
export interface UiEvents {
  status: ServerStatus;
  settings: AppSettings;
  batch: UiBatch;
  media: MediaChunk;
  'preview-end': PreviewEnd;
}
export type UiEventName = keyof UiEvents;

/** The link to the host, for the UI to show ("reconnecting..."): a WebSocket can drop and come back, IPC cannot. */
export type LinkState = 'connecting' | 'open' | 'closed' | 'unauthorized';

/** The one object the renderer talks to: `window.intake` in Electron, a WebSocket client in a browser. */
export interface IntakeApi {
  readonly transport: HostInfo['transport'];
  request<K extends UiRequestName>(name: K, arg: UiRequests[K]['req']): Promise<UiRequests[K]['res']>;
  /** Listen to an event; returns the function that stops listening. */
  on<K extends UiEventName>(name: K, listener: (payload: UiEvents[K]) => void): () => void;
  /**
   * Follow the link to the host: `listener` gets the current state at once,
   * then every change. A host without it (Electron's IPC) is always open.
   * Returns the function that stops following.
   */
  followLink?(listener: (state: LinkState) => void): () => void;
}

/** Every request name, for hosts that register handlers and check names. */
export const UI_REQUESTS = ['snapshot', 'set-settings', 'preview', 'start-recording', 'stop-recording', 'timeline', 'follow', 'open-folder', 'open-external', 'choose-folder', 'ping', 'timeline-at'] as const satisfies readonly UiRequestName[];

/** Every event name. */
export const UI_EVENTS = ['status', 'settings', 'batch', 'media', 'preview-end'] as const satisfies readonly UiEventName[];


export type { WireError } from './errors.js';

