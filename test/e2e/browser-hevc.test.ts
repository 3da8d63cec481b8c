import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtmpPublisher } from '../../app/client/publisher.js';
import { FRAME_MS, FrameType, PacketType, exVideoTag, fourCCNumber } from '../enhanced-rtmp/ertmp.js';
import { type HevcStream, encodeHevc, loadHevcStream } from '../enhanced-rtmp/hevc-annexb.js';
import { artefact, launchChromium } from '../support/browser.js';
import { type RunningIntake, startIntake } from '../support/cli.js';
import { need } from '../support/tools.js';
import { tempDir } from './publish-helpers.js';

/**
 * Debian's Chromium does not decode HEVC: an Enhanced RTMP HEVC stream must
 * say so in the preview, while the rest of the window keeps working (the
 * stream listed with its codec, frames counted, protocol steps answered).
 */
describe.skipIf(!need('ffmpeg', 'chromium'))('an HEVC stream in Chromium (no HEVC decoder)', () => {
  let intake: RunningIntake;
  let stream: HevcStream;
  let tmp: ReturnType<typeof tempDir>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    tmp = tempDir('hevc-ui');
    stream = loadHevcStream(await encodeHevc(tmp.dir, 150));
    intake = await startIntake(['serve', '--http-port', '0', '--out', tmp.dir]);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await intake?.stop();
    tmp?.remove();
  });

  it('says the browser cannot decode it, and counts every frame anyway', async () => {
    const uiUrl = (await intake.waitFor(/^ui http:\/\//)).slice(3).trim();
    const page = await browser.context.newPage();
    await page.goto(uiUrl);
    await page.locator('[data-testid="empty-state"]').waitFor();

    // Paced like a live encoder: one picture every 40 ms.
    const pub = await RtmpPublisher.publish(`rtmp://127.0.0.1:${intake.port}/live/hevc`, { chunkSize: 4096 });
    await pub.metadata({ width: stream.sps.width, height: stream.sps.height, framerate: 25, videocodecid: fourCCNumber('hvc1'), encoder: 'intake e-rtmp test' });
    await pub.media(9, 0, exVideoTag(FrameType.Key, PacketType.SequenceStart, 'hvc1', stream.config));
    const start = Date.now();
    let shot = false;
    for (const [i, au] of stream.accessUnits.entries()) {
      await pub.media(9, i * FRAME_MS, exVideoTag(au.keyframe ? FrameType.Key : FrameType.Inter, PacketType.CodedFrames, 'hvc1', au.sample));
      const due = start + (i + 1) * FRAME_MS - Date.now();
      if (due > 0) await new Promise((r) => setTimeout(r, due));
      if (!shot && i === 100) {
        shot = true;
        const msg = page.locator('[data-testid="player-message"]');
        await msg.waitFor({ timeout: 5000 });
        expect(await msg.innerText()).toMatch(/cannot decode.*(HEVC|hvc1)/i);
        expect(await page.locator('[data-testid="stream-item"][data-path="live/hevc"]').innerText()).toMatch(/hvc1/);
        expect(await page.locator('[data-testid="protocol-step"][data-step="publish"]').getAttribute('data-state')).toBe('answered');
        await artefact(page, 'ui-hevc-unsupported');
      }
    }
    await pub.unpublish('hevc');
    expect(shot).toBe(true);
    await expect.poll(() => page.locator('[data-testid="capture-received"]').innerText(), { timeout: 10_000 }).toBe(String(stream.accessUnits.length));
    expect(await page.locator('[data-testid="capture-percent"]').innerText()).toMatch(/^100(\.0)?\s*%$/);
  });
});
