import type { AmfObject } from '../amf/types.js';
import type { AudioTagInfo } from '../media/audio-tag.js';
import type { VideoTagInfo } from '../media/video-tag.js';

/**
 * An FLV tag as the engine passes it around. Unless `stable`, the body is the
 * engine's reassembly buffer, reused for the next message, and the tag object
 * itself is reused for the next tag: both are valid only during the call that
 * hands them over, and a consumer that keeps them must copy them.
 */
export interface MediaTag {
  /** FLV TagType: 8 audio, 9 video, 18 script data. */
  type: 8 | 9 | 18;
  /** The stream's own timestamp in ms (32-bit). Recorders rebase it; previews see it as sent. */
  timestamp: number;
  body: Buffer;
  /** A coded frame (not a sequence header, end of sequence or metadata), as capture counts it. */
  frame: boolean;
  /** A video keyframe carrying coded frames. */
  keyframe: boolean;
  /** A sequence header (AVC/HEVC/AV1 config, AAC AudioSpecificConfig). */
  sequenceHeader: boolean;
  /**
   * The body stays as it is after the call (a cached copy or a buffer made
   * for this tag, never the reassembly buffer): a subscriber may keep a
   * reference to the body instead of copying it. Never write to it. (The tag
   * object may still be reused: keep its fields, not the object.)
   */
  stable?: boolean;
  /**
   * A script tag's object (onMetaData's values), as the session decoded it: a subscriber that needs
   * the values reads them here instead of decoding the body again. Shared: do not change it.
   */
  meta?: AmfObject;
  /**
   * An Enhanced RTMP multitrack packet as received (every track), beside `body` (its track 0 as a
   * single-track tag): what an MP4/MKV recording reads to keep each track. Never stable: copy to keep.
   */
  multitrack?: Buffer;
  /**
   * The stream's own parse of the tag as received, so a subscriber need not
   * parse it again: its packets' `data` are views into `parsedBody` (the
   * payload as received: `multitrack` for a multitrack packet, else `body`
   * or the bytes `body` was copied from). Valid only during the call.
   */
  parsed?: VideoTagInfo | AudioTagInfo;
  parsedBody?: Buffer;
}

/** What a subscriber receives: the start (header flags, metadata, sequence headers, current GOP) then live tags. */
export interface StreamSubscriber {
  kind: 'preview' | 'recorder';
  /** Called with each tag, in order. Copy `tag.body` to keep it past this call, unless `tag.stable`. */
  tag(tag: MediaTag): void;
  /** Called once when the publisher stops. */
  end(reason: string): void;
  /**
   * A subscriber that must not lose anything (a recorder) may ask the
   * publisher to be slowed: a promise to wait on, or null to go on.
   */
  pressure?(): Promise<void> | null;
}
