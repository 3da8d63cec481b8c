import type { MediaTag } from './media-tag.js';

/** The GOP cache is for late joiners, not an archive: past this many body bytes, wait for the next keyframe. */
export const GOP_MAX_BYTES = 64 * 1024 * 1024;
/** Likewise past this many tags (a stream of tiny frames and no keyframe). */
export const GOP_MAX_TAGS = 10_000;

/**
 * A tag whose body is ours to keep: message payloads are the decoder's reused
 * buffers, so an unstable body is copied (once); a stable one is kept as is.
 */
export function keepTag(tag: MediaTag): MediaTag {
  const kept = { ...tag, body: tag.stable ? tag.body : Buffer.from(tag.body), stable: true };
  // A multitrack packet as received is always the decoder's buffer (see MediaTag.multitrack).
  if (tag.multitrack) kept.multitrack = Buffer.from(tag.multitrack);
  return kept;
}

/**
 * The frames since the last video keyframe (audio included), so that a late
 * subscriber starts playing at once instead of waiting for the next keyframe.
 * Only a GOP that starts on a keyframe is kept: frames before the first one
 * are not cached. A GOP that outgrows the caps is dropped whole (and
 * `onOverflow` called) until the next keyframe starts a new one.
 */
export class GopCache {
  private tags: MediaTag[] = [];
  private bytes = 0;

  constructor(
    private readonly enabled: boolean,
    private readonly onOverflow: () => void = () => {},
  ) {}

  /** Tags held, oldest first. */
  get size(): number {
    return this.tags.length;
  }

  /** Body bytes held. */
  get byteLength(): number {
    return this.bytes;
  }

  /**
   * Offer a coded frame (`tag.keyframe` starts a new GOP). Returns the cache's
   * own copy when it keeps the frame, so the caller can hand subscribers that
   * stable copy instead of the reused one; null when it does not keep it.
   */
  add(tag: MediaTag): MediaTag | null {
    if (tag.keyframe) this.clear();
    if (!this.enabled || (!tag.keyframe && this.tags.length === 0)) return null;
    if (this.bytes + tag.body.length > GOP_MAX_BYTES || this.tags.length >= GOP_MAX_TAGS) {
      this.clear();
      this.onOverflow();
      return null;
    }
    const kept = keepTag(tag);
    this.tags.push(kept);
    this.bytes += kept.body.length;
    return kept;
  }

  /** Hand every cached tag, oldest first, to `fn`. */
  forEach(fn: (tag: MediaTag) => void): void {
    for (const t of this.tags) fn(t);
  }

  /** Forget the GOP (a keyframe, an overflow, the end of the stream). */
  clear(): void {
    this.tags = [];
    this.bytes = 0;
  }
}
