import net from 'node:net';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artefact } from '../support/browser.js';
import { serveInChromium } from '../support/serve-page.js';
import { need } from '../support/tools.js';
import { ffmpegPublish } from './publish-helpers.js';

/**
 * The real-time preview in Debian's Chromium against `intake serve`: it
 * decodes H.264 with WebCodecs, the capture funnel's preview figures add up
 * at every moment sampled, and the "behind Intake" readout tells the truth
 * against a delay injected between Intake and the page.
 */

/** A TCP proxy that holds every server-to-page byte for `delayMs` (in order), so the page gets each frame that much later. */
function delayingProxy(targetPort: number, delayMs: number): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((page) => {
    const up = net.connect({ host: '127.0.0.1', port: targetPort });
    for (const s of [page, up]) {
      sockets.add(s);
      s.setNoDelay(true);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    page.pipe(up);
    up.on('data', (b: Buffer) => setTimeout(() => page.writable && page.write(b), delayMs));
    up.on('end', () => setTimeout(() => page.end(), delayMs));
  });
  return new Promise((resolve) => {
    server.listen({ host: '127.0.0.1', port: 0 }, () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      }),
    );
  });
}

const testId = (id: string): string => `[data-testid="${id}"]`;

/** The funnel and the readout as the page shows them at one moment. */
const FIGURES = `(() => {
  const n = (id) => Number(document.querySelector('[data-testid="' + id + '"]')?.textContent);
  const lag = document.querySelector('[data-testid="intake-lag"]')?.getAttribute('data-ms');
  return { received: n('funnel-preview-received'), forwarded: n('funnel-forwarded'), decoded: n('funnel-decoded'), dropped: n('funnel-dropped'), lag: lag ? Number(lag) : NaN };
})()`;
type Figures = { received: number; forwarded: number; decoded: number; dropped: number; lag: number };

/** The p-th percentile (nearest rank). */
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

describe.skipIf(!need('ffmpeg', 'chromium'))('the real-time preview in Chromium', () => {
  const served = serveInChromium();

  /**
   * Open `url`, wait for the stream's picture and for the preview to have
   * caught up from its cached GOP (its readout once below `settledMs`; on a
   * busy machine that takes a while), then sample the figures `count` times.
   */
  async function watch(page: Page, url: string, key: string, count: number, settledMs = 1000): Promise<Figures[]> {
    await page.goto(url);
    await page.locator(`${testId('stream-item')}[data-path="live/${key}"][aria-selected="true"]`).waitFor({ timeout: 20_000 });
    await page.locator('.video-box[data-picture="yes"]').waitFor({ timeout: 20_000 });
    await expect.poll(async () => ((await page.evaluate(FIGURES)) as Figures).lag, { timeout: 20_000 }).toBeLessThan(settledMs);
    const out: Figures[] = [];
    for (let i = 0; i < count; i++) {
      await page.waitForTimeout(100);
      out.push((await page.evaluate(FIGURES)) as Figures);
    }
    return out;
  }

  it('decodes H.264 with WebCodecs, and the preview funnel adds up at every moment', async () => {
    const page = await served.browser.context.newPage();
    const pub = ffmpegPublish(`rtmp://127.0.0.1:${served.intake.port}/live/funnel`, 360, { realtime: true, size: '640x360' });
    const figures = await watch(page, served.uiUrl.href, 'funnel', 40);
    // WebCodecs exists only in a secure context: the page on 127.0.0.1 is one.
    expect(await page.evaluate(`VideoDecoder.isConfigSupported({ codec: 'avc1.64001f' }).then((r) => r.supported)`)).toBe(true);
    expect(await page.locator('.video-box').getAttribute('data-engine')).toBe('webcodecs');
    for (const f of figures) {
      expect(f.received).toBeGreaterThanOrEqual(f.forwarded);
      expect(f.forwarded).toBeGreaterThanOrEqual(f.decoded + f.dropped);
    }
    const last = figures[figures.length - 1];
    expect(last.decoded).toBeGreaterThan(30); // it plays, not only adds up
    expect(figures.some((f) => Number.isFinite(f.lag))).toBe(true);
    await artefact(page, 'preview-live-funnel');
    await page.close();
    await pub;
  }, 90_000);

  it('paints the stream\'s own picture on the canvas, colours in place', async () => {
    const page = await served.browser.context.newPage();
    // A solid colour whose channels differ: a red/blue swap or a blank canvas reads far from it.
    const pub = ffmpegPublish(`rtmp://127.0.0.1:${served.intake.port}/live/colour`, 240, { realtime: true, size: '640x360', source: 'color=c=0xc02040:' });
    await watch(page, served.uiUrl.href, 'colour', 1, 2000);
    const px = (await page.evaluate(`(() => {
      const c = document.querySelector('[data-testid="preview-canvas"]');
      const d = c.getContext('2d').getImageData(c.width / 2, c.height / 2, 1, 1).data;
      return { w: c.width, h: c.height, rgb: [d[0], d[1], d[2]] };
    })()`)) as { w: number; h: number; rgb: number[] };
    expect([px.w, px.h]).toEqual([640, 360]);
    // 4:2:0 and limited-range YUV round trips move each channel by a few steps, not by 60.
    const want = [0xc0, 0x20, 0x40];
    px.rgb.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(24));
    await page.close();
    await pub;
  }, 90_000);

  it('shows a delay injected between Intake and the page in its "behind Intake" readout', async () => {
    const delayMs = 600;
    const proxy = await delayingProxy(Number(served.uiUrl.port), delayMs);
    const pub = ffmpegPublish(`rtmp://127.0.0.1:${served.intake.port}/live/delay`, 600, { realtime: true, size: '640x360' });
    try {
      const direct = await served.browser.context.newPage();
      const base = (await watch(direct, served.uiUrl.href, 'delay', 30)).map((f) => f.lag).filter(Number.isFinite);
      await direct.close();
      const viaProxy = new URL(served.uiUrl.href);
      viaProxy.port = String(proxy.port);
      const delayed = await served.browser.context.newPage();
      const late = (await watch(delayed, viaProxy.href, 'delay', 30, delayMs + 1000)).map((f) => f.lag).filter(Number.isFinite);
      await delayed.close();
      expect(base.length).toBeGreaterThan(20);
      expect(late.length).toBeGreaterThan(20);
      // Never less than the delay itself: the readout cannot under-report what was added after Intake.
      expect(Math.min(...late)).toBeGreaterThanOrEqual(delayMs - 5);
      // Lower quartiles: a load spike on a busy machine lengthens a few readings (truthfully), not the quartile.
      const added = pct(late, 25) - pct(base, 25);
      console.log(`readout: direct ${pct(base, 25)}/${pct(base, 50)} ms (p25/median), with ${delayMs} ms injected ${pct(late, 25)}/${pct(late, 50)} ms: +${added}`);
      expect(added).toBeGreaterThan(delayMs * 0.75);
      expect(added).toBeLessThan(delayMs * 1.5);
    } finally {
      await proxy.close();
      await pub;
    }
  }, 120_000);
});
