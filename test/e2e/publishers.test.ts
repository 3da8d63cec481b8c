import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningIntake, probeFrames, startIntake } from '../support/cli.js';
import { type SegmentingProxy, segmentingProxy } from '../support/proxy.js';
import { need } from '../support/tools.js';
import { type PublishOutcome, ffmpegPublish, finishedRecording, gstPublish, lastStats, tempDir } from './publish-helpers.js';

/**
 * The headless receiver (`intake record`) against real publishers: every
 * video frame the publisher sent is counted, recorded, and readable by
 * ffprobe — directly and through a proxy that re-segments the client's bytes
 * into pieces of 1-7 bytes.
 */
const FRAMES = 300;

interface Publisher {
  name: string;
  tools: string[];
  publish: (url: string) => Promise<PublishOutcome>;
}

const publishers: Publisher[] = [
  { name: 'ffmpeg', tools: ['ffmpeg', 'ffprobe'], publish: (url) => ffmpegPublish(url, FRAMES) },
  { name: 'gst-rtmp2sink', tools: ['ffprobe', 'gst-launch-1.0', 'gst:rtmp2sink', 'gst:x264enc', 'gst:avenc_aac'], publish: (url) => gstPublish('rtmp2sink', url, FRAMES) },
  { name: 'gst-rtmpsink', tools: ['ffprobe', 'gst-launch-1.0', 'gst:rtmpsink', 'gst:x264enc', 'gst:avenc_aac'], publish: (url) => gstPublish('rtmpsink', url, FRAMES) },
];

for (const pub of publishers) {
  describe.skipIf(!need(...pub.tools))(`${pub.name} publishing to intake record`, () => {
    let intake: RunningIntake;
    let tmp: ReturnType<typeof tempDir>;
    let proxy: SegmentingProxy | null = null;

    beforeAll(async () => {
      tmp = tempDir(pub.name);
      intake = await startIntake(['record', '--out', tmp.dir, '--format', 'flv']);
    });
    afterAll(async () => {
      await proxy?.close();
      expect(await intake.stop()).toBe(0);
      tmp.remove();
    });

    const check = async (key: string, outcome: PublishOutcome, drainMs?: number): Promise<void> => {
      expect(outcome.code, outcome.log).toBe(0);
      expect(outcome.sent).toBe(FRAMES);
      await intake.waitFor(new RegExp(`^recording finished \\S+_${key}_`), drainMs);
      const out = intake.output();
      const rec = finishedRecording(out, key)!;
      expect(rec.video).toBe(outcome.sent);
      const stats = lastStats(out, `live/${key}`)!;
      expect(stats.video).toEqual([outcome.sent, outcome.sent, '100.0%']);
      expect(stats.audio[2]).toBe('100.0%');
      const probe = await probeFrames(rec.file);
      expect(probe.errors).toBe('');
      expect(probe.videoCodec).toBe('h264');
      expect(probe.audioCodec).toBe('aac');
      expect(probe.video).toBe(outcome.sent);
      expect(probe.audio).toBe(rec.audio);
      // Every step of the conversation was answered, in order.
      const steps = out.split('\n').filter((l) => / (answered|received|failed)( |$)/.test(l) && !l.startsWith('stats'));
      const conn = /^#(\d+) .*publish {2}answered.*"key":"(\w+)"/m;
      expect(steps.join('\n')).toMatch(conn);
    };

    it(`records every frame (${FRAMES} frames)`, async () => {
      const key = `${pub.name.replace(/-/g, '')}direct`;
      await check(key, await pub.publish(`rtmp://127.0.0.1:${intake.port}/live/${key}`));
    });

    it('records every frame through a proxy that re-segments into 1-7 byte pieces', async () => {
      proxy = await segmentingProxy(intake.port, { seed: 7, maxPiece: 7, pauseEvery: 48, pauseMs: 1 });
      const key = `${pub.name.replace(/-/g, '')}proxied`;
      // The proxy's own pace (a write per 1-7 bytes, a pause every 48 writes) delivers a 2.4 MB publish
      // well after the publisher is done, slower still while other test files load both cores: the wait
      // for the end is about that delivery, not Intake's speed (which bench/ measures).
      await check(key, await pub.publish(`rtmp://127.0.0.1:${proxy.port}/live/${key}`), 90_000);
      expect(proxy.stats().writes).toBeGreaterThan(proxy.stats().bytes / 8);
    }, 150_000);
  });
}
