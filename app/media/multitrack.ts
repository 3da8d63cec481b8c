import { MediaError } from '../errors.js';
import type { MediaReader } from './byte-reader.js';

/** The codec-independent part of an E-RTMP header after the packet type: multitrack or not. */
export interface MultitrackHeader<C> {
  /** AvMultitrackType: 0 OneTrack, 1 ManyTracks, 2 ManyTracksManyCodecs; -1 when not multitrack. */
  multitrackType: number;
  /** The packet type of every track in the tag. */
  packetType: number;
  /** The FourCC shared by all tracks; undefined for ManyTracksManyCodecs, where each track has its own. */
  codec: C | undefined;
}

/**
 * What follows an E-RTMP packet type, audio and video alike. For the
 * Multitrack packet type (v2): `avMultitrackType UB[4] | packetType UB[4]`,
 * then the FOURCC unless the type is ManyTracksManyCodecs; nested Multitrack
 * or ModEx is invalid. Otherwise: the FOURCC.
 */
export function readTrackHeader<C>(
  r: MediaReader,
  packetType: number,
  what: 'audio' | 'video',
  codes: { multitrack: number; modEx: number },
  readFourCC: (r: MediaReader) => C,
): MultitrackHeader<C> {
  if (packetType !== codes.multitrack) return { multitrackType: -1, packetType, codec: readFourCC(r) };
  const b = r.u8('multitrack header');
  const multitrackType = b >> 4;
  const inner = b & 0x0f;
  if (multitrackType > 2) throw new MediaError(`reserved AvMultitrackType ${multitrackType}`);
  if (inner === codes.multitrack || inner === codes.modEx) throw new MediaError(`invalid packet type ${inner} inside a multitrack ${what} tag`);
  return { multitrackType, packetType: inner, codec: multitrackType !== 2 ? readFourCC(r) : undefined };
}
