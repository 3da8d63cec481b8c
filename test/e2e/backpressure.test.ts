import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RtmpPublisher } from '../../app/client/publisher.js';
import { Engine } from '../../app/engine.js';
import { readFlvFile } from '../../app/flv/flv-reader.js';
import { tempDir } from './publish-helpers.js';

/**
 * A publisher faster than the disk: the recording's backlog pauses the
 * socket (TCP slows the publisher) instead of failing the recording or
 * holding memory without bound. The backlog limit is set tiny so the pause
 * happens on any disk.
 */
describe('a publisher faster than the recording', () => {
  it('is slowed by TCP and every frame reaches the file', async () => {
    const tmp = tempDir('backpressure');
    const logs: string[] = [];
    const engine = new Engine({ port: 0, recordDir: tmp.dir, autoRecord: true, recordFormat: 'flv', limits: { recordBacklogBytes: 256 * 1024 } });
    engine.on('log', (l) => logs.push(l.message));
    try {
      const { port } = await engine.start();
      const pub = await RtmpPublisher.publish(`rtmp://127.0.0.1:${port}/live/fast`, { chunkSize: 4096 });
      // A legacy AVC sequence header, then 400 "frames" of 150 KB as fast as the socket takes them (60 MB).
      await pub.media(9, 0, Buffer.from('1700000000014d401fffe1000a674d401fe88050045a1001000468ee3c80', 'hex'));
      const frame = Buffer.alloc(150_000, 0x11);
      for (let i = 0; i < 400; i++) {
        frame[0] = i % 30 === 0 ? 0x17 : 0x27;
        frame[1] = 1;
        frame.writeUIntBE(0, 2, 3);
        frame.writeUInt32BE(150_000 - 9, 5);
        await pub.media(9, i * 33, frame);
      }
      await pub.unpublish('fast');
      for (let i = 0; i < 200 && engine.streams().length; i++) await new Promise((r) => setTimeout(r, 25));
      await engine.stop();
      expect(logs).toContain('recording is behind the disk: reading from the publisher paused until it catches up');
      const file = fs.readdirSync(tmp.dir).find((f) => f.startsWith('live_fast_'))!;
      const { tags, truncatedTail } = readFlvFile(fs.readFileSync(`${tmp.dir}/${file}`));
      expect(truncatedTail).toBe(0);
      const frames = tags.filter((t) => t.type === 9 && t.body[1] === 1);
      expect(frames).toHaveLength(400);
      expect(frames.every((t, i) => t.timestamp === i * 33 && t.body.length === 150_000 && t.body[100] === 0x11)).toBe(true);
    } finally {
      await engine.stop();
      tmp.remove();
    }
  });
});
