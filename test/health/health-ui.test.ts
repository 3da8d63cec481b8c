/**
 * The Health panel in Debian's Chromium against `intake serve`, with a
 * misconfigured ffmpeg stream (10 s keyframes, 22.05 kHz audio): the tab's
 * verdict, the findings with their values, the fix on click, the preset
 * switch, and the four uPlot charts drawn. Screenshots at 1440×900 and
 * 1100×700 go to /tmp to be looked at.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from '../support/browser.js';
import { need } from '../support/tools.js';
import { type HealthPage, openHealthPage, testId } from './health-page.js';
import { ffmpegPublish } from './publishers.js';

describe.skipIf(!need('ffmpeg', CHROMIUM))('the Health panel', () => {
  let ui: HealthPage;
  let page: Page;

  beforeAll(async () => {
    ui = await openHealthPage((port) => ffmpegPublish(`rtmp://127.0.0.1:${port}/live/misconfigured`, { seconds: 20, size: '640x360', video: ['-g', '300'], audio: ['-ar', '22050'] }));
    page = ui.page;
  }, 60_000);

  afterAll(async () => {
    await ui?.close();
  });

  it('shows the verdict on its tab, the findings with values, the fix on click, and four charts', async () => {
    await page.locator(testId('health-tab')).click();
    const finding = page.locator(testId('finding-audio-sample-rate'));
    await finding.waitFor({ timeout: 20_000 });
    expect(await finding.innerText()).toContain('22050 Hz');
    await page.locator(testId('finding-gop-long')).waitFor({ timeout: 20_000 });
    expect(await page.locator(testId('health-verdict')).innerText()).toMatch(/warning/);
    expect(await page.locator(testId('health-words')).innerText()).toMatch(/H\.264 .*640×360 progressive/);

    await page.locator(testId('finding-gop-long')).click();
    expect(await page.locator('.finding.selected .finding-fix').innerText()).toContain('Keyframe Interval: 2 s');

    // YouTube: the same stream has errors (keyframes past 4 s, 22.05 kHz).
    await page.selectOption('select[aria-label="Destination preset"]', 'youtube');
    await expect.poll(() => page.locator(testId('health-verdict')).innerText()).toMatch(/error/);
    await expect.poll(() => page.locator(testId('health-tab')).innerText()).toMatch(/error/);

    // Let a few seconds of chart history gather, then check every chart drew a canvas.
    await new Promise((r) => setTimeout(r, 6000));
    expect(await page.locator('.health-chart canvas').count()).toBe(4);
    expect(await page.locator('.spark-plot canvas').count()).toBe(3);
    await page.screenshot({ path: '/tmp/intake-health-1440.png' });
    await page.setViewportSize({ width: 1100, height: 700 });
    await new Promise((r) => setTimeout(r, 1000));
    await page.screenshot({ path: '/tmp/intake-health-1100.png' });
    expect(ui.errors).toEqual([]);
  }, 90_000);
});
