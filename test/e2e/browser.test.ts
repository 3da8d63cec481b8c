import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artefact, launchChromium } from '../support/browser.js';
import { type RunningIntake, probeFrames, startIntake } from '../support/cli.js';
import { need } from '../support/tools.js';
import { ffmpegPublish, tempDir } from './publish-helpers.js';

/**
 * The product end to end, in Debian's Chromium against `intake serve`:
 * ffmpeg publishes H.264 + AAC and the page must show it all — the stream,
 * the protocol steps, playing video, 100 % capture, a recording ffprobe
 * reads, the timeline in ffmpeg's order, and a second stream to switch to.
 */
describe.skipIf(!need('ffmpeg', 'ffprobe', 'chromium'))('the UI in Chromium (browser mode)', () => {
  let intake: RunningIntake;
  let uiUrl: string;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let out: ReturnType<typeof tempDir>;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    out = tempDir('ui');
    intake = await startIntake(['serve', '--http-port', '0', '--out', out.dir, '--format', 'flv']);
    // ?preview=mse: this test watches the <video> element, i.e. the MSE player (the fallback since issue 11);
    // test/e2e/preview-live.test.ts covers the default real-time player.
    const url = new URL((await intake.waitFor(/^ui http:\/\//)).slice(3).trim());
    url.searchParams.set('preview', 'mse');
    uiUrl = url.href;
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await intake?.stop();
    out?.remove();
  });

  const rtmp = (key: string): string => `rtmp://127.0.0.1:${intake.port}/live/${key}`;
  const testId = (id: string): string => `[data-testid="${id}"]`;

  /** The preview's playback state, read from the <video> element. */
  const playback = (): Promise<{ t: number; frames: number; dropped: number; ready: number }> =>
    page.$eval(testId('preview-video'), (v: HTMLVideoElement) => {
      const q = v.getVideoPlaybackQuality();
      return { t: v.currentTime, frames: q.totalVideoFrames, dropped: q.droppedVideoFrames, ready: v.readyState };
    });

  /** Only command rows shown, then the inbound command names in the order the timeline lists them. */
  async function inboundCommands(): Promise<(string | null)[]> {
    const filter = page.locator(testId('timeline-filter-command'));
    await filter.waitFor();
    for (const kind of ['control', 'data', 'audio', 'video']) {
      const chip = page.locator(testId(`timeline-filter-${kind}`));
      if ((await chip.getAttribute('aria-pressed')) === 'true') await chip.click();
    }
    if ((await filter.getAttribute('aria-pressed')) === 'false') await filter.click();
    const rows = `${testId('timeline-row')}[data-kind="command"][data-direction="in"]`;
    await page.locator(rows).first().waitFor({ timeout: 10_000 });
    return page.$$eval(rows, (els) => els.map((e) => e.getAttribute('data-name')));
  }

  it('shows the OBS URL before anything publishes', async () => {
    await page.goto(uiUrl);
    const empty = page.locator(testId('empty-state'));
    await empty.waitFor({ timeout: 15_000 });
    expect(await empty.innerText()).toContain(`rtmp://127.0.0.1:${intake.port}/live`);
    // Polled for up to 10 s, not vitest's default 1 s: under CI load the status line lagged the empty state (one failure seen).
    await expect.poll(() => page.locator(testId('server-status')).innerText(), { timeout: 10_000 }).toMatch(new RegExp(`${intake.port}`));
    await artefact(page, 'ui-empty');
  });

  it('receives, plays, records and explains a stream; a second stream can be selected', async () => {
    // 14 s of real-time H.264 + AAC.
    const first = ffmpegPublish(rtmp('first'), 420, { realtime: true, size: '640x360' });
    const item = page.locator(`${testId('stream-item')}[data-path="live/first"]`);
    await item.waitFor({ timeout: 15_000 });
    expect(await item.getAttribute('aria-selected')).toBe('true');

    // Protocol: every command answered, every step in protocol order.
    const answered = ['tcp-accept', 'handshake', 'connect', 'release-stream', 'fc-publish', 'create-stream', 'publish'];
    const received = ['metadata', 'video-sequence-header', 'audio-sequence-header', 'first-keyframe', 'streaming'];
    for (const id of answered) await page.locator(`${testId('protocol-step')}[data-step="${id}"][data-state="answered"]`).waitFor({ timeout: 10_000 });
    for (const id of received) await page.locator(`${testId('protocol-step')}[data-step="${id}"][data-state="received"]`).waitFor({ timeout: 10_000 });
    const shown = await page.$$eval(testId('protocol-step'), (els) => els.map((e) => e.getAttribute('data-step')));
    const order = [...answered.slice(0, 3), ...answered.slice(3), ...received];
    expect(shown.filter((s) => order.includes(s!))).toEqual(order);

    // The video plays: time advances and the player decodes frames.
    await expect.poll(async () => (await playback()).frames, { timeout: 15_000 }).toBeGreaterThan(10);
    const a = await playback();
    await page.waitForTimeout(1500);
    const b = await playback();
    expect(b.t - a.t).toBeGreaterThan(0.8);
    expect(b.frames - a.frames).toBeGreaterThan(15);

    // Record from the UI.
    await page.locator(testId('record-toggle')).click();
    await expect.poll(async () => (await page.locator(testId('recording-path')).innerText()).trim(), { timeout: 10_000 }).toMatch(/live_first_.*\.flv/);

    // A second stream; select it, and it plays.
    const second = ffmpegPublish(rtmp('second'), 180, { realtime: true });
    const item2 = page.locator(`${testId('stream-item')}[data-path="live/second"]`);
    await item2.waitFor({ timeout: 15_000 });
    await artefact(page, 'ui-streaming');
    await item2.click();
    expect(await item2.getAttribute('aria-selected')).toBe('true');
    await page.locator(`${testId('protocol-step')}[data-step="publish"][data-state="answered"]`).waitFor();
    await expect.poll(async () => (await playback()).t, { timeout: 15_000 }).toBeGreaterThan(1);
    await artefact(page, 'ui-second-stream');

    // Back to the first; capture is 100 % while it streams.
    await item.click();
    await expect.poll(() => page.locator(testId('capture-percent')).innerText(), { timeout: 10_000 }).toMatch(/^100(\.0)?\s*%$/);
    await page.waitForTimeout(1000);
    await artefact(page, 'ui-playing');

    // Timeline: the commands in the order ffmpeg sent them; and again after a reload (the host backfills).
    expect((await inboundCommands()).slice(0, 5)).toEqual(['connect', 'releaseStream', 'FCPublish', 'createStream', 'publish']);
    await artefact(page, 'ui-timeline-commands');
    await page.setViewportSize({ width: 1100, height: 700 });
    await artefact(page, 'ui-small-window');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.reload();
    await item.click();
    expect((await inboundCommands()).slice(0, 5)).toEqual(['connect', 'releaseStream', 'FCPublish', 'createStream', 'publish']);

    const pub = await first;
    expect(pub.code).toBe(0);
    await second;

    // The stream ended: capture of the whole stream against ffmpeg's own count, and the recording ffprobe reads.
    await expect.poll(() => page.locator(testId('capture-received')).innerText(), { timeout: 10_000 }).toBe(String(pub.sent));
    expect(await page.locator(testId('capture-percent')).innerText()).toMatch(/^100(\.0)?\s*%$/);
    await expect.poll(() => fs.readdirSync(out.dir).filter((f) => f.startsWith('live_first_')).length, { timeout: 10_000 }).toBe(1);
    const file = path.join(out.dir, fs.readdirSync(out.dir).find((f) => f.startsWith('live_first_'))!);
    await expect.poll(() => intake.output(), { timeout: 10_000 }).toBeTruthy();
    const probe = await probeFrames(file);
    expect(probe.videoCodec).toBe('h264');
    expect(probe.audioCodec).toBe('aac');
    expect(probe.video).toBeGreaterThan(100);
    expect(probe.video).toBeLessThanOrEqual(pub.sent);
    await artefact(page, 'ui-ended');
    expect(consoleErrors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });

  it('shows a client that broke a rule: closed, with the rule and the reason', async () => {
    const sock = net.connect(intake.port, '127.0.0.1');
    await new Promise<void>((resolve) => sock.once('connect', () => resolve()));
    sock.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise<void>((resolve) => sock.once('close', () => resolve()));
    await expect.poll(() => page.locator(testId('log-toggle')).innerText(), { timeout: 10_000 }).toMatch(/1 rule breaks?/);
    await page.locator(testId('log-toggle')).click();
    const item = page.locator(testId('close-error')).last();
    await item.waitFor();
    expect(await item.innerText()).toMatch(/handshake/);
    await artefact(page, 'ui-rule-break');
    await page.locator(testId('log-toggle')).click();
  });
});
