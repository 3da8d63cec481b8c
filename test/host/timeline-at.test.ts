/**
 * `timeline-at`: the message nearest a moment of a connection's timeline,
 * found by the host's store (memory or spill file alike), and null when
 * that moment was dropped past the disk bound. Then through a real service
 * with a real ffmpeg session (the fixture) replayed over TCP.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../app/contract/engine.js';
import type { TimelineMoment, TimelinePage } from '../../app/contract/ui.js';
import { CHUNK_BYTES, TimelineStore } from '../../app/host/timeline-store.js';
import { publishFixture } from './service-fixture.js';

/**
 * Entry `seq`: video, with an uneven clock: bursts of 4 messages (3 read at
 * the same moment, as one socket read delivers them, then one 0.9 ms later),
 * then a 40 ms step; the 20,000 entries straddle chunk boundaries with
 * equal times.
 */
function entry(seq: number): TimelineEntry {
  const atMs = Math.floor(seq / 4) * 40 + (seq % 4 === 3 ? 0.9 : 0);
  return { connectionId: 3, seq, direction: 'in', atMs, typeId: 9, typeName: 'Video', kind: 'video', csid: 6, streamId: 1, timestamp: seq * 10, length: 900, summary: 'inter' };
}

/** The nearest by a scan of every entry (the later time on a tie, the first entry at that time): what `indexAt` must agree with. */
function nearestByScan(entries: readonly TimelineEntry[], atMs: number): number {
  let best = 0;
  for (let i = 1; i < entries.length; i++) {
    const d = Math.abs(entries[i].atMs - atMs) - Math.abs(entries[best].atMs - atMs);
    if (d < 0 || (d === 0 && entries[i].atMs > entries[best].atMs)) best = i;
  }
  return entries[best].seq;
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-at-test-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('TimelineStore.indexAt', () => {
  it('finds the nearest message, in memory and in the spill file, as a scan of every entry would', () => {
    const s = new TimelineStore(3, { memoryChunks: 1, maxDiskBytes: 64 * 1024 * 1024, spillDir: () => dir });
    const all = Array.from({ length: 20_000 }, (_, i) => entry(i));
    for (const e of all) s.append(e);
    expect(s.diskBytes).toBeGreaterThan(0);
    // Every boundary kind: before the first, exact times, midpoints, between chunks, past the last.
    const probes = [0, 0.1, 0.2, 0.45, 0.9, 20, 20.45, 39.9, 40, 40.45, 1234.5, 70_000, 70_020, 70_020.01, 199_960, 199_999, 1e9];
    for (let k = 0; k < 200; k++) probes.push((k * 7919.3) % 200_000);
    for (const t of probes) expect(s.indexAt(t), `at ${t} ms`).toBe(nearestByScan(all, t));
  });

  it('says a moment before the oldest kept message is gone once older ones were dropped', () => {
    const s = new TimelineStore(3, { memoryChunks: 1, maxDiskBytes: 3 * CHUNK_BYTES, spillDir: () => dir });
    for (let i = 0; i < 20_000; i++) s.append(entry(i));
    expect(s.dropped).toBeGreaterThan(0);
    const oldest = entry(s.dropped).atMs;
    expect(s.indexAt(oldest - 100)).toBeNull();
    expect(s.indexAt(oldest)).toBe(s.dropped);
    expect(s.indexAt(-1)).toBeNull();
    expect(s.indexAt(Number.NaN)).toBeNull();
    expect(new TimelineStore(4).indexAt(10)).toBeNull();
  });
});

describe('IntakeService: the timeline-at request', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('answers with the nearest message of a real session, its position and the message, and refuses bad arguments', async () => {
    // Sent in three parts 30 ms apart, so the clock moves within the session.
    const { s, messages, connectionId } = await publishFixture(cleanups, { parts: 3, gapMs: 30 });
    const client = s.attach({ event: () => {} });
    for (const probe of [messages[0].atMs, messages[100].atMs + 0.05, messages[messages.length - 1].atMs + 5, (messages[0].atMs + messages[messages.length - 1].atMs) / 2]) {
      const m = (await client.handle('timeline-at', { connectionId, atMs: probe })) as TimelineMoment;
      const want = nearestByScan(messages, probe);
      expect(m).toMatchObject({ connectionId, atMs: probe, index: want, total: messages.length, dropped: 0 });
      expect(m.entry).toEqual(messages[want]);
      // The page that the UI then asks for holds it at that position.
      const page = (await client.handle('timeline', { connectionId, from: m.index!, count: 1 })) as TimelinePage;
      expect(page.entries[0]).toEqual(messages[want]);
    }
    for (const arg of [{ connectionId }, { connectionId, atMs: -1 }, { connectionId, atMs: 'now' }, { atMs: 3 }, { connectionId, atMs: Infinity }]) {
      await expect(client.handle('timeline-at', arg)).rejects.toMatchObject({ code: 'bad-request' });
    }
    await expect(client.handle('timeline-at', { connectionId: 999, atMs: 1 })).rejects.toMatchObject({ code: 'not-found' });
  });
});
