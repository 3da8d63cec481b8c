import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artefact, launchChromium } from '../support/browser.js';
import { type RunningIntake, startIntake } from '../support/cli.js';
import { need } from '../support/tools.js';
import { ffmpegPublish } from './publish-helpers.js';

/**
 * The timeline toolbar in Debian's Chromium at 1100x700 (issue #8): every
 * control is on screen and is what a click there reaches (nothing clipped in
 * a sideways-scrolling bar), and the "N messages saved" note of one
 * connection is not shown for another.
 */
describe.skipIf(!need('ffmpeg', 'chromium'))('the timeline toolbar at 1100x700', () => {
  let intake: RunningIntake;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;

  beforeAll(async () => {
    intake = await startIntake(['serve', '--http-port', '0']);
    const url = (await intake.waitFor(/^ui http:\/\//)).slice(3).trim();
    browser = await launchChromium({ width: 1100, height: 700 });
    page = await browser.context.newPage();
    await page.goto(url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await intake?.stop();
  });

  /** Controls of the toolbar that a click there does not reach (clipped, covered or off-screen), by test id or text. */
  const unreachable = (): Promise<string[]> =>
    page.$$eval('[role="toolbar"][aria-label="Timeline filters"] > *', (els) =>
      els
        .filter((el) => !el.classList.contains('tl-spacer'))
        .filter((el) => {
          const r = el.getBoundingClientRect();
          const x = r.left + r.width / 2;
          const y = r.top + r.height / 2;
          const hit = document.elementFromPoint(x, y);
          return !(r.width > 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight && hit !== null && el.contains(hit));
        })
        .map((el) => el.getAttribute('data-testid') ?? el.textContent ?? '?'),
    );

  it('shows every control, and each takes its own click', async () => {
    const done = ffmpegPublish(`rtmp://127.0.0.1:${intake.port}/live/one`, 60);
    await page.locator('[data-testid="timeline-row"]').first().waitFor({ timeout: 20_000 });
    expect((await done).code).toBe(0);
    await page.locator('[data-testid="timeline-export"]').waitFor();
    expect(await page.locator('[role="toolbar"] [data-testid="timeline-every-media"]').count()).toBe(1);
    expect(await unreachable()).toEqual([]);
    await artefact(page, 'timeline-toolbar-1100x700');
    // "all media" answers a real click at its place.
    const box = (await page.locator('[data-testid="timeline-every-media"]').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    expect(await page.locator('[data-testid="timeline-every-media"]').isChecked()).toBe(true);
  });

  it('keeps the export note with its own connection', async () => {
    const download = page.waitForEvent('download');
    await page.locator('[data-testid="timeline-export"]').click();
    await download;
    const note = page.locator('[data-testid="timeline-export-note"]');
    await expect.poll(() => note.innerText(), { timeout: 10_000 }).toMatch(/messages saved/);
    expect(await unreachable()).toEqual([]);
    await artefact(page, 'timeline-toolbar-note-1100x700');
    // Another connection shown: no note (it was not exported).
    const done = ffmpegPublish(`rtmp://127.0.0.1:${intake.port}/live/two`, 60);
    const two = page.locator('[data-testid="stream-item"][data-path="live/two"]');
    await two.waitFor({ timeout: 20_000 });
    await two.click();
    await expect.poll(() => page.locator('.tl-summary').innerText(), { timeout: 10_000 }).not.toMatch(/^#1 /);
    expect(await note.count()).toBe(0);
    await done;
  });
});
