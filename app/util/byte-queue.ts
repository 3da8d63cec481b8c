const EMPTY = Buffer.alloc(0);

/**
 * The one per-connection buffer the design asks for: every byte a socket
 * delivers is appended here, in order, and parsers take bytes off the front
 * only once a complete unit (a handshake packet, a chunk header, a chunk
 * payload) is available. TCP segment boundaries therefore mean nothing: a
 * read that ends mid-header simply leaves the bytes queued for the next one.
 *
 * Why a list of segments instead of one growing Buffer: appending is O(1) and
 * never copies, so a slow unit (a 4 MB chunk payload arriving in 64 KB reads)
 * costs one copy when it completes, not one per read.
 */
export class ByteQueue {
  private segments: Buffer[] = [];
  /** Index of the first live segment in `segments`. */
  private first = 0;
  /** Offset of the first unread byte within `segments[first]`. */
  private head = 0;
  private size = 0;
  /** Scratch for headers that straddle two segments (max RTMP chunk header is 18 bytes). */
  private readonly scratch = Buffer.allocUnsafe(64);

  /** Bytes queued and not yet consumed. */
  get length(): number {
    return this.size;
  }

  /**
   * The first segment, and where its unread bytes start ({@link frontOffset}):
   * for a parser's fast path that reads a unit lying within it, then
   * consumes it with {@link skip}. Read it, never write to it. Empty when
   * nothing is queued.
   */
  get front(): Buffer {
    return this.size === 0 ? EMPTY : this.segments[this.first];
  }

  /** Offset of the first unread byte in {@link front}. */
  get frontOffset(): number {
    return this.head;
  }

  /** Append bytes as they came off the socket. The queue keeps a reference, not a copy. */
  push(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.segments.push(bytes);
    this.size += bytes.length;
  }

  /**
   * A view of the first `n` bytes without consuming them. Zero-copy when they
   * lie in one segment; otherwise copied into a scratch buffer (n <= 64) or a
   * fresh one. The view is only valid until the next call on the queue.
   */
  peek(n: number): Buffer {
    if (n > this.size) throw new RangeError(`peek(${n}) with ${this.size} bytes queued`);
    if (n === 0) return EMPTY;
    const seg = this.segments[this.first];
    if (seg.length - this.head >= n) return seg.subarray(this.head, this.head + n);
    const out = n <= this.scratch.length ? this.scratch.subarray(0, n) : Buffer.allocUnsafe(n);
    this.copyOut(out, 0, n, false);
    return out;
  }

  /** The byte at `index` from the front, without consuming anything. */
  peekByte(index: number): number {
    let i = this.first;
    let off = this.head + index;
    while (off >= this.segments[i].length) {
      off -= this.segments[i].length;
      i++;
    }
    return this.segments[i][off];
  }

  /** Consume `n` bytes into `target` at `targetOffset`. */
  readInto(target: Uint8Array, targetOffset: number, n: number): void {
    if (n > this.size) throw new RangeError(`readInto(${n}) with ${this.size} bytes queued`);
    this.copyOut(target, targetOffset, n, true);
  }

  /**
   * Consume `n` bytes and return them. Zero-copy (a subarray of the socket's
   * own buffer) when they lie in one segment, which is the common case for a
   * single-chunk message; otherwise one copy. The bytes are valid only until
   * the reader's buffer is reused (see {@link keepLast}).
   */
  read(n: number): Buffer {
    if (n > this.size) throw new RangeError(`read(${n}) with ${this.size} bytes queued`);
    if (n === 0) return EMPTY;
    const seg = this.segments[this.first];
    if (seg.length - this.head >= n) {
      const out = seg.subarray(this.head, this.head + n);
      this.advance(n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    this.copyOut(out, 0, n, true);
    return out;
  }

  /**
   * The last segment pushed is about to be overwritten by its owner (a read
   * into a buffer shared by every socket, server/shared-reads.ts): copy its
   * unread bytes, so what is queued stays valid. Call it after each such
   * push, once the parser has taken what it could; only the unread tail of
   * that one read is copied, so a unit arriving over many reads is still
   * copied once per byte, not once per read.
   */
  keepLast(): void {
    const last = this.segments.length - 1;
    if (this.size === 0 || last < this.first) return;
    const seg = this.segments[last];
    const start = last === this.first ? this.head : 0;
    const kept = Buffer.allocUnsafe(seg.length - start);
    kept.set(new Uint8Array(seg.buffer, seg.byteOffset + start, kept.length));
    this.segments[last] = kept;
    if (last === this.first) this.head = 0;
  }

  /** Drop `n` bytes from the front. */
  skip(n: number): void {
    if (n > this.size) throw new RangeError(`skip(${n}) with ${this.size} bytes queued`);
    this.advance(n);
  }

  /** Forget everything queued (connection closed). */
  clear(): void {
    this.segments = [];
    this.first = 0;
    this.head = 0;
    this.size = 0;
  }

  private copyOut(target: Uint8Array, targetOffset: number, n: number, consume: boolean): void {
    let i = this.first;
    let off = this.head;
    let done = 0;
    while (done < n) {
      const seg = this.segments[i];
      const take = Math.min(seg.length - off, n - done);
      // TypedArray.set from a view made here, not Buffer.copy: at chunk size 128 this runs per
      // 128-byte chunk, and Buffer.copy's argument checks and view cost 112 ns a call against 69.
      target.set(new Uint8Array(seg.buffer, seg.byteOffset + off, take), targetOffset + done);
      done += take;
      off += take;
      if (off === seg.length) {
        i++;
        off = 0;
      }
    }
    if (consume) this.advance(n);
  }

  private advance(n: number): void {
    this.size -= n;
    let off = this.head + n;
    while (this.first < this.segments.length && off >= this.segments[this.first].length) {
      off -= this.segments[this.first].length;
      // Drop the reference at once. Why: a consumed socket read kept in the
      // array until the next compaction (32 reads, ~2 MB at ingest speed)
      // outlived two scavenges, was promoted, and waited for a full GC: at
      // chunk size 128 that was ~60 MB of dead reads in RSS (bench/RESULTS.md).
      this.segments[this.first] = EMPTY;
      this.first++;
      if (this.size === 0) break;
    }
    this.head = off;
    if (this.first === this.segments.length || this.size === 0) {
      this.segments = [];
      this.first = 0;
      this.head = 0;
    } else if (this.first > 32) {
      // Compact now and then so the array of consumed segments does not grow without bound.
      this.segments = this.segments.slice(this.first);
      this.first = 0;
    }
  }
}
