import { MediaError } from '../errors.js';
import type { ByteReader } from './byte-reader.js';

/** The codec-independent part of an E-RTMP v2 multitrack header. */
export interface MultitrackHeader<C> {
  /** AvMultitrackType: 0 OneTrack, 1 ManyTracks, 2 ManyTracksManyCodecs. */
  multitrackType: number;
  /** The packet type of every track in the tag. */
  packetType: number;
  /** The FourCC shared by all tracks; undefined for ManyTracksManyCodecs, where each track has its own. */
  codec: C | undefined;
}

/**
 * E-RTMP v2 (audio and video alike): after a Multitrack packet type comes
 * `avMultitrackType UB[4] | packetType UB[4]`, then the FOURCC unless the
 * type is ManyTracksManyCodecs. Nested Multitrack or ModEx is invalid.
 */
export function readMultitrackHeader<C>(
  r: ByteReader,
  what: 'audio' | 'video',
  invalid: readonly number[],
  readFourCC: (r: ByteReader) => C,
): MultitrackHeader<C> {
  const b = r.u8('multitrack header');
  const multitrackType = b >> 4;
  const packetType = b & 0x0f;
  if (multitrackType > 2) throw new MediaError(`reserved AvMultitrackType ${multitrackType}`);
  if (invalid.includes(packetType)) throw new MediaError(`invalid packet type ${packetType} inside a multitrack ${what} tag`);
  return { multitrackType, packetType, codec: multitrackType !== 2 ? readFourCC(r) : undefined };
}
