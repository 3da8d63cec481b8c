import { describe, expect, it, vi } from 'vitest';
import { FlvReader } from '../../app/flv/flv-reader.js';
import type { MediaTag } from '../../app/streams/media-tag.js';
import { PREVIEW_BACKLOG_LIMIT, PREVIEW_MAX_CHUNK, PreviewFeed } from '../../app/subscribers/preview-feed.js';
import { MEDIA_ARRIVAL_OFFSET, MEDIA_HEADER_BYTES } from '../../app/contract/wire.js';
import { mediaFrame } from '../../app/host/web-server.js';
import { LiveStream } from '../../app/streams/live-stream.js';

function video(ts: number, keyframe: boolean): MediaTag {
  return { type: 9, timestamp: ts, body: Buffer.from([keyframe ? 0x17 : 0x27, 1, 0, 0, 0, ts & 0xff]), frame: true, keyframe, sequenceHeader: false };
}

function feed(backlog: () => number) {
  const sent: Buffer[] = [];
  const ended: string[] = [];
  const f = new PreviewFeed({ previewId: 7, flags: { audio: false, video: true }, send: (d) => sent.push(Buffer.from(d)), backlog, ended: (r) => ended.push(r), intervalMs: 25 });
  const tags = (): number[] => {
    const r = new FlvReader();
    return sent.flatMap((b) => r.push(b)).map((t) => t.timestamp);
  };
  return { f, sent, ended, tags };
}

describe('PreviewFeed', () => {
  it('sends FLV bytes in batches, not per tag, and copies bodies the engine will reuse', () => {
    vi.useFakeTimers();
    try {
      const { f, sent, tags } = feed(() => 0);
      const reused = video(0, true);
      f.tag(reused);
      reused.body.fill(0xee); // the engine's buffer is overwritten after tag() returns
      for (let i = 1; i < 10; i++) f.tag(video(i * 33, false));
      expect(sent).toHaveLength(0);
      vi.advanceTimersByTime(25);
      expect(sent).toHaveLength(1);
      expect(sent[0].subarray(0, 3).toString()).toBe('FLV');
      expect(tags()).toEqual([0, 33, 66, 99, 132, 165, 198, 231, 264, 297]);
      expect(sent[0][13 + 11]).toBe(0x17); // the first tag's body as it was when handed over
      expect(f.sentFrames).toBe(10);
    } finally {
      vi.useRealTimers();
    }
  });

  it('drops what a UI that stopped reading has not taken, then resumes at the next keyframe', () => {
    vi.useFakeTimers();
    try {
      let backlog = 0;
      const { f, tags } = feed(() => backlog);
      f.tag(video(0, true));
      vi.advanceTimersByTime(25);
      backlog = PREVIEW_BACKLOG_LIMIT + 1;
      for (let i = 1; i <= 3; i++) f.tag(video(i * 33, false));
      vi.advanceTimersByTime(25); // dropped
      backlog = 0;
      f.tag(video(132, false)); // still not a keyframe: skipped
      f.tag(video(165, true));
      f.tag(video(198, false));
      vi.advanceTimersByTime(25);
      expect(tags()).toEqual([0, 165, 198]);
      expect(f.droppedFrames).toBe(4);
      expect(f.sentFrames).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the FLV header due when the first batch is dropped for a UI that is behind, and counts offered and forwarded frames', () => {
    vi.useFakeTimers();
    try {
      let backlog = PREVIEW_BACKLOG_LIMIT + 1; // the transport still holds the last preview's bytes
      const metas: { offered: number; forwarded: number }[] = [];
      const sent: Buffer[] = [];
      const f = new PreviewFeed({ previewId: 1, flags: { audio: false, video: true }, send: (d, m) => (sent.push(Buffer.from(d)), metas.push(m)), backlog: () => backlog, ended: () => {} });
      f.tag(video(0, true));
      f.tag(video(33, false));
      vi.advanceTimersByTime(25); // dropped
      backlog = 0;
      f.tag(video(66, false)); // skipped: not a keyframe
      f.tag(video(99, true));
      vi.advanceTimersByTime(25);
      expect(sent).toHaveLength(1);
      expect(sent[0].subarray(0, 3).toString()).toBe('FLV');
      expect(new FlvReader().push(sent[0]).map((t) => t.timestamp)).toEqual([99]);
      expect(metas).toMatchObject([{ offered: 4, forwarded: 1 }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends a burst at once in chunks of about 1 MiB, not as one pile at the next tick', () => {
    const { f, sent, tags } = feed(() => 0);
    const big = (ts: number): MediaTag => ({ ...video(ts, ts === 0), body: Buffer.alloc(300_000, ts === 0 ? 0x17 : 0x27) });
    for (let i = 0; i < 10; i++) f.tag(big(i * 33));
    expect(sent.length).toBe(2);
    for (const b of sent) expect(b.length).toBeLessThan(PREVIEW_MAX_CHUNK + 300_100);
    f.end('done');
    expect(tags()).toHaveLength(10);
  });

  it('flushes what it holds before telling the UI the stream ended, and stops after close', () => {
    const { f, sent, ended, tags } = feed(() => 0);
    f.tag(video(0, true));
    f.end('publisher left');
    expect(tags()).toEqual([0]);
    expect(ended).toEqual(['publisher left']);
    f.tag(video(33, false));
    expect(sent).toHaveLength(1);
  });

  it('sends each batch as a view into one buffer of its own, exactly the batch behind the preview id and its arrival time', () => {
    const got: Uint8Array[] = [];
    const f = new PreviewFeed({ previewId: 0x01020304, flags: { audio: false, video: true }, send: (d) => got.push(d), backlog: () => 0, ended: () => {}, now: () => 1234.5 });
    f.tag(video(0, true));
    f.tag(video(33, false));
    f.end('done');
    expect(got).toHaveLength(1);
    const d = got[0];
    expect(d.byteOffset).toBe(MEDIA_HEADER_BYTES);
    expect(d.buffer.byteLength).toBe(MEDIA_HEADER_BYTES + d.byteLength); // nothing else in it: not Node's shared pool
    expect([...new Uint8Array(d.buffer, 0, 4)]).toEqual([1, 2, 3, 4]);
    expect(new DataView(d.buffer, 0, MEDIA_HEADER_BYTES).getFloat64(MEDIA_ARRIVAL_OFFSET)).toBe(1234.5);
    expect(Buffer.from(d.buffer, MEDIA_HEADER_BYTES, 3).toString()).toBe('FLV');
    expect(d.byteLength).toBe(13 + 2 * (11 + 6 + 4));
  });

  it('holds a stable body by reference until the flush, so it is copied once, into the batch', () => {
    vi.useFakeTimers();
    try {
      const { f, sent } = feed(() => 0);
      const cached = { ...video(0, true), stable: true };
      f.tag(cached);
      cached.body[5] = 0x42; // only to show it was not copied on arrival: stable bodies are never written
      vi.advanceTimersByTime(25);
      expect(sent[0][13 + 11 + 5]).toBe(0x42);
    } finally {
      vi.useRealTimers();
    }
  });

  it('from a live stream to the WebSocket frame, a frame is copied once on the way: into the GOP cache (which the batch reads) and the batch', () => {
    const s = new LiveStream(
      { path: 'live/t', app: 'live', key: 't', connectionId: 1, remoteAddress: '127.0.0.1', publishType: 'live', startedAt: 0 },
      { step: () => {}, updated: () => {}, ended: () => {}, log: () => {}, now: () => 0, gopCache: true },
    );
    const batches: Uint8Array[] = [];
    const f = new PreviewFeed({ previewId: 9, flags: s.flvFlags, send: (d) => batches.push(d), backlog: () => 0, ended: () => {} });
    s.subscribe(f);
    const seen: MediaTag['body'][] = [];
    s.subscribe({ kind: 'recorder', tag: (t) => seen.push(t.body), end: () => {} });
    const reassembly = Buffer.from('17010000000000000265880000', 'hex'); // the decoder's buffer, reused for every message
    s.media(9, 0, reassembly);
    reassembly.fill(0);
    f.end('done');
    expect(batches).toHaveLength(1);
    const frame = mediaFrame(9, batches[0]);
    expect(frame.buffer).toBe(batches[0].buffer); // the WebSocket sends the batch itself
    expect(frame.byteOffset).toBe(0);
    expect(frame.readUInt32BE(0)).toBe(9);
    // The tag in the batch has the frame as it arrived, though the reassembly buffer was wiped after.
    const r = new FlvReader();
    const tags = r.push(frame.subarray(MEDIA_HEADER_BYTES));
    expect(Buffer.from(tags[0].body).toString('hex')).toBe('17010000000000000265880000');
    expect(seen[0]).not.toBe(reassembly); // subscribers got the cache's copy
  });
});
