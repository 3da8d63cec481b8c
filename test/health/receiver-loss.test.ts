/**
 * Capture made exact about who lost what (issue 9): with every byte
 * consumed, nothing is Intake's loss; a publisher that vanishes mid-message
 * leaves bytes Intake had to discard, and the stream's health says so (one
 * message, its bytes) while the frames that did arrive stay at 100 %.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtmpPublisher } from '../../app/client/publisher.js';
import type { StreamStats } from '../../app/contract/engine.js';
import { Engine } from '../../app/engine.js';
import { readFlvFile } from '../../app/flv/flv-reader.js';
import { need } from '../support/tools.js';
import { encodeFlv, tempDir } from './publishers.js';

describe.skipIf(!need('ffmpeg'))('receiver loss from byte accounting', () => {
  let engine: Engine;
  let port: number;
  const final = new Map<string, StreamStats>();
  let tags: ReturnType<typeof readFlvFile>['tags'];

  beforeAll(async () => {
    tags = readFlvFile(await readFile(await encodeFlv(tempDir(), 2))).tags;
    engine = new Engine({ port: 0, gopCache: false });
    engine.on('stream-stats', (s) => final.set(s.path, s));
    ({ port } = await engine.start());
  }, 60_000);
  afterAll(() => engine.stop());

  /** Publish the FLV, then end cleanly (no `last`) or write `last` raw and vanish (or be closed for it). */
  const publish = async (key: string, last: Buffer | null): Promise<StreamStats> => {
    const pub = await RtmpPublisher.publish(`rtmp://127.0.0.1:${port}/live/${key}`);
    for (const t of tags) await pub.media(t.type, t.timestamp, Buffer.from(t.body));
    const ended = new Promise<void>((r) => engine.on('stream-end', (e) => e.path === `live/${key}` && r()));
    const closed = new Promise<string>((r) => engine.on('connection-close', (c) => r(c.reason)));
    if (last) {
      pub.writeRaw(last);
      await new Promise((r) => setTimeout(r, 100));
      await pub.close();
    } else {
      await pub.unpublish(key);
    }
    await ended;
    lastReason = await closed;
    return final.get(`live/${key}`)!;
  };
  let lastReason = '';
  /** A type 0 video header on chunk stream 6 for a message of `length` bytes. */
  const videoHeader = (length: number): Buffer => Buffer.from([0x06, 0, 0x10, 0, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff, 9, 1, 0, 0, 0]);
  // A video message of 1000 bytes of which only 100 arrive.
  const VANISH = Buffer.concat([videoHeader(1000), Buffer.alloc(100, 0x17)]);

  it('a clean unpublish: no loss at Intake, capture 100 %', async () => {
    const s = await publish('clean', null);
    expect(s.health!.receiverLoss).toEqual({ messages: 0, bytes: 0 });
    expect(s.video.capturePercent).toBe(100);
  });

  it('a publisher that vanishes mid-message: one message and its bytes discarded, said per stream; what arrived is 100 %', async () => {
    const s = await publish('vanish', VANISH);
    expect(s.health!.receiverLoss.messages).toBe(1);
    expect(s.health!.receiverLoss.bytes).toBeGreaterThanOrEqual(100);
    expect(s.video.received).toBe(tags.filter((t) => t.type === 9 && t.body[1] === 1).length);
    expect(s.video.capturePercent).toBe(100);
  });

  // The loss is counted where the connection closes (the chunk decoder's own state), not read back from the
  // close reason's words: neither of these reasons says "bytes of an incomplete chunk discarded".
  it('a message cut off between chunks, with nothing left unparsed: its reassembled bytes are counted all the same', async () => {
    // 3 chunks of 4096 announced (the publisher's chunk size), 2 sent whole: the decoder holds 8192 bytes, the socket nothing.
    const s = await publish('between', Buffer.concat([videoHeader(3 * 4096), Buffer.alloc(4096, 0x17), Buffer.from([0xc6]), Buffer.alloc(4096, 0x27)]));
    expect(lastReason).not.toMatch(/discarded/);
    expect(s.health!.receiverLoss).toEqual({ messages: 1, bytes: 8192 });
    expect(s.video.capturePercent).toBe(100);
  });

  it('a limit broken mid-stream: the bytes it left are Intake\'s loss too', async () => {
    // A 9 MB message (above the 8 MB limit): the connection is closed for it with the rest of the write unread.
    const s = await publish('limit', Buffer.concat([videoHeader(9 * 1024 * 1024), Buffer.alloc(2000, 0x17)]));
    expect(lastReason).toMatch(/exceeds the \d+-byte limit/);
    expect(s.health!.receiverLoss.messages).toBe(1);
    expect(s.health!.receiverLoss.bytes).toBeGreaterThan(0);
  });
});
