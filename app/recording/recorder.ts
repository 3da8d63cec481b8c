import type { RecordingInfo } from '../contract/engine.js';
import type { RecordFormat } from '../contract/recording-format.js';
import type { StreamSubscriber } from '../streams/media-tag.js';

/** What every recorder is given. */
export interface RecorderOptions {
  dir: string;
  app: string;
  key: string;
  streamPath: string;
  /** The container (default: FLV for the FLV recorder itself). */
  format?: RecordFormat;
  /** FLV header flags, asked when the first tag arrives (after the stream's metadata, if any): which tracks to expect. */
  flags: () => { audio: boolean; video: boolean };
  onUpdate?: (info: RecordingInfo) => void;
  now?: () => Date;
  /** Above this many unwritten bytes the publisher is slowed until a quarter of it is left (default 4 MB, `Limits.recordBacklogBytes`). */
  maxBacklog?: number;
}

/** One recording of one stream, whatever its container. */
export interface Recorder extends StreamSubscriber {
  readonly file: string;
  /** Set by whoever subscribed this recorder to a stream. */
  unsubscribe: (() => void) | undefined;
  info(): RecordingInfo;
  /** Write everything, finish the file, close it. Idempotent. */
  close(): Promise<void>;
}

/** How often a running recording checks that its file is still where it was (a deleted folder swallows writes silently). */
export const IDENTITY_CHECK_MS = 1000;
