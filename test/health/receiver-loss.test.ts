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

  const publish = async (key: string, vanish: boolean): Promise<StreamStats> => {
    const pub = await RtmpPublisher.publish(`rtmp://127.0.0.1:${port}/live/${key}`);
    for (const t of tags) await pub.media(t.type, t.timestamp, Buffer.from(t.body));
    const ended = new Promise<void>((r) => engine.on('stream-end', (e) => e.path === `live/${key}` && r()));
    if (vanish) {
      // A video message of 1000 bytes on chunk stream 6 (type 0 header), of which only 100 arrive.
      const header = Buffer.from([0x06, 0, 0x10, 0, 0, 0x03, 0xe8, 9, 1, 0, 0, 0]);
      pub.writeRaw(Buffer.concat([header, Buffer.alloc(100, 0x17)]));
      await new Promise((r) => setTimeout(r, 100));
      await pub.close();
    } else {
      await pub.unpublish(key);
    }
    await ended;
    return final.get(`live/${key}`)!;
  };

  it('a clean unpublish: no loss at Intake, capture 100 %', async () => {
    const s = await publish('clean', false);
    expect(s.health!.receiverLoss).toEqual({ messages: 0, bytes: 0 });
    expect(s.video.capturePercent).toBe(100);
  });

  it('a publisher that vanishes mid-message: one message and its bytes discarded, said per stream; what arrived is 100 %', async () => {
    const s = await publish('vanish', true);
    expect(s.health!.receiverLoss.messages).toBe(1);
    expect(s.health!.receiverLoss.bytes).toBeGreaterThanOrEqual(100);
    expect(s.video.received).toBe(tags.filter((t) => t.type === 9 && t.body[1] === 1).length);
    expect(s.video.capturePercent).toBe(100);
  });
});
