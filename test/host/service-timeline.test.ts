/**
 * The service keeps every connection's whole timeline in bounded memory and
 * serves it in ranges: a real ffmpeg session (the fixture) replayed over TCP.
 */
import fs from 'node:fs';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../app/contract/engine.js';
import type { TimelinePage } from '../../app/contract/ui.js';
import { publishFixture } from './service-fixture.js';


const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const spillDirs = (): string[] => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('intake-timeline-'));

describe('IntakeService: the timeline in ranges', () => {
  it('gives back every message it sent the UI, range by range, with the total', async () => {
    const { s, messages, connectionId } = await publishFixture(cleanups);
    expect(messages.length).toBeGreaterThan(250);
    const client = s.attach({ event: () => {} });
    const all: TimelineEntry[] = [];
    for (let from = 0; ; ) {
      const page = (await client.handle('timeline', { connectionId, from, count: 100 })) as TimelinePage;
      expect(page).toMatchObject({ connectionId, from, total: messages.length, dropped: 0 });
      all.push(...page.entries);
      from += page.entries.length;
      if (page.entries.length < 100) break;
    }
    expect(all).toEqual(messages);
    // Every kind counted over the whole connection, for the filter chips.
    const last = (await client.handle('timeline', { connectionId, count: 1 })) as TimelinePage;
    expect(last.counts).toEqual({
      control: messages.filter((m) => m.kind === 'control').length,
      command: messages.filter((m) => m.kind === 'command').length,
      data: messages.filter((m) => m.kind === 'data').length,
      audio: messages.filter((m) => m.kind === 'audio').length,
      video: messages.filter((m) => m.kind === 'video').length,
      other: 0,
    });
    expect(s.snapshot().connections.find((c) => c.info.connectionId === connectionId)?.messageCount).toBe(messages.length);
    // Without `from`: the newest.
    const tail = (await client.handle('timeline', { connectionId, count: 3 })) as TimelinePage;
    expect(tail.from).toBe(messages.length - 3);
    expect(tail.entries).toEqual(messages.slice(-3));
    // The AMF types survive the store: Intake's own `undefined`.
    expect(all.some((e) => e.command?.args.some((a) => JSON.stringify(a) === '{"$amf":"undefined"}'))).toBe(true);
  });

  it('holds a closed connection on disk only, refuses unbounded or bad ranges, and removes its files on close', async () => {
    const before = spillDirs();
    const { s, connectionId } = await publishFixture(cleanups);
    const store = (s as unknown as { conns: Map<number, { timeline: { memoryBytes: number; diskBytes: number } }> }).conns.get(connectionId)!.timeline;
    expect(store.memoryBytes).toBe(0);
    expect(store.diskBytes).toBeGreaterThan(0);
    expect(spillDirs().length).toBe(before.length + 1);
    const client = s.attach({ event: () => {} });
    for (const arg of [{ connectionId, count: 5001 }, { connectionId, count: 0 }, { connectionId, from: -1 }, { connectionId, from: 1.5 }, { connectionId, count: '10' }]) {
      await expect(client.handle('timeline', arg)).rejects.toMatchObject({ code: 'bad-request' });
    }
    await expect(client.handle('timeline', { connectionId: 999 })).rejects.toMatchObject({ code: 'not-found' });
    await s.close();
    expect(spillDirs()).toEqual(before);
  });
});
