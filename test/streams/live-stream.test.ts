import { describe, expect, it } from 'vitest';
import type { ProtocolStep } from '../../app/contract/engine.js';
import { parseVideoTag } from '../../app/media/video-tag.js';
import { LiveStream } from '../../app/streams/live-stream.js';
import type { MediaTag } from '../../app/streams/media-tag.js';

function stream(): { s: LiveStream; steps: ProtocolStep['id'][]; logs: string[] } {
  const steps: ProtocolStep['id'][] = [];
  const logs: string[] = [];
  const s = new LiveStream(
    { path: 'live/t', app: 'live', key: 't', connectionId: 1, remoteAddress: '127.0.0.1', publishType: 'live', startedAt: 0 },
    { step: (id) => steps.push(id), updated: () => {}, ended: () => {}, log: (_l, m) => logs.push(m), now: () => 0, gopCache: true },
  );
  return { s, steps, logs };
}

const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');
const u24 = (n: number): string => n.toString(16).padStart(6, '0');

/** An E-RTMP v2 ManyTracks CodedFrames video tag for hvc1 tracks 0 and 1, optionally behind a ModEx nano-offset prefix. */
function manyTracks(modEx: boolean, frame0: string, frame1: string): Buffer {
  const track = (id: number, data: string): string => `${id.toString(16).padStart(2, '0')}${u24(3 + data.length / 2)}000000${data}`;
  const body = `11${Buffer.from('hvc1').toString('hex')}${track(0, frame0)}${track(1, frame1)}`;
  // 0x90|0x10: ExHeader, keyframe; packet type 6 (Multitrack) or 7 (ModEx: size-1=2, 3 bytes nano offset, then type 0|6).
  return hex(modEx ? `97 02 000005 06 ${body}` : `96 ${body}`);
}

describe('LiveStream', () => {
  for (const modEx of [false, true]) {
    it(`records track 0 of a multitrack video packet as a single-track tag${modEx ? ' (behind ModEx)' : ''}`, () => {
      const { s } = stream();
      const got: MediaTag[] = [];
      s.subscribe({ kind: 'recorder', tag: (t) => got.push(t), end: () => {} });
      s.media(9, 0, manyTracks(modEx, '00000002aaaa', '00000002bbbb'));
      expect(got).toHaveLength(1);
      const info = parseVideoTag(got[0].body);
      expect(info.multitrack).toBeFalsy();
      expect(info.tracks.map((t) => ({ ...t, data: Buffer.from(t.data).toString('hex') }))).toEqual([
        { trackId: 0, codec: 'hvc1', packetType: 'coded-frames', compositionTime: 0, data: '00000002aaaa' },
      ]);
      expect(got[0].keyframe).toBe(true);
      const stats = s.stats();
      expect(stats.video.received).toBe(1);
      expect(stats.extraTracks['video:1'].received).toBe(1);
    });
  }

  it('a late subscriber gets metadata, sequence headers and the GOP from its keyframe', () => {
    const { s, steps } = stream();
    const avcHeader = hex('17 00 000000 01640028ffe1000a6764002 8acd940780227e5 01000468ebecb22c'.replace(/ /g, ''));
    s.media(9, 0, avcHeader);
    s.media(9, 0, hex('17 01 000000 00000002 6588'));
    s.media(8, 10, hex('af 01 2100'));
    s.media(9, 33, hex('27 01 000000 00000002 4188'));
    s.media(9, 66, hex('17 01 000000 00000002 6588'));
    s.media(9, 100, hex('27 01 000000 00000002 4188'));
    const got: MediaTag[] = [];
    s.subscribe({ kind: 'preview', tag: (t) => got.push(t), end: () => {} });
    expect(got.map((t) => [t.type, t.timestamp, t.sequenceHeader, t.keyframe])).toEqual([
      [9, 0, true, false],
      [9, 66, false, true],
      [9, 100, false, false],
    ]);
    expect(steps).toEqual(['video-sequence-header', 'first-keyframe', 'streaming']);
  });

  it('repeated identical onMetaData is one step and one tag', () => {
    const { s, steps } = stream();
    const got: MediaTag[] = [];
    s.subscribe({ kind: 'recorder', tag: (t) => got.push(t), end: () => {} });
    for (let i = 0; i < 5; i++) s.metadata(['onMetaData', { width: 320, framerate: 30 }], i * 100);
    s.metadata(['onMetaData', { width: 640, framerate: 30 }], 600);
    expect(steps).toEqual(['metadata', 'metadata']);
    expect(got).toHaveLength(2);
  });

  it('runs audio through the same routine: header step, AAC frame clock, frames counted and cached after a keyframe', () => {
    const { s, steps } = stream();
    const got: [number, number, boolean][] = [];
    s.subscribe({ kind: 'recorder', tag: (t) => got.push([t.type, t.timestamp, t.sequenceHeader]), end: () => {} });
    s.media(8, 0, hex('af 00 1190')); // AAC LC, 48 kHz, stereo
    s.media(8, 0, hex('af 01 2100')); // before any keyframe: delivered, not cached
    s.media(9, 0, hex('17 01 000000 00000002 6588'));
    s.media(8, 21, hex('af 01 2100'));
    expect(steps).toEqual(['audio-sequence-header', 'first-keyframe', 'streaming']);
    const stats = s.stats();
    expect(stats.audio).toMatchObject({ codec: 'mp4a.40.2', sampleRate: 48000, channels: 2, received: 2 });
    expect(got).toEqual([[8, 0, true], [8, 0, false], [9, 0, false], [8, 21, false]]);
    const late: [number, number][] = [];
    s.subscribe({ kind: 'preview', tag: (t) => late.push([t.type, t.timestamp]), end: () => {} });
    expect(late).toEqual([[8, 0], [9, 0], [8, 21]]); // audio header, then the GOP from its keyframe
  });

  it('hands subscribers the cached copy (stable) with the GOP cache on, and the reused payload otherwise', () => {
    const { s } = stream();
    const seen: { stable: boolean | undefined; body: Buffer }[] = [];
    s.subscribe({ kind: 'preview', tag: (t) => seen.push({ stable: t.stable, body: t.body }), end: () => {} });
    const before = hex('27 01 000000 00000002 4188');
    const key = hex('17 01 000000 00000002 6588');
    s.media(9, 0, before);
    s.media(9, 33, key);
    expect(seen[0]).toEqual({ stable: false, body: before });
    expect(seen[1].stable).toBe(true);
    expect(seen[1].body).not.toBe(key);
    expect(seen[1].body.equals(key)).toBe(true);
  });

  it('passes metadata and script data on with their decoded values beside the bytes', () => {
    const { s } = stream();
    const got: { type: number; meta: unknown; stable: boolean | undefined }[] = [];
    s.subscribe({ kind: 'recorder', tag: (t) => got.push({ type: t.type, meta: t.meta, stable: t.stable }), end: () => {} });
    s.metadata(['onMetaData', { width: 320, framerate: 30 }], 0);
    s.data(['onCuePoint', { name: 'c1' }], hex('02000a6f6e437565506f696e74'), 5);
    expect(got).toEqual([
      { type: 18, meta: { width: 320, framerate: 30 }, stable: true },
      { type: 18, meta: { name: 'c1' }, stable: false },
    ]);
    expect(s.metadataValues).toEqual({ width: 320, framerate: 30 });
  });
});
