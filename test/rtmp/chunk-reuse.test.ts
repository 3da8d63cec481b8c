import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ChunkDecoder } from '../../app/rtmp/chunk-decoder.js';
import { decodeSetChunkSize } from '../../app/rtmp/control.js';

const fixture = fs.readFileSync(new URL('../fixtures/sessions/ffmpeg-h264-aac.bin', import.meta.url));
const chunks = fixture.subarray(1537 + 1536);

/** Decode in pieces of `piece` bytes; hash each payload inside the callback (as a consumer that copies must). */
function decode(reuse: boolean, piece: number): string[] {
  const out: string[] = [];
  const d = new ChunkDecoder(
    (m) => {
      if (m.typeId === 1) d.setChunkSize(decodeSetChunkSize(m.payload));
      out.push(`${m.typeId}/${m.csid}/${m.timestamp}/${createHash('sha1').update(m.payload).digest('hex')}`);
    },
    undefined,
    reuse,
  );
  for (let i = 0; i < chunks.length; i += piece) d.push(Buffer.from(chunks.subarray(i, i + piece)));
  return out;
}

describe('ChunkDecoder with reused reassembly buffers', () => {
  it('gives the same messages as fresh buffers, at any segmentation', () => {
    const reference = decode(false, chunks.length);
    expect(reference.length).toBeGreaterThan(250);
    for (const piece of [1, 7, 1000, 65536]) expect(decode(true, piece)).toEqual(reference);
  });

  it('reuses one buffer per chunk stream: a kept payload is overwritten by the next message', () => {
    const kept: Buffer[] = [];
    const d = new ChunkDecoder((m) => m.typeId === 9 && m.payload.length > 128 && kept.push(m.payload), undefined, true);
    for (const [ts, fill] of [[0, 0xaa], [40, 0xbb]] as const) {
      const h = Buffer.from([0x06, 0, 0, ts, 0, 1, 0, 9, 1, 0, 0, 0]); // fmt 0, csid 6, length 256, video
      d.push(Buffer.concat([h, Buffer.alloc(128, fill), Buffer.from([0xc6]), Buffer.alloc(128, fill)]));
    }
    expect(kept).toHaveLength(2);
    expect(kept[0].buffer).toBe(kept[1].buffer);
    expect(kept[0][0]).toBe(0xbb);
  });

  it('lends buffers from one pool shared by every decoder: a message in progress keeps its own, a finished one gives it back', () => {
    const header = (ts: number): Buffer => Buffer.from([0x06, 0, 0, ts, 0, 1, 0, 9, 1, 0, 0, 0]); // fmt 0, csid 6, length 256, video
    const seen: { who: string; buffer: ArrayBufferLike; first: number; last: number }[] = [];
    const decoder = (who: string): ChunkDecoder =>
      new ChunkDecoder((m) => seen.push({ who, buffer: m.payload.buffer, first: m.payload[0], last: m.payload[255] }), undefined, true);
    const a = decoder('a');
    const b = decoder('b');
    // Both messages in progress at once (first chunk only): each holds a buffer of its own.
    a.push(Buffer.concat([header(0), Buffer.alloc(128, 0xaa)]));
    b.push(Buffer.concat([header(0), Buffer.alloc(128, 0xbb)]));
    a.push(Buffer.concat([Buffer.from([0xc6]), Buffer.alloc(128, 0xaa)]));
    b.push(Buffer.concat([Buffer.from([0xc6]), Buffer.alloc(128, 0xbb)]));
    expect(seen.map((s) => [s.who, s.first, s.last])).toEqual([
      ['a', 0xaa, 0xaa],
      ['b', 0xbb, 0xbb],
    ]);
    expect(seen[0].buffer).not.toBe(seen[1].buffer);
    // Messages that arrive whole, one connection after another, all reuse one buffer.
    seen.length = 0;
    const many = Array.from({ length: 20 }, (_, i) => decoder(`d${i}`));
    for (const d of many) d.push(Buffer.concat([header(40), Buffer.alloc(128, 0xcc), Buffer.from([0xc6]), Buffer.alloc(128, 0xcc)]));
    expect(seen).toHaveLength(20);
    expect(new Set(seen.map((s) => s.buffer)).size).toBe(1);
  });
});
