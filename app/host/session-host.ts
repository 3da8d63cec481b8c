/**
 * What one attached UI's session needs from whatever hosts it, and what the
 * transports (Electron IPC, the WebSocket) see of a session. The session
 * depends on these interfaces, not on `IntakeService`, so the service can
 * create sessions without the two importing each other, and a test can
 * drive a session with a stand-in host.
 */
import type { RecordingInfo } from '../contract/engine.js';
import type { RecordFormat } from '../contract/recording-format.js';
import type { AppSettings, Snapshot, TimelinePage, UiEventName, UiEvents, UiRequests } from '../contract/ui.js';
import type { StreamSubscriber } from '../streams/media-tag.js';

/** Where a UI's events go: Electron's webContents.send, or a WebSocket. */
export interface UiSink {
  event<K extends UiEventName>(name: K, payload: UiEvents[K]): void;
  /** Bytes the transport has queued and not yet delivered, if it knows (WebSocket bufferedAmount). */
  backlog?(): number;
}

/** One attached UI, as its host's transport sees it. */
export interface UiClient {
  /** Answer a request; rejects with a UiError (or RtmpError) carrying a code. Name and argument are untrusted. */
  handle(name: string, arg: unknown): Promise<unknown>;
  detach(): void;
}

/** The running listener's live streams: the part of the engine a UI session uses. */
export interface LiveStreams {
  /** The live stream at `app/key`, if any: its FLV header flags start a preview. */
  stream(path: string): { readonly flvFlags: { audio: boolean; video: boolean } } | undefined;
  /** Subscribe to a stream's tags (late-join start first); throws 'not-found' when it is not live. Returns the unsubscribe. */
  subscribe(path: string, sub: StreamSubscriber): () => void;
  /** Start recording a live stream; throws 'not-found' when it is not live. */
  startRecording(path: string, format?: RecordFormat): RecordingInfo;
  /** Stop recording; resolves when the file is finalised, with null if nothing was recording. */
  stopRecording(path: string): Promise<RecordingInfo | null>;
}

/** The host a UI session answers requests from (`IntakeService` gives each session one). */
export interface SessionHost {
  /** Everything a UI needs to draw itself. */
  snapshot(): Snapshot;
  /** Apply an already checked settings change; a host/port change restarts the listener. */
  updateSettings(change: Partial<AppSettings>): Promise<UiRequests['set-settings']['res']>;
  /** A range of a connection's timeline as held; throws 'not-found' for an unknown connection. */
  timeline(range: UiRequests['timeline']['req']): TimelinePage;
  /** The message nearest a moment of a connection's timeline; throws 'not-found' for an unknown connection. */
  timelineAt(req: UiRequests['timeline-at']['req']): UiRequests['timeline-at']['res'];
  /** The live streams, or null when the listener is not running. */
  liveStreams(): LiveStreams | null;
  /** A recording folder a UI asks for, checked (within the chosen ones, made if missing, writable): its absolute path, or a rejection saying why not. */
  checkRecordDir(dir: string): Promise<string>;
  /** Let the user pick a folder in the OS's dialog (then allowed as a recording folder); absent where there is none (browser mode). */
  pickFolder?: () => Promise<string | null>;
  /** The folder recordings go to now: what "open folder" shows by default. */
  recordDir(): string;
  /** Show a folder or file in the OS file manager; absent where the host cannot (browser mode). */
  openFolder?: (path: string) => Promise<void>;
  /** Open an http(s) URL in the OS browser; absent where the host cannot. */
  openExternal?: (url: string) => Promise<void>;
}
