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
});
