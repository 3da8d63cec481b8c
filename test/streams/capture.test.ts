import { describe, expect, it } from 'vitest';
import { CaptureCounter, RateMeter, TimestampUnwrapper, TsEvent } from '../../app/streams/capture.js';

/**
 * RTMP timestamps of `n` frames at `perSecond`, as a publisher writes them:
 * exact times rounded to whole milliseconds (ffmpeg's av_rescale rounds to
 * nearest; some encoders truncate).
 */
function timestamps(n: number, perSecond: number, start = 0, round: (x: number) => number = Math.round): number[] {
  return Array.from({ length: n }, (_, i) => start + round((i * 1000) / perSecond));
}

/** A counter fed with these timestamps, with or without a declared rate. */
function counted(ts: number[], declared?: number): CaptureCounter {
  const c = new CaptureCounter();
  if (declared !== undefined) c.declareRate(declared);
  for (const t of ts) c.frame(t);
  return c;
}

/** The same timestamps without frames `from`..`from + count - 1`. */
const without = (ts: number[], from: number, count: number): number[] => ts.filter((_, i) => i < from || i >= from + count);

interface Case {
  name: string;
  ts: number[];
  /** The rate onMetaData (or the audio config) declares; undefined: none, the deltas decide. */
  declared?: number;
  received: number;
  expected: number;
  /** Frames the clock stepped over (issue 9: the encoder skipped them; capture is measured without them). */
  skipped?: number;
}

const AAC_44100 = 44100 / 1024; // an AAC access unit is 1024 samples: 23.22 ms, sent as 23 and 24
const NTSC = 30000 / 1001; // 29.97

const cases: Case[] = [
  { name: '30 fps, ms rounded (33, 33, 34), no declared rate', ts: timestamps(300, 30), received: 300, expected: 300 },
  { name: '30 fps, ms rounded, declared 30', ts: timestamps(300, 30), declared: 30, received: 300, expected: 300 },
  { name: '30 fps, ms truncated (33, 33, 34 in another order), no declared rate', ts: timestamps(300, 30, 0, Math.floor), received: 300, expected: 300 },
  { name: '30 fps starting at 5000 ms', ts: timestamps(300, 30, 5000), received: 300, expected: 300 },
  { name: '30 fps, 5 missing frames, no declared rate', ts: without(timestamps(300, 30), 100, 5), received: 295, expected: 300, skipped: 5 },
  { name: '30 fps, 5 missing frames, declared 30', ts: without(timestamps(300, 30), 100, 5), declared: 30, received: 295, expected: 300, skipped: 5 },
  { name: '30 fps, 5 frames missing at two places', ts: without(without(timestamps(300, 30), 200, 3), 50, 2), received: 295, expected: 300, skipped: 5 },
  { name: '29.97 fps (33, 34 ms), no declared rate', ts: timestamps(600, NTSC), received: 600, expected: 600 },
  { name: '29.97 fps, declared 29.97', ts: timestamps(600, NTSC), declared: NTSC, received: 600, expected: 600 },
  { name: '29.97 fps, 5 missing frames', ts: without(timestamps(600, NTSC), 300, 5), received: 595, expected: 600, skipped: 5 },
  { name: '25 fps (40 ms), declared 25', ts: timestamps(100, 25), declared: 25, received: 100, expected: 100 },
  { name: '60 fps (16, 17 ms), no declared rate', ts: timestamps(600, 60), received: 600, expected: 600 },
  { name: 'AAC 44100 Hz (23, 24 ms), declared 44100/1024', ts: timestamps(174, AAC_44100), declared: AAC_44100, received: 174, expected: 174 },
  { name: 'AAC 44100 Hz, no declared rate', ts: timestamps(174, AAC_44100), received: 174, expected: 174 },
  { name: 'AAC 44100 Hz, 5 missing frames, declared', ts: without(timestamps(1000, AAC_44100), 500, 5), declared: AAC_44100, received: 995, expected: 1000, skipped: 5 },
  { name: 'AAC 48000 Hz (21, 22 ms), declared 48000/1024', ts: timestamps(500, 48000 / 1024), declared: 48000 / 1024, received: 500, expected: 500 },
  { name: 'one frame', ts: [1234], received: 1, expected: 1 },
  { name: 'one frame, declared 30', ts: [1234], declared: 30, received: 1, expected: 1 },
  { name: 'two frames', ts: [0, 33], received: 2, expected: 2 },
];

describe('CaptureCounter', () => {
  it.each(cases)('$name: received $received, expected $expected', ({ ts, declared, received, expected, skipped = 0 }) => {
    const c = counted(ts, declared);
    expect(c.received).toBe(received);
    expect(c.expected()).toBe(expected);
    expect(c.skipped()).toBe(skipped);
    // Issue 9: frames the clock stepped over were never sent (byte accounting proves Intake's share), so capture leaves them out.
    expect(c.percent()).toBeCloseTo((received / (expected - skipped)) * 100, 10);
  });

  it.each([
    { name: 'a reset to zero after 5 s', ts: [...timestamps(150, 30), ...timestamps(150, 30)], event: TsEvent.Reset, segments: 2 },
    { name: 'a 3-hour jump', ts: [...timestamps(150, 30), ...timestamps(150, 30, 3 * 3600_000)], event: TsEvent.Jump, segments: 2 },
    { name: 'a step back of 3 s', ts: [...timestamps(150, 30, 10_000), ...timestamps(150, 30, 7000 + 5000)], event: TsEvent.Backwards, segments: 2 },
  ])('$name starts a new segment: capture stays 100 %, never above', ({ ts, event, segments }) => {
    const c = new CaptureCounter();
    const events: number[] = [];
    for (const t of ts) {
      c.frame(t);
      if (c.lastEvent !== TsEvent.None) events.push(c.lastEvent);
    }
    expect(events).toEqual([event]);
    expect(c.segments).toBe(segments);
    expect(c.received).toBe(300);
    expect(c.expected()).toBe(300);
    expect(c.skipped()).toBe(0);
    expect(c.percent()).toBe(100);
  });

  it('2 s the encoder skipped at 30 fps: 60 frames skipped, one Skip event with the step, capture 100 %', () => {
    const c = new CaptureCounter();
    c.declareRate(30);
    const ts = [...timestamps(240, 30), ...timestamps(120, 30, Math.round((300 * 1000) / 30))];
    let skips = 0;
    for (const t of ts) {
      c.frame(t);
      if (c.lastEvent === TsEvent.Skip) {
        skips++;
        expect(c.lastStep).toBe(2033);
      }
    }
    expect(skips).toBe(1);
    expect(c.expected()).toBe(420);
    expect(c.skipped()).toBe(60);
    expect(c.percent()).toBe(100);
  });

  it('nothing received: expected 0, percent null, interval unknown', () => {
    const c = new CaptureCounter();
    expect(c.expected()).toBe(0);
    expect(c.percent()).toBeNull();
    expect(c.interval()).toBeNull();
  });

  it('without a declared rate the interval is the mean of the deltas near the median, not the median', () => {
    const c = counted(timestamps(300, 30));
    expect(c.interval()).toBeCloseTo(1000 / 30, 1);
  });

  it('a declared rate sets the interval', () => {
    const c = new CaptureCounter();
    c.declareRate(25);
    expect(c.interval()).toBe(40);
  });

  it.each([0, -30, Number.NaN, Number.POSITIVE_INFINITY, undefined, 10_000])('declareRate(%s) is ignored', (rate) => {
    const c = new CaptureCounter();
    c.declareRate(rate);
    expect(c.interval()).toBeNull();
    for (const t of timestamps(10, 30)) c.frame(t);
    expect(c.expected()).toBe(10);
  });

  it('a repeated or backwards timestamp counts as received but moves nothing', () => {
    const c = counted([0, 33, 33, 20, 67, 100]);
    expect(c.received).toBe(6);
    expect(c.expected()).toBe(4);
  });
});

describe('TimestampUnwrapper', () => {
  it('is the identity before any wrap', () => {
    const u = new TimestampUnwrapper();
    for (const t of [0, 33, 0x7fffffff, 0x80000000, 0xfffffff0]) expect(u.unwrap(t)).toBe(t);
  });

  it('continues past 2^32 when the 32-bit timestamp wraps', () => {
    const u = new TimestampUnwrapper();
    const wire = [0xffffff00, 0xffffff80, 0xfffffff0, 0x00000010, 0x00000050, 0x7fffffff, 0x80000010, 0xfffffff0, 0x00000020];
    expect(wire.map((t) => u.unwrap(t))).toEqual([
      0xffffff00, 0xffffff80, 0xfffffff0, 0x1_00000010, 0x1_00000050, 0x1_7fffffff, 0x1_80000010, 0x1_fffffff0, 0x2_00000020,
    ]);
  });

  it('a late frame from before the wrap stays before it', () => {
    const u = new TimestampUnwrapper();
    expect(u.unwrap(0xfffffff0)).toBe(0xfffffff0);
    expect(u.unwrap(0x00000010)).toBe(0x1_00000010);
    expect(u.unwrap(0xfffffffa)).toBe(0xfffffffa);
    expect(u.unwrap(0x00000030)).toBe(0x1_00000030);
  });

  it('a small step backwards is not a wrap', () => {
    const u = new TimestampUnwrapper();
    expect([1000, 990, 1033].map((t) => u.unwrap(t))).toEqual([1000, 990, 1033]);
  });

  it('with CaptureCounter: 30 fps across the wrap, received = expected', () => {
    const u = new TimestampUnwrapper();
    const c = new CaptureCounter();
    for (const t of timestamps(300, 30, 0xffffffff - 5000)) c.frame(u.unwrap(t >>> 0));
    expect(c.received).toBe(300);
    expect(c.expected()).toBe(300);
  });
});

describe('RateMeter', () => {
  it('counts events and bits over the last second, the second being half-open (now - 1000, now]', () => {
    const r = new RateMeter();
    r.add(0, 100);
    r.add(500, 100);
    r.add(999, 100);
    expect(r.read(999)).toEqual([3, 2400]);
    expect(r.read(1000)).toEqual([2, 1600]);
    expect(r.read(1499)).toEqual([2, 1600]);
    expect(r.read(1500)).toEqual([1, 800]);
    expect(r.read(5000)).toEqual([0, 0]);
  });

  it('stays right over many events (its arrays are compacted)', () => {
    const r = new RateMeter();
    for (let t = 0; t < 10_000; t += 10) r.add(t, 1000);
    expect(r.read(9990)).toEqual([100, 100 * 1000 * 8]);
  });

  it('grows for a burst, wraps around, and holds no more than a second of entries', () => {
    const r = new RateMeter();
    for (let i = 0; i < 300; i++) r.add(i, 10); // 300 events in 300 ms: grows past its first 64 entries
    expect(r.read(299)).toEqual([300, 300 * 10 * 8]);
    expect(r.read(1100)).toEqual([199, 199 * 10 * 8]); // (100, 1100] holds the events at 101..299
    const cap = r.capacity;
    expect(cap).toBeGreaterThanOrEqual(300);
    // Then a steady 30 per second for a minute: the ring wraps many times and never grows again.
    for (let t = 2000; t < 62_000; t += 1000 / 30) r.add(t, 1000);
    expect(r.read(62_000 - 1000 / 30)).toEqual([30, 30 * 1000 * 8]);
    expect(r.capacity).toBe(cap);
  });
});
