/**
 * A finding in the Health panel selects its moment in the timeline, in
 * Debian's Chromium against `intake serve`: ffmpeg publishes a stream with
 * 22.05 kHz audio and 10 s keyframes at four times real time, so that by the
 * time the findings are clicked (Enter on one, the mouse on another) their
 * moments are older than the 2,000 messages the window keeps and the
 * timeline has to page them in from Intake. The selected row must be the
 * message nearest the finding's first moment, within one message, by the
 * host's own record of the timeline and the stream's own clock.
 * Screenshots at 1440×900 and 1100×700 go to /tmp to be looked at.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthFinding, Snapshot, TimelineEntry, TimelinePage } from '../../app/contract/index.js';
import { TIMELINE_UI_CAP } from '../../app/contract/limits.js';
import { run } from '../support/cli.js';
import { CHROMIUM } from '../support/browser.js';
import { need } from '../support/tools.js';
import { type HealthPage, openHealthPage, testId } from './health-page.js';

const PATH = 'live/jump';

/** One request to the host over the page's own origin (the UI's WebSocket protocol), answered in the page. */
async function hostRequest<T>(page: Page, name: string, arg: unknown): Promise<T> {
  return page.evaluate(
    async ([name, arg]) => {
      const url = new URL('/ws', location.href);
      url.protocol = 'ws:';
      const token = new URLSearchParams(location.search).get('token');
      if (token) url.searchParams.set('token', token);
      const ws = new WebSocket(url);
      try {
        await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
        return await new Promise((resolve, reject) => {
          ws.onmessage = (m) => {
            if (typeof m.data !== 'string') return;
            const f = JSON.parse(m.data) as { id?: number; ok?: boolean; res?: unknown; error?: { message: string } };
            if (f.id !== 7) return;
            if (f.ok) resolve(f.res as never);
            else reject(new Error(f.error?.message));
          };
          ws.send(JSON.stringify({ id: 7, name, arg }));
        });
      } finally {
        ws.close();
      }
    },
    [name, arg] as const,
  ) as Promise<T>;
}

describe.skipIf(!need('ffmpeg', CHROMIUM))('a Health finding selects its moment in the timeline', () => {
  let ui: HealthPage;
  let page: Page;

  beforeAll(async () => {
    // 90 s of media at four times real time: ~200 messages a second for ~23 s.
    const rate = ['-readrate', '4'];
    ui = await openHealthPage((port) =>
      run('ffmpeg', [
        '-hide_banner', '-nostdin', '-loglevel', 'error',
        ...rate, '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30', ...rate, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '90',
        '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '300', '-bf', '0', '-b:v', '800k',
        '-c:a', 'aac', '-b:a', '96k', '-ar', '22050', '-ac', '2', '-f', 'flv', `rtmp://127.0.0.1:${port}/${PATH}`,
      ], 120_000),
    );
    page = ui.page;
  }, 60_000);

  afterAll(async () => {
    await ui?.close();
  });

  /** Where the UI put the selection, against the host's record: the finding's first moment, the message nearest it, and the selected one. */
  async function check(findingId: string, older = true): Promise<{ selected: TimelineEntry; nearest: TimelineEntry; finding: HealthFinding; t: number; window: TimelineEntry[] }> {
    const row = page.locator(`${testId('timeline-row')}[aria-selected="true"]`);
    await row.waitFor({ timeout: 15_000 });
    const seq = Number(await row.getAttribute('data-seq'));
    expect(await page.locator(testId('timeline-detail')).innerText()).toContain(`#${seq}`);
    const snap = await hostRequest<Snapshot>(page, 'snapshot', null);
    // Live, or ended by now (its stats and findings kept).
    const ended = snap.ended.find((e) => e.info.path === PATH);
    const stream = snap.streams.find((s) => s.path === PATH) ?? ended!.info;
    const conn = snap.connections.find((c) => c.info.connectionId === stream.connectionId)!;
    const finding = (snap.stats.find((s) => s.path === PATH) ?? ended!.stats)!.health!.findings.generic.find((f) => f.id === findingId)!;
    const t = stream.startedAt - conn.info.acceptedAt + finding.firstAtMs;
    const around = await hostRequest<TimelinePage>(page, 'timeline', { connectionId: stream.connectionId, from: Math.max(0, seq - 200), count: 400 });
    const selected = around.entries.find((e) => e.seq === seq)!;
    let nearest = around.entries[0];
    for (const e of around.entries) if (Math.abs(e.atMs - t) <= Math.abs(nearest.atMs - t)) nearest = e;
    // Within one message of the finding's moment, on the host's own timeline.
    expect(Math.abs(seq - nearest.seq), `selected #${seq} at ${selected.atMs} ms, nearest #${nearest.seq} at ${nearest.atMs} ms, finding at ${t} ms`).toBeLessThanOrEqual(1);
    // Older than what the window keeps: it came from a range paged in.
    if (older) expect(conn.messageCount - seq).toBeGreaterThan(TIMELINE_UI_CAP);
    return { selected, nearest, finding, t, window: around.entries };
  }

  it('Enter on a finding, then a click on another, each selects the message nearest its first moment', async () => {
    await page.locator(testId('health-tab')).click();
    await page.locator(testId('finding-audio-sample-rate')).waitFor({ timeout: 20_000 });
    // Enough messages since the finding that the window no longer holds its moment.
    const messages = async (): Promise<number> => Number(/·\s*([^a-z]+)\s*messages/.exec(await page.locator('.tl-summary').innerText())?.[1].replace(/\D/g, '') ?? 0);
    await expect.poll(messages, { timeout: 40_000, interval: 500 }).toBeGreaterThan(TIMELINE_UI_CAP + 1200);

    await page.locator(testId('finding-audio-sample-rate')).focus();
    await page.keyboard.press('Enter');
    const a = await check('audio-sample-rate');
    expect(await page.locator(testId('timeline-jump-note')).innerText()).toContain(`Message #${a.selected.seq} at `);
    expect(await page.locator(testId('timeline-range')).innerText()).toMatch(/^messages /);
    // The stream's own clock agrees: media of about the finding's media time arrived around then (ffmpeg's
    // first timestamp is 0). Not the selected message alone: a socket read can hold a burst of messages
    // parsed within a millisecond, and the finding's wall-clock moment is good to a millisecond.
    if (a.finding.firstMediaMs !== null) {
      const around = a.window.filter((e) => (e.kind === 'video' || e.kind === 'audio') && Math.abs(e.atMs - a.t) <= 50).map((e) => e.timestamp);
      expect(around.length).toBeGreaterThan(0);
      expect(a.finding.firstMediaMs).toBeGreaterThanOrEqual(Math.min(...around) - 100);
      expect(a.finding.firstMediaMs).toBeLessThanOrEqual(Math.max(...around) + 100);
    }
    await page.screenshot({ path: '/tmp/intake-finding-timeline-1440.png' });

    await page.locator(testId('finding-gop-long')).waitFor({ timeout: 30_000 });
    const before = await page.locator(testId('timeline-jump-note')).innerText();
    await page.locator(testId('finding-gop-long')).click();
    await expect.poll(async () => page.locator(testId('timeline-jump-note')).innerText(), { timeout: 10_000 }).not.toBe(before);
    await check('gop-long', false);
    await page.setViewportSize({ width: 1100, height: 700 });
    await new Promise((r) => setTimeout(r, 800));
    await page.screenshot({ path: '/tmp/intake-finding-timeline-1100.png' });
    expect(ui.errors).toEqual([]);
  }, 120_000);
});
