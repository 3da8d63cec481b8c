import { describe, expect, it } from 'vitest';
import { FlvReader } from '../../app/flv/flv-reader.js';
import type { MediaTag } from '../../app/streams/media-tag.js';
import { PreviewFeed } from '../../app/subscribers/preview-feed.js';

const video = (ts: number, keyframe: boolean): MediaTag => ({ type: 9, timestamp: ts, body: Buffer.from([keyframe ? 0x17 : 0x27, 1, 0, 0, 0, ts & 0xff]), frame: true, keyframe, sequenceHeader: false });

describe('PreviewFeed.flush (the late-join start ahead of the preview request\'s answer)', () => {
  it('sends the pending start in the same turn, once, and the frames that follow batch as before', async () => {
    const sent: Buffer[] = [];
    const f = new PreviewFeed({ previewId: 3, flags: { audio: false, video: true }, send: (d) => sent.push(Buffer.from(d)), backlog: () => 0, ended: () => {}, intervalMs: 25 });
    for (let i = 0; i < 5; i++) f.tag(video(i * 33, i === 0));
    f.flush();
    // Synchronously: before whatever the caller sends next (the answer).
    expect(sent).toHaveLength(1);
    expect(sent[0].subarray(0, 3).toString()).toBe('FLV');
    f.flush(); // nothing pending: nothing sent
    expect(sent).toHaveLength(1);
    f.tag(video(165, false));
    await new Promise((r) => setImmediate(r));
    expect(sent).toHaveLength(2);
    const r = new FlvReader();
    expect(sent.flatMap((b) => r.push(b)).map((t) => t.timestamp)).toEqual([0, 33, 66, 99, 132, 165]);
    expect(f.sentFrames).toBe(6);
    f.close();
  });
});
