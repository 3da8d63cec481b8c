/**
 * One connection's whole timeline, in bounded memory. Entries are packed
 * (timeline-record.ts) into chunks of CHUNK_BYTES; the newest
 * `memoryChunks` chunks stay in memory and older ones are spilled to a file
 * of this connection in a temporary folder. The file is a ring of at most
 * `maxDiskBytes`: when it is full, the oldest chunks are dropped, and
 * counted in `dropped` so every reader can say so. Reads are by absolute
 * position (`range(from, count)`), so a UI pages through any part of an
 * evening's stream without the host ever holding it as objects.
 *
 * Why not objects: a TimelineEntry costs ~245 B of heap and 20 streams send
 * ~1,500 messages a second; a packed media record is ~33 B, and only the
 * newest few chunks (256 kB) of each connection are in memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TimelineEntry } from '../contract/engine.js';
import type { MessageKind } from '../contract/values.js';
import { entryDetail, recordBytes, recordSize, unpackEntry, writeRecord } from './timeline-record.js';

/** Bytes per chunk: large enough that a spill is one write every ~25 s of a stream, small enough to read one for a page. */
export const CHUNK_BYTES = 64 * 1024;

/** Limits of one store. */
export interface TimelineStoreOptions {
  /** Full chunks kept in memory besides the one being filled. */
  memoryChunks: number;
  /** Bytes of this connection's spill file (a ring); past it the oldest chunks are dropped. */
  maxDiskBytes: number;
  /** The folder for spill files (made on first use); null keeps nothing on disk: full chunks past memory are dropped. */
  spillDir: (() => string) | null;
}

/** Defaults: 256 kB of memory and 64 MB of disk per connection (about 2 million media messages, 7 hours of a 30 fps stream with audio). */
export const DEFAULT_TIMELINE_STORE: TimelineStoreOptions = { memoryChunks: 3, maxDiskBytes: 64 * 1024 * 1024, spillDir: null };

interface Chunk {
  /** Absolute position of its first entry. */
  first: number;
  /** Its first entry's time (ms since the accept): `indexAt` finds a chunk without reading one from disk. */
  firstAtMs: number;
  count: number;
  /** In memory: the bytes (only `used` of them are records); null once spilled. */
  buf: Buffer | null;
  used: number;
  /** On disk: the offset in the spill file, or -1. */
  offset: number;
}

/** A connection's timeline: append in order, read any range, memory bounded by chunks and disk by a ring. */
export class TimelineStore {
  private readonly chunks: Chunk[] = [];
  private total_ = 0;
  private dropped_ = 0;
  private file: string | null = null;
  private writePos = 0;
  private inMemory = 0;
  /** Messages of each kind ever appended (dropped ones included). */
  readonly counts: Record<MessageKind, number> = { control: 0, command: 0, data: 0, audio: 0, video: 0, other: 0 };
  private memoryLimit: number;

  constructor(
    readonly connectionId: number,
    private readonly options: TimelineStoreOptions = DEFAULT_TIMELINE_STORE,
  ) {
    this.memoryLimit = options.memoryChunks;
  }

  /** Entries appended so far, dropped ones included. */
  get total(): number {
    return this.total_;
  }

  /** Entries dropped from the front (past the disk bound). */
  get dropped(): number {
    return this.dropped_;
  }

  /** Bytes of records held in memory (the chunks' buffers). */
  get memoryBytes(): number {
    let n = 0;
    for (const c of this.chunks) if (c.buf) n += c.buf.length;
    return n;
  }

  /** Bytes of records held in the spill file. */
  get diskBytes(): number {
    let n = 0;
    for (const c of this.chunks) if (c.offset >= 0) n += c.used;
    return n;
  }

  /** Append one entry (the next position). */
  append(e: TimelineEntry): void {
    const detail = entryDetail(e);
    const size = recordBytes(detail);
    let tail = this.chunks[this.chunks.length - 1];
    if (!tail || !tail.buf || tail.used + size > tail.buf.length) {
      tail = { first: this.total_, firstAtMs: e.atMs, count: 0, buf: Buffer.allocUnsafe(Math.max(CHUNK_BYTES, size)), used: 0, offset: -1 };
      this.chunks.push(tail);
      this.inMemory++;
      this.spillOld();
    }
    tail.used = writeRecord(tail.buf!, tail.used, e, detail);
    tail.count++;
    this.total_++;
    if (Object.hasOwn(this.counts, e.kind)) this.counts[e.kind]++;
  }

  /** Up to `count` entries from absolute position `from`; a `from` among the dropped starts at the oldest kept. */
  range(from: number, count: number): TimelineEntry[] {
    const out: TimelineEntry[] = [];
    const start = Math.max(from, this.dropped_);
    const end = Math.min(this.total_, start + count);
    if (start >= end) return out;
    let i = this.chunkAt(start);
    let pos = start;
    let fd: number | null = null;
    try {
      for (; i < this.chunks.length && pos < end; i++) {
        const c = this.chunks[i];
        let buf = c.buf;
        if (!buf) {
          fd ??= fs.openSync(this.file!, 'r');
          buf = Buffer.allocUnsafe(c.used);
          fs.readSync(fd, buf, 0, c.used, c.offset);
        }
        let at = 0;
        for (let k = c.first; k < c.first + c.count && pos < end; k++) {
          if (k >= pos) {
            out.push(unpackEntry(buf, at, this.connectionId));
            pos++;
          }
          at += recordSize(buf, at);
        }
      }
    } finally {
      if (fd !== null) fs.closeSync(fd);
    }
    return out;
  }

  /**
   * The absolute position of the entry nearest `atMs` (ms since the accept;
   * the later time on a tie, and the first of the entries sharing that time),
   * or null when nothing is held, or when the moment is before the oldest
   * entry kept and older ones were dropped (it is gone). Entries are in time
   * order, so this is a binary search over the chunks' first times and at
   * most two chunk reads, however long the connection.
   */
  indexAt(atMs: number): number | null {
    if (this.chunks.length === 0 || !(atMs >= 0)) return null;
    const first = this.chunks[0];
    if (atMs < first.firstAtMs) return this.dropped_ > 0 ? null : first.first;
    // The chunk holding the last entry at or before the moment; the nearest time is that entry's or the next one's.
    const k = this.lastChunkFrom((t) => t <= atMs);
    const c = this.chunks[k];
    const entries = this.range(c.first, c.count);
    let i = 0;
    while (i + 1 < entries.length && entries[i + 1].atMs <= atMs) i++;
    const after = i + 1 < entries.length ? entries[i + 1].atMs : this.chunks[k + 1]?.firstAtMs;
    const nearest = after !== undefined && after - atMs <= atMs - entries[i].atMs ? after : entries[i].atMs;
    return this.firstAt(nearest);
  }

  /** The position of the first held entry at `t` or later (`t` is a held entry's time). */
  private firstAt(t: number): number {
    // A chunk whose first entry is before `t` may end with entries at `t`; its successors start at or after it.
    const k = this.lastChunkFrom((x) => x < t);
    const c = this.chunks[k];
    const entries = this.range(c.first, c.count);
    const i = entries.findIndex((e) => e.atMs >= t);
    return i >= 0 ? c.first + i : (this.chunks[k + 1]?.first ?? c.first + c.count - 1);
  }

  /** The last chunk whose first time passes `ok` (chunk 0 when none does): a binary search, as times only grow. */
  private lastChunkFrom(ok: (firstAtMs: number) => boolean): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (ok(this.chunks[mid].firstAtMs)) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Move every chunk to disk (the connection closed: nothing of it need stay in memory). */
  settle(): void {
    this.memoryLimit = 0;
    this.spillOld(true);
  }

  /** Forget everything and remove the spill file. */
  close(): void {
    this.chunks.length = 0;
    this.inMemory = 0;
    if (this.file) fs.rmSync(this.file, { force: true });
    this.file = null;
  }

  /** Index of the chunk holding absolute position `pos` (binary search; chunks are in order). */
  private chunkAt(pos: number): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.chunks[mid].first <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Spill (or drop) the oldest in-memory chunks beyond the memory bound; `all` includes the one being filled. */
  private spillOld(all = false): void {
    const limit = all ? 0 : this.memoryLimit + 1;
    for (let i = 0; this.inMemory > limit && i < this.chunks.length; i++) {
      const c = this.chunks[i];
      if (!c.buf) continue;
      if (c.count === 0) continue;
      this.spill(c);
    }
  }

  private spill(c: Chunk): void {
    const buf = c.buf!;
    c.buf = null;
    this.inMemory--;
    let dir: string | null;
    try {
      dir = this.options.spillDir?.() ?? null;
    } catch {
      dir = null;
    }
    if (!dir || c.used > this.options.maxDiskBytes) {
      this.dropFront(c);
      return;
    }
    this.file ??= path.join(dir, `connection-${this.connectionId}.bin`);
    if (this.writePos + c.used > this.options.maxDiskBytes) this.writePos = 0;
    const lo = this.writePos;
    const hi = lo + c.used;
    // The ring overwrites the oldest chunks on disk: drop (and count) every one in the way.
    while (this.chunks.some((o) => o !== c && o.offset >= 0 && o.offset < hi && o.offset + o.used > lo)) this.dropFront(null);
    try {
      // Opened per write: a spill is one write every ~25 s per stream, and no descriptor is held per connection.
      const fd = fs.openSync(this.file, fs.existsSync(this.file) ? 'r+' : 'w');
      try {
        fs.writeSync(fd, buf, 0, c.used, lo);
      } finally {
        fs.closeSync(fd);
      }
      c.offset = lo;
      this.writePos = hi;
    } catch {
      // A disk that cannot take it (full, folder gone): the chunk is dropped and counted, never kept in memory.
      this.dropFront(c);
    }
  }

  /** Drop the oldest chunk (or up to and including `upTo`). */
  private dropFront(upTo: Chunk | null): void {
    for (;;) {
      const c = this.chunks.shift();
      if (!c) return;
      if (c.buf) this.inMemory--;
      this.dropped_ = c.first + c.count;
      if (upTo === null || c === upTo) return;
    }
  }
}
