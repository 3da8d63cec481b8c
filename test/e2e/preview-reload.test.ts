import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artefact } from '../support/browser.js';
import { serveInChromium } from '../support/serve-page.js';
import { need } from '../support/tools.js';
import { ffmpegPublish } from './publish-helpers.js';

/**
 * A reload with a live stream, in Debian's Chromium against `intake serve`
 * (issue 11: a picture soon after a reload). The picture must come from the
 * early path: the link opened by the classic script before the bundle
 * (renderer/early-link.js), the GOP sent ahead of the snapshot's answer,
 * and the controller taking the early session over
 * (renderer/src/preview/early-preview.ts). Asserted through the page's marks
 * in the order they must come, not through a time: how fast is the bench's
 * business (`npm run bench -- --only ttp`).
 */

const FIGURES = `(() => {
  const n = (id) => Number(document.querySelector('[data-testid="' + id + '"]')?.textContent);
  return { received: n('funnel-preview-received'), forwarded: n('funnel-forwarded'), decoded: n('funnel-decoded'), dropped: n('funnel-dropped') };
})()`;
type Figures = { received: number; forwarded: number; decoded: number; dropped: number };

/** The page's marks (name → ms since the navigation). */
const MARKS = `Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]))`;

/** The preview canvas's centre pixel and size. */
const PIXEL = `(() => {
  const c = document.querySelector('[data-testid="preview-canvas"]');
  const d = c.getContext('2d').getImageData(c.width / 2, c.height / 2, 1, 1).data;
  return { w: c.width, h: c.height, rgb: [d[0], d[1], d[2]] };
})()`;

describe.skipIf(!need('ffmpeg', 'chromium'))('a reload with a live stream (Chromium, browser mode)', () => {
  const served = serveInChromium();

  /** The preview shows a picture of live/`key` (the page's CSP allows no string eval, so no waitForFunction). */
  const picture = async (page: Page, key: string): Promise<void> => {
    await page.locator('.video-box[data-picture="yes"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator('.preview .panel-sub').textContent(), { timeout: 20_000 }).toBe(`live/${key}`);
  };

  it('shows the stream from the early link and the early session, in its colours, and the funnel adds up from the first moment', async () => {
    const page = await served.browser.context.newPage();
    // A solid colour whose channels differ: a blank or swapped picture reads far from it.
    const pub = ffmpegPublish(`rtmp://127.0.0.1:${served.intake.port}/live/reload`, 600, { realtime: true, size: '640x360', source: 'color=c=0xc02040:' });
    await page.goto(served.uiUrl.href);
    await picture(page, 'reload');
    await page.waitForTimeout(1000);
    for (let i = 0; i < 2; i++) {
      await page.reload();
      await picture(page, 'reload');
      // The funnel from the first moment the picture shows.
      const figures: Figures[] = [];
      for (let k = 0; k < 10; k++) {
        figures.push((await page.evaluate(FIGURES)) as Figures);
        await page.waitForTimeout(50);
      }
      for (const f of figures) {
        expect(f.received).toBeGreaterThanOrEqual(f.forwarded);
        expect(f.forwarded).toBeGreaterThanOrEqual(f.decoded + f.dropped);
      }
      expect(figures[figures.length - 1].decoded).toBeGreaterThan(0);
      const m = (await page.evaluate(MARKS)) as Record<string, number>;
      // The link came from the classic script, which ran before the bundle.
      expect(m['page:early-link']).toBeLessThan(m['page:boot']);
      // The early session's GOP came before the snapshot's answer was applied (sent ahead of it by the host),
      // and the controller took that session over rather than asking again.
      expect(m['page:early-media']).toBeLessThan(m['page:snapshot']);
      expect(m['page:early-taken']).toBeGreaterThanOrEqual(m['page:snapshot']);
      expect(m['preview:first-frame']).toBeGreaterThan(m['page:early-taken']);
      expect(await page.locator('.video-box').getAttribute('data-engine')).toBe('webcodecs');
      const px = (await page.evaluate(PIXEL)) as { w: number; h: number; rgb: number[] };
      expect([px.w, px.h]).toEqual([640, 360]);
      [0xc0, 0x20, 0x40].forEach((v, c) => expect(Math.abs(px.rgb[c] - v)).toBeLessThan(24));
    }
    await artefact(page, 'preview-reload');

    // Forced MSE (?preview=mse): the early session feeds mpegts.js just as well.
    await page.goto(`${served.uiUrl.href}${served.uiUrl.search ? '&' : '?'}preview=mse`);
    await picture(page, 'reload');
    await page.reload();
    await picture(page, 'reload');
    expect(await page.locator('.video-box').getAttribute('data-engine')).toBe('mse');
    const m = (await page.evaluate(MARKS)) as Record<string, number>;
    expect(m['page:early-taken']).toBeGreaterThan(0);
    expect(m['preview:configured']).toBeUndefined();
    await page.close();
    await pub;
  }, 90_000);
});
