import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../app/contract/engine.js';
import { CHUNK_BYTES, TimelineStore, type TimelineStoreOptions } from '../../app/host/timeline-store.js';

/** Entry `seq` of connection 7: a command every 100, otherwise video and audio with a media summary. */
function entry(seq: number): TimelineEntry {
  const base = { connectionId: 7, seq, direction: 'in' as const, atMs: seq * 12.5, csid: 6, streamId: 1, timestamp: seq * 20, length: 1000 + (seq % 500), chunkFormats: [0, 3], chunks: 2 };
  if (seq % 100 === 0) {
    return { ...base, typeId: 20, typeName: 'Command (AMF0)', kind: 'command', csid: 3, command: { name: 'FCPublish', transactionId: seq, args: [null, { $amf: 'undefined' }, { $amf: 'ecma-array', value: { a: 1 } }] }, summary: 'x' };
  }
  if (seq % 3 === 0) return { ...base, typeId: 8, typeName: 'Audio', kind: 'audio', summary: 'AAC frame' };
  return { ...base, typeId: 9, typeName: 'Video', kind: 'video', summary: seq % 60 === 1 ? 'keyframe' : 'inter' };
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-store-test-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const opts = (o: Partial<TimelineStoreOptions>): TimelineStoreOptions => ({ memoryChunks: 2, maxDiskBytes: 64 * 1024 * 1024, spillDir: () => dir, ...o });

describe('TimelineStore', () => {
  it('gives back every entry as appended, by range, from memory and from the spill file alike', () => {
    const s = new TimelineStore(7, opts({}));
    for (let i = 0; i < 20_000; i++) s.append(entry(i));
    expect(s.total).toBe(20_000);
    expect(s.dropped).toBe(0);
    expect(s.diskBytes).toBeGreaterThan(0);
    expect(s.range(0, 5)).toEqual([0, 1, 2, 3, 4].map(entry));
    expect(s.range(12_345, 3)).toEqual([12_345, 12_346, 12_347].map(entry));
    expect(s.range(19_998, 10)).toEqual([entry(19_998), entry(19_999)]);
    expect(s.range(20_000, 10)).toEqual([]);
    const all = s.range(0, 20_000);
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
    expect(all[100]).toEqual(entry(100));
  });

  it('holds a bounded number of bytes in memory however many entries arrive', () => {
    const s = new TimelineStore(7, opts({}));
    const held: number[] = [];
    for (let i = 0; i < 300_000; i++) {
      s.append(entry(i));
      if (i % 50_000 === 49_999) held.push(s.memoryBytes);
    }
    // The newest chunks only (2 full + the one being filled), at 100k entries as at 300k.
    for (const b of held) expect(b).toBeLessThanOrEqual(3 * CHUNK_BYTES);
    // Media records are small: the whole timeline fits in ~40 B an entry.
    expect((s.memoryBytes + s.diskBytes) / s.total).toBeLessThan(45);
    expect(s.range(299_999, 1)).toEqual([entry(299_999)]);
  });

  it('drops the oldest chunks past the disk bound and counts them; what is kept is contiguous', () => {
    const s = new TimelineStore(7, opts({ maxDiskBytes: 4 * CHUNK_BYTES }));
    for (let i = 0; i < 50_000; i++) s.append(entry(i));
    expect(s.dropped).toBeGreaterThan(0);
    expect(s.diskBytes).toBeLessThanOrEqual(4 * CHUNK_BYTES);
    expect(fs.statSync(path.join(dir, 'connection-7.bin')).size).toBeLessThanOrEqual(4 * CHUNK_BYTES);
    const kept = s.range(0, 50_000);
    expect(kept.length).toBe(s.total - s.dropped);
    expect(kept[0].seq).toBe(s.dropped);
    expect(kept.map((e) => e.seq)).toEqual(Array.from({ length: kept.length }, (_, i) => s.dropped + i));
    expect(kept[kept.length - 1]).toEqual(entry(49_999));
  });

  it('without a spill folder keeps only memory, and counts the rest as dropped', () => {
    const s = new TimelineStore(7, opts({ spillDir: null }));
    for (let i = 0; i < 30_000; i++) s.append(entry(i));
    expect(s.memoryBytes).toBeLessThanOrEqual(3 * CHUNK_BYTES);
    expect(s.dropped).toBeGreaterThan(0);
    expect(s.range(0, 1)[0].seq).toBe(s.dropped);
    expect(s.range(0, 30_000).length).toBe(30_000 - s.dropped);
  });

  it('settles a closed connection onto disk, and removes its file when forgotten', () => {
    const s = new TimelineStore(7, opts({}));
    for (let i = 0; i < 1000; i++) s.append(entry(i));
    s.settle();
    expect(s.memoryBytes).toBe(0);
    expect(s.range(0, 1000)).toEqual(Array.from({ length: 1000 }, (_, i) => entry(i)));
    s.close();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('a folder that cannot be written drops the spilled chunk and says so in the count, never throws', () => {
    const s = new TimelineStore(7, opts({ spillDir: () => path.join(dir, 'missing', 'deeper') }));
    for (let i = 0; i < 20_000; i++) s.append(entry(i));
    expect(s.dropped).toBeGreaterThan(0);
    expect(s.memoryBytes).toBeLessThanOrEqual(3 * CHUNK_BYTES);
    expect(s.range(s.total - 1, 1)).toEqual([entry(19_999)]);
  });
});
