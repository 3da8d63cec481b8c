/**
 * Time to picture (issue 11: ≤ 300 ms after switching streams or reloading
 * the page), and where it goes. Two real-time publishers; the page is
 * reloaded and switched between them, each timed two ways:
 *
 * - wall: by the bench, from the Playwright action until the page reports a
 *   picture of the right stream (what the RESULTS table has always given;
 *   it includes Playwright's own round trips);
 * - steps: by the page's clock, from the click (a capture listener the
 *   bench adds) or the navigation's start, to each `performance.mark` the
 *   preview sets on its way (renderer/src/preview/start-marks.ts) and to
 *   the animation frame the bench saw the picture in (`picture`).
 *
 * `npm run bench -- --only ttp [--reps 5] [--viewers intake,intake-mse]`
 * runs this alone, in well under a minute.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS } from '../test/support/browser.js';
import { startIntake } from '../test/support/cli.js';
import { Child, sleep, track } from './child.js';
import { publisherArgs } from './latency-clock.js';
import { f, median, table } from './table.js';

/** ms from the action to each step the page marked. */
export type Steps = Record<string, number>;

/** How long until a picture: after a reload, and after switching streams (ms, each repetition), with the page's steps. */
export interface StartupTimes {
  reload: number[];
  switch: number[];
  reloadSteps: Steps[];
  switchSteps: Steps[];
}

/** The order steps are reported in: the page's own start, then the preview's (start-marks.ts), then the bench's sighting. */
export const STEP_ORDER = ['response', 'page:early-link', 'page:boot', 'page:link-open', 'page:early-media', 'page:snapshot', 'page:early-taken', 'preview:show', 'preview:engine', 'preview:request', 'preview:first-chunk', 'preview:answer', 'preview:configured', 'preview:first-decode', 'preview:first-frame', 'preview:playing', 'picture'];

/** Adds the click listener the switch steps count from (once per page load). */
const CLICK_LISTENER = `document.addEventListener('click', () => { performance.clearMarks('bench:click'); performance.mark('bench:click'); }, true)`;

/** The page's marks as ms from `from` ('nav': the navigation's start; else a mark's name). */
function readSteps(page: Page, from: string): Promise<Steps> {
  return page.evaluate(`(() => {
    const t0 = ${JSON.stringify(from)} === 'nav' ? 0 : (performance.getEntriesByName(${JSON.stringify(from)}).pop()?.startTime ?? NaN);
    const out = {};
    for (const m of performance.getEntriesByType('mark')) if (!m.name.startsWith('bench:click')) out[m.name.replace('bench:', '')] = Math.round(m.startTime - t0);
    const nav = performance.getEntriesByType('navigation')[0];
    if (${JSON.stringify(from)} === 'nav' && nav) out.response = Math.round(nav.responseEnd);
    return out;
  })()`) as Promise<Steps>;
}

/**
 * Time to picture: two real-time publishers; the page reloaded `reps` times
 * with one selected, and switched between them `reps` times, each timed from
 * the action until the preview reports a picture of the right stream
 * (`data-picture` on the video box, polled on every animation frame).
 */
export async function startupRun(o: { context: BrowserContext; uiUrl: string; rtmpPort: number; key: string; reps: number; mode?: string }): Promise<StartupTimes> {
  const keys = [`${o.key}a`, `${o.key}b`];
  const pubs = keys.map((k) => new Child(`publisher ${k}`, 'ffmpeg', publisherArgs(`rtmp://127.0.0.1:${o.rtmpPort}/live/${k}`, 30, 120)));
  const page = await o.context.newPage();
  // Marks the animation frame it sees the picture in (once), so the page's clock says when, too.
  const shows = (keys: string[]): string =>
    `(() => { const ok = document.querySelector('.video-box')?.getAttribute('data-picture') === 'yes' && ${JSON.stringify(keys.map((k) => `live/${k}`))}.includes(document.querySelector('.preview .panel-sub')?.textContent);
      if (ok && performance.getEntriesByName('bench:picture').length === 0) performance.mark('bench:picture');
      return ok; })()`;
  // On a time-out, say what the page showed instead.
  const waitPicture = (...keys: string[]): Promise<unknown> =>
    page.waitForFunction(shows(keys), undefined, { timeout: 30_000, polling: 'raf' }).catch(async (err: Error) => {
      const state = await page
        .evaluate(`JSON.stringify({ box: Object.fromEntries([...document.querySelector('.video-box')?.attributes ?? []].map((a) => [a.name, a.value])), panel: document.querySelector('.preview')?.textContent, marks: performance.getEntriesByType('mark').map((m) => m.name + '@' + Math.round(m.startTime)) })`)
        .catch(() => '(page gone)');
      throw new Error(`no picture of live/${keys.join(' or live/')}: ${err.message.split('\n')[0]}; the page: ${String(state)}`);
    });
  const out: StartupTimes = { reload: [], switch: [], reloadSteps: [], switchSteps: [] };
  try {
    const url = new URL(o.uiUrl);
    if (o.mode) url.searchParams.set('preview', o.mode);
    await page.goto(url.href);
    for (const k of keys) await page.locator(`[data-testid="stream-item"][data-path="live/${k}"]`).waitFor({ timeout: 20_000 });
    // A page opens on the newest stream: whichever publisher got there last (not always the one started last).
    const newest = await page.evaluate(`document.querySelector('[data-testid="stream-item"]')?.getAttribute('data-path')`);
    const [older, newer] = newest === `live/${keys[0]}` ? [keys[1], keys[0]] : keys;
    await page.locator(`[data-testid="stream-item"][data-path="live/${older}"]`).click();
    await waitPicture(older);
    await sleep(1500);
    for (let i = 0; i < o.reps; i++) {
      const t0 = Date.now();
      await page.reload();
      // The picked stream where a tab keeps its pick through a reload (renderer/src/store/remember-pick.ts), the newest where it does not.
      await waitPicture(older, newer);
      out.reload.push(Date.now() - t0);
      out.reloadSteps.push(await readSteps(page, 'nav'));
      await sleep(1000);
    }
    await page.evaluate(CLICK_LISTENER);
    for (let i = 0; i < o.reps; i++) {
      // The stream not shown: a click on the one shown would start nothing and time nothing.
      const shown = await page.evaluate(`document.querySelector('.preview .panel-sub')?.textContent`);
      const key = shown === `live/${older}` ? newer : older;
      const item = page.locator(`[data-testid="stream-item"][data-path="live/${key}"]`);
      await page.evaluate(`performance.clearMarks('bench:picture')`);
      const t0 = Date.now();
      await item.click();
      await waitPicture(key);
      out.switch.push(Date.now() - t0);
      out.switchSteps.push(await readSteps(page, 'bench:click'));
      await sleep(1000);
    }
    return out;
  } finally {
    await page.close().catch(() => {});
    await Promise.all(pubs.map((p) => p.stop('SIGINT', 3000)));
  }
}

/** The median of each step over repetitions, as table rows (steps no repetition reached are left out). */
export function stepRows(viewer: string, t: StartupTimes): (string | number)[][] {
  const names = [...new Set([...t.reloadSteps, ...t.switchSteps].flatMap((s) => Object.keys(s)))];
  names.sort((a, b) => (STEP_ORDER.indexOf(a) + 1 || 99) - (STEP_ORDER.indexOf(b) + 1 || 99));
  const med = (steps: Steps[], n: string): string => {
    const xs = steps.map((s) => s[n]).filter((x): x is number => Number.isFinite(x));
    return xs.length ? f(median(xs), 0) : '—';
  };
  return names.map((n) => [viewer, n, med(t.reloadSteps, n), med(t.switchSteps, n)]);
}

/**
 * `--only ttp`: time to picture alone, with its steps, for each viewer
 * (intake, intake-mse, intake-webcodecs). With `against` (a folder holding
 * a copy of an earlier bin/ and dist/, inside the checkout so its imports
 * resolve), that build runs too, interleaved round by round with this one
 * (each round 2 reloads and 2 switches per build), so a step is measured
 * before and after under the same load.
 */
export async function runTtp(o: { reps: number; viewers: string[]; against?: string; log: (s: string) => void }): Promise<string> {
  const loadavg = (): string => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' / ');
  const before = loadavg();
  const builds = [{ name: 'this build', bin: undefined as string | undefined }, ...(o.against ? [{ name: path.basename(o.against), bin: path.resolve(o.against, 'bin', 'intake.js') }] : [])];
  const hosts = [];
  for (const b of builds) {
    const intake = await startIntake(['serve', '--http-port', '0'], b.bin ? { bin: b.bin } : {});
    track(intake.proc, () => intake.stop());
    hosts.push({ ...b, intake, uiUrl: (await intake.waitFor(/^ui http:\/\//)).slice(3).trim() });
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-ttp-'));
  let context: BrowserContext | null = null;
  const wall: (string | number)[][] = [];
  const steps: (string | number)[][] = [];
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1440, height: 900 }, bypassCSP: true });
    for (const viewer of o.viewers.filter((v) => v !== 'ffplay')) {
      const all = new Map<string, StartupTimes>();
      const rounds = hosts.length > 1 ? Math.ceil(o.reps / 2) : 1;
      for (let r = 0; r < rounds; r++) {
        for (const h of r % 2 ? [...hosts].reverse() : hosts) {
          const t = await startupRun({ context, uiUrl: h.uiUrl, rtmpPort: h.intake.port, key: `ttp${viewer.replace(/\W/g, '')}${r}`, reps: hosts.length > 1 ? 2 : o.reps, mode: viewer.split('-')[1] });
          const label = hosts.length > 1 ? `${viewer} (${h.name})` : viewer;
          o.log(`bench: time to picture ${label}: reload ${t.reload.join(', ')} ms; switch ${t.switch.join(', ')} ms`);
          const acc = all.get(label) ?? { reload: [], switch: [], reloadSteps: [], switchSteps: [] };
          acc.reload.push(...t.reload);
          acc.switch.push(...t.switch);
          acc.reloadSteps.push(...t.reloadSteps);
          acc.switchSteps.push(...t.switchSteps);
          all.set(label, acc);
        }
      }
      for (const [label, t] of all) {
        wall.push([label, 'reload the page', t.reload.length, f(median(t.reload), 0), f(Math.max(...t.reload), 0)], [label, 'switch streams', t.switch.length, f(median(t.switch), 0), f(Math.max(...t.switch), 0)]);
        steps.push(...stepRows(label, t));
      }
    }
  } finally {
    await context?.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
    for (const h of hosts) await h.intake.stop();
  }
  return [
    `Load average before: ${before}; after: ${loadavg()}.`,
    '',
    table(['<viewer', '<action', 'times', 'median ms', 'max ms'], wall),
    '',
    'Steps (page clock, median ms from the navigation\'s start, or from the click):',
    '',
    table(['<viewer', '<step', 'reload', 'switch'], steps),
  ].join('\n');
}
