/**
 * The media parsers' byte cursor: the engine's one {@link ByteReader}, with
 * every shortfall a {@link MediaError} naming what was being read.
 */
import { MediaError } from '../errors.js';
import { ByteReader } from '../util/byte-reader.js';

// One function for every reader: no closure per tag.
const mediaError = (message: string): MediaError => new MediaError(message);

/** A {@link ByteReader} over a tag body or configuration record that throws {@link MediaError}. */
export class MediaReader extends ByteReader {
  constructor(bytes: Uint8Array, offset = 0) {
    super(bytes, offset, mediaError);
  }
}
