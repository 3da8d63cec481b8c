/**
 * An FLV tag as the engine passes it around. The body may be the engine's
 * reassembly buffer, reused for the next message: it is valid only during the
 * call that hands it over, and a consumer that keeps it must copy it.
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
}

/** What a subscriber receives: the start (header flags, metadata, sequence headers, current GOP) then live tags. */
export interface StreamSubscriber {
  kind: 'preview' | 'recorder';
  /** Called with each tag, in order. Copy `tag.body` to keep it past this call. */
  tag(tag: MediaTag): void;
  /** Called once when the publisher stops. */
  end(reason: string): void;
  /**
   * A subscriber that must not lose anything (a recorder) may ask the
   * publisher to be slowed: a promise to wait on, or null to go on.
   */
  pressure?(): Promise<void> | null;
}
