/**
 * Reassembly buffers shared by every chunk decoder that reuses its buffers.
 *
 * Why: a message longer than the chunk size needs a buffer while its chunks
 * arrive, but a publisher's message almost always arrives whole within one
 * read, so it holds that buffer for microseconds. Kept per chunk stream, 100
 * publishers held 100 buffers the size of their largest keyframe (~5 MB of
 * RSS at 1.7 Mbit/s); shared, they need a few, lent out while a message is in
 * progress and returned once its handler has run.
 */

/** Buffers kept for lending; a burst beyond this allocates, and the extra buffers are dropped on return. */
const MAX_POOLED = 16;
/** Larger buffers (a rare huge message) are not kept. */
const MAX_POOLED_BYTES = 1024 * 1024;
/** Smallest buffer made, so the usual messages of a stream fit the same one. */
const MIN_BYTES = 64 * 1024;

const pool: Buffer[] = [];

/** A buffer of at least `bytes`, lent until {@link giveReassemblyBuffer}. */
export function takeReassemblyBuffer(bytes: number): Buffer {
  for (let i = pool.length - 1; i >= 0; i--) {
    if (pool[i].length >= bytes) {
      const b = pool[i];
      pool[i] = pool[pool.length - 1];
      pool.pop();
      return b;
    }
  }
  // A power of two: the next keyframe, a little larger, fits the same buffer instead of adding one more to the pool.
  // (A message too large to be pooled gets exactly its size.)
  let size = MIN_BYTES;
  while (size < bytes) size *= 2;
  return Buffer.allocUnsafeSlow(size > MAX_POOLED_BYTES ? Math.max(bytes, MIN_BYTES) : size);
}

/** Return a lent buffer; nothing may read it afterwards. */
export function giveReassemblyBuffer(buf: Buffer): void {
  if (pool.length < MAX_POOLED && buf.length <= MAX_POOLED_BYTES) pool.push(buf);
}

/** Buffers waiting to be lent (for tests). */
export function pooledReassemblyBuffers(): number {
  return pool.length;
}
