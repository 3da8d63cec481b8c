import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../app/contract/engine.js';
import { TIMELINE_UI_CAP } from '../../../app/contract/limits.js';
import { TimelineBuffer } from '../../../renderer/src/store/timeline-buffer.js';

const media = (connectionId: number, seq: number): TimelineEntry => ({
  connectionId,
  seq,
  direction: 'in',
  atMs: seq,
  typeId: 9,
  typeName: 'Video',
  kind: 'video',
  csid: 6,
  streamId: 1,
  timestamp: seq,
  length: 100,
  summary: 'inter',
});

describe('TimelineBuffer: the page holds a bounded number of entries', () => {
  it('20 connections sending 100 000 messages each: the newest of each are held, the rest counted', () => {
    const buf = new TimelineBuffer();
    const highWater: number[] = [];
    for (let seq = 0; seq < 100_000; seq += 150) {
      // One batch: 150 messages of each of 20 connections, as ten batches a second of 20 streams bring.
      const batch: TimelineEntry[] = [];
      for (let c = 1; c <= 20; c++) for (let k = seq; k < seq + 150; k++) batch.push(media(c, k));
      buf.append(batch);
      highWater.push(buf.held());
    }
    // Bounded by the cap plus one drop block per connection, however long the stream.
    expect(Math.max(...highWater)).toBeLessThanOrEqual(20 * (TIMELINE_UI_CAP + 1000));
    for (let c = 1; c <= 20; c++) {
      const list = buf.entries(c);
      expect(list[list.length - 1].seq).toBe(100_049);
      expect(buf.dropped(c)).toBe(list[0].seq);
      expect(buf.dropped(c) + list.length).toBe(100_050);
      // Counted, all of them, though only the newest are held.
      expect(buf.counts(c).video).toBe(100_050);
    }
  });

  it('a range from the host replaces a connection from its position, and says what the host dropped', () => {
    const buf = new TimelineBuffer();
    const page = Array.from({ length: 10 }, (_, i) => media(3, 500 + i));
    buf.replace(3, { from: 500, dropped: 120, total: 510, counts: { control: 4, command: 6, data: 1, audio: 200, video: 299, other: 0 } }, page);
    expect(buf.dropped(3)).toBe(500);
    expect(buf.counts(3).video).toBe(299);
    expect(buf.hostDropped(3)).toBe(120);
    buf.append([media(3, 509), media(3, 510)]);
    expect(buf.entries(3).map((e) => e.seq).slice(-2)).toEqual([509, 510]);
    expect(buf.entries(3)).toHaveLength(11);
    expect(buf.counts(3).video).toBe(300);
  });
});
