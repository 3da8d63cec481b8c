/**
 * The contract between the engine and anything that shows it (CLI, Electron
 * main + renderer, browser mode). Written once here; `main/` and `renderer/`
 * import these types. Everything is plain JSON-able data, so the same events
 * cross Electron IPC and the browser mode's WebSocket unchanged.
 */
import type { WireError } from './errors.js';
import type { HealthSummary } from './health.js';
import type { AmfJson, AmfValue, ControlMessage, MessageKind } from './values.js';
import type { RecordFormat } from './recording-format.js';

/** The protocol steps of DESIGN.md, in order. */
export const StepId = {
  TcpAccept: 'tcp-accept',
  Handshake: 'handshake',
  SetChunkSize: 'set-chunk-size',
  Connect: 'connect',
  ReleaseStream: 'release-stream',
  FcPublish: 'fc-publish',
  CreateStream: 'create-stream',
  CheckBw: 'check-bw',
  Publish: 'publish',
  Metadata: 'metadata',
  VideoSequenceHeader: 'video-sequence-header',
  AudioSequenceHeader: 'audio-sequence-header',
  FirstKeyframe: 'first-keyframe',
  Streaming: 'streaming',
  Unpublish: 'unpublish',
  Close: 'close',
} as const;
export type StepId = (typeof StepId)[keyof typeof StepId];

/** Display labels of the steps, in protocol order. */
export const STEP_LABELS: Record<StepId, string> = {
  'tcp-accept': 'TCP accept',
  handshake: 'Handshake',
  'set-chunk-size': 'Set Chunk Size',
  connect: 'connect',
  'release-stream': 'releaseStream',
  'fc-publish': 'FCPublish',
  'create-stream': 'createStream',
  'check-bw': '_checkbw',
  publish: 'publish',
  metadata: '@setDataFrame onMetaData',
  'video-sequence-header': 'Video sequence header',
  'audio-sequence-header': 'Audio sequence header',
  'first-keyframe': 'First keyframe',
  streaming: 'Streaming',
  unpublish: 'FCUnpublish / deleteStream',
  close: 'Close',
};

export type StepState = 'waiting' | 'received' | 'answered' | 'failed';

/** One step of one connection's conversation. Unknown commands get id `command:<name>`. */
export interface ProtocolStep {
  connectionId: number;
  id: StepId | `command:${string}`;
  label: string;
  state: StepState;
  /** Milliseconds since the TCP accept. */
  atMs: number;
  /** The decoded payload: command arguments, handshake kind, codec string... */
  detail?: Record<string, unknown>;
  /** What we answered, e.g. "_result NetConnection.Connect.Success". */
  reply?: string;
}

export interface ConnectionInfo {
  connectionId: number;
  remoteAddress: string;
  remotePort: number;
  /** Wall-clock time of the TCP accept (ms since epoch). */
  acceptedAt: number;
}

export type Closer = 'client' | 'server';

export interface ConnectionClosed {
  connectionId: number;
  by: Closer;
  reason: string;
  /** Set when a rule was broken: which one. */
  error?: WireError;
  atMs: number;
  bytesIn: number;
  bytesOut: number;
}

/** One message of the timeline, either direction. */
export interface TimelineEntry {
  connectionId: number;
  /** Per connection, in order of arrival/sending. */
  seq: number;
  direction: 'in' | 'out';
  atMs: number;
  typeId: number;
  typeName: string;
  kind: MessageKind;
  csid: number;
  streamId: number;
  timestamp: number;
  length: number;
  /** For commands and data: name and decoded values, each with its AMF type (typed JSON, see AmfJson). */
  command?: { name: string; transactionId?: number; args: AmfJson[] };
  control?: ControlMessage;
  /** A short human summary ("keyframe avc1 4123 B", "NetStream.Publish.Start"). */
  summary?: string;
  /** The chunk header formats (0-3) the message was carried in, in ascending order, as Wireshark lists them. */
  chunkFormats?: number[];
  /** How many chunks carried the message. */
  chunks?: number;
}

export interface TrackStats {
  codec: string | null;
  /** Coded frames whose message was completely reassembled. */
  received: number;
  /** Frames the publisher must have sent, from the stream's own clock (DESIGN.md). */
  expected: number;
  /** received / (expected - skipped) in percent, at most 100, or null before two frames. */
  capturePercent: number | null;
  /** Frames the encoder never sent (its clock stepped over them): a health finding, not a loss. */
  skipped?: number;
  /** Segments of the clock: a timestamp reset, jump or step back starts a new one. */
  segments?: number;
  keyframes: number;
  bytes: number;
  /** Bits per second over the last second. */
  bitrate: number;
  /** Frames per second over the last second. */
  fps: number;
  width?: number;
  height?: number;
  sampleRate?: number;
  channels?: number;
}

export interface StreamStats {
  /** "app/key" */
  path: string;
  connectionId: number;
  uptimeMs: number;
  video: TrackStats;
  audio: TrackStats;
  /** Enhanced RTMP multitrack: per additional track id, kept apart. */
  extraTracks: Record<string, TrackStats>;
  /** The funnel: frames handed to subscribers (preview), and written to the recording. */
  forwardedVideoFrames: number;
  recordedVideoFrames: number;
  recordedAudioFrames: number;
  /** The recording in progress (file, size, duration), if any. */
  recording?: RecordingInfo;
  /** Stream health (issue 9): measures, findings per preset, the latest chart samples. */
  health?: HealthSummary;
}

export interface StreamInfo {
  path: string;
  app: string;
  key: string;
  connectionId: number;
  remoteAddress: string;
  publishType: string;
  startedAt: number;
  encoder?: string;
  flashVer?: string;
  tcUrl?: string;
  metadata?: Record<string, AmfValue>;
}

export interface RecordingInfo {
  path: string;
  file: string;
  bytes: number;
  durationMs: number;
  videoFrames: number;
  audioFrames: number;
  state: 'recording' | 'finished' | 'failed';
  error?: WireError;
  /** The container (absent from hosts older than the format setting: FLV). */
  format?: RecordFormat;
  /** Timestamp resets or jumps in the stream that the recording's timeline stepped over (it never jumps or goes back). */
  discontinuities?: number;
  /** Something the user should know about this file (FLV keeps track 0 of a multitrack stream, a track stopped...). */
  notes?: string[];
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Every event the engine emits, by name. */
export interface EngineEvents {
  listening: { host: string; port: number };
  'connection-open': ConnectionInfo;
  'connection-close': ConnectionClosed;
  step: ProtocolStep;
  message: TimelineEntry;
  'stream-start': StreamInfo;
  'stream-update': StreamInfo;
  'stream-end': { path: string; connectionId: number; reason: string };
  'stream-stats': StreamStats;
  recording: RecordingInfo;
  log: { level: LogLevel; message: string; connectionId?: number };
}
export type EngineEventName = keyof EngineEvents;
