/**
 * The viewers the latency bench compares, each run for one publisher:
 * Intake's preview in headless Chromium (a page clock drawn beside it on
 * every animation frame, screenshotted), and ffplay with its low-delay
 * flags in an Xvfb screen (grabbed by ffmpeg's x11grab, whose frames carry
 * the wall time of the grab). Pictures are only saved here; OCR comes after
 * every run, so it never competes with a viewer for the CPU.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { Child, freePort, sleep, waitUntil } from './child.js';
import { publisherArgs } from './latency-clock.js';

/** One picture to read: the file, and the wall time of the grab when the grabber knows it (x11grab). */
export interface Shot {
  file: string;
  grabMs?: number;
  /** Intake's own readout on the page at the shot (ms), if shown. */
  readoutMs?: number;
  /** The real-time player's A/V offset at the shot (ms; + when the sound is ahead of the picture), if it had one. */
  avMs?: number;
}

/** How long a viewer plays before samples count (the "from 2 s after the preview starts"). */
export const WARMUP_MS = 2000;
/** Time between samples: enough for a screenshot to finish on 2 busy cores. */
const SAMPLE_EVERY_MS = 250;

/**
 * The page clock: a box fixed under the preview, redrawn on every animation
 * frame with Date.now() % 100000. A string, not a function: tsx would wrap a
 * function's inner names in a helper the page does not have.
 */
const CLOCK_SCRIPT = `(() => {
  const box = document.querySelector('.video-box').getBoundingClientRect();
  const el = document.createElement('div');
  el.id = 'bench-clock';
  el.style.cssText = 'position:fixed;left:' + box.left + 'px;top:' + box.bottom + 'px;width:' + box.width + 'px;height:110px;background:#000;color:#fff;' +
    "font:bold 90px 'DejaVu Sans',sans-serif;letter-spacing:0.3em;text-align:center;line-height:110px;z-index:99999";
  document.body.appendChild(el);
  const tick = () => { el.textContent = String(Date.now() % 100000).padStart(5, '0'); requestAnimationFrame(tick); };
  tick();
  return { x: Math.floor(box.left), y: Math.floor(box.top), width: Math.floor(box.width), height: Math.floor(box.height) + 110 };
})()`;

function injectClock(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  return page.evaluate(CLOCK_SCRIPT) as Promise<{ x: number; y: number; width: number; height: number }>;
}

/** Intake's preview: publish to `intake serve`, open the page, wait for a picture, then screenshot it beside the page clock. */
export async function intakeRun(o: { context: BrowserContext; uiUrl: string; rtmpPort: number; key: string; fps: number; seconds: number; dir: string; mode?: string; sound?: boolean }): Promise<Shot[]> {
  const pub = new Child(`publisher ${o.key}`, 'ffmpeg', publisherArgs(`rtmp://127.0.0.1:${o.rtmpPort}/live/${o.key}`, o.fps, o.seconds + 15));
  const page = await o.context.newPage();
  try {
    const url = new URL(o.uiUrl);
    if (o.mode) url.searchParams.set('preview', o.mode);
    await page.goto(url.href);
    // Selected by hand: on a busy machine the previous run's publisher may still be live when this page opens.
    const item = page.locator(`[data-testid="stream-item"][data-path="live/${o.key}"]`);
    await item.waitFor({ timeout: 60_000 });
    await item.click();
    const picture = `document.querySelector('.video-box')?.getAttribute('data-picture') === 'yes' || (document.querySelector('video')?.currentTime ?? 0) > 0`;
    await waitUntil(() => page.evaluate(picture), () => `a picture from ${o.key}${pub.tail()}`, 60_000, 20);
    if (o.sound) await page.locator('[data-testid="mute-toggle"]').click();
    const clip = await injectClock(page);
    await sleep(WARMUP_MS);
    const shots: Shot[] = [];
    const end = Date.now() + o.seconds * 1000;
    for (let i = 0; Date.now() < end; i++) {
      const next = Date.now() + SAMPLE_EVERY_MS;
      const file = path.join(o.dir, `${o.key}-${String(i).padStart(4, '0')}.png`);
      await page.screenshot({ path: file, clip });
      const [readout, av] = (await page.evaluate(`['data-ms', 'data-av-ms'].map((a) => document.querySelector('[data-testid="intake-lag"]')?.getAttribute(a) ?? null)`)) as (string | null)[];
      shots.push({ file, ...(readout !== null && readout !== '' ? { readoutMs: Number(readout) } : {}), ...(av !== null && av !== '' ? { avMs: Number(av) } : {}) });
      await sleep(Math.max(0, next - Date.now()));
    }
    return shots;
  } finally {
    await page.close().catch(() => {});
    await pub.stop('SIGINT', 3000);
  }
}

/** Whether something listens on 127.0.0.1:port (from /proc/net/tcp: state 0A is LISTEN). */
function listening(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').some((l) => {
    const f = l.trim().split(/\s+/);
    return f[1]?.endsWith(hex) && f[3] === '0A';
  });
}

/** An Xvfb screen of 640x360 for ffplay; resolves with its display name. */
export async function startXvfb(): Promise<{ display: string; child: Child }> {
  const child = new Child('Xvfb', 'Xvfb', ['-displayfd', '1', '-screen', '0', '640x360x24', '-nolisten', 'tcp'], {});
  const n = await waitUntil(() => child.lines.find((l) => /^\d+$/.test(l.trim())), () => `Xvfb's display number${child.tail()}`, 10_000, 20);
  return { display: `:${(n as string).trim()}`, child };
}

/**
 * ffplay as the reference: `-fflags nobuffer -flags low_delay -framedrop
 * -listen 1`, the RTMP server itself, the window at the screen's top left.
 * Audio off (there is no sound card in Xvfb, and ffplay would sync the
 * picture to a dummy audio clock); the publisher still sends it.
 */
export async function ffplayRun(o: { display: string; key: string; fps: number; seconds: number; dir: string }): Promise<Shot[]> {
  const port = await freePort();
  const env = { ...process.env, DISPLAY: o.display, SDL_AUDIODRIVER: 'dummy' };
  const flags = ['-fflags', 'nobuffer', '-flags', 'low_delay', '-framedrop'];
  const ffplay = new Child(`ffplay ${o.key}`, 'ffplay', ['-hide_banner', '-loglevel', 'error', '-an', '-noborder', '-left', '0', '-top', '0', '-x', '640', '-y', '360', ...flags, '-listen', '1', '-i', `rtmp://127.0.0.1:${port}/live/${o.key}`], { env });
  let pub: Child | null = null;
  try {
    // Not a probe connection: ffplay -listen takes one, and a probe would be it. The kernel's socket table says when it listens.
    await waitUntil(() => listening(port), () => `ffplay listening on ${port}${ffplay.tail()}`, 15_000, 50);
    pub = new Child(`publisher ${o.key}`, 'ffmpeg', publisherArgs(`rtmp://127.0.0.1:${port}/live/${o.key}`, o.fps, o.seconds + 15));
    await sleep(1000 + WARMUP_MS);
    if (!ffplay.running || !pub.running) throw new Error(`ffplay run ${o.key} stopped early${ffplay.tail()}${pub.tail()}`);
    const frames = Math.floor((o.seconds * 1000) / SAMPLE_EVERY_MS);
    // x11grab stamps each grab with the wall clock (µs); -copyts keeps it, showinfo prints it per frame.
    const grab = new Child(`x11grab ${o.key}`, 'ffmpeg', [
      ...['-hide_banner', '-nostdin', '-f', 'x11grab', '-framerate', String(1000 / SAMPLE_EVERY_MS), '-video_size', '640x360', '-i', `${o.display}.0+0,0`],
      ...['-copyts', '-fps_mode', 'passthrough', '-vf', 'showinfo', '-frames:v', String(frames), path.join(o.dir, `${o.key}-%04d.png`)],
    ], { env });
    let log = '';
    grab.proc.stderr!.on('data', (b: Buffer) => (log += b.toString()));
    await grab.exited;
    // pts in x11grab's 1/1000000 time base (pts_time is printed with 6 significant digits, too few).
    const stamps = [...log.matchAll(/\bn:\s*(\d+)\s+pts:\s*(\d+)\s/g)];
    if (stamps.length === 0) throw new Error(`x11grab printed no frame times:\n${log.slice(-2000)}`);
    return stamps.map((m) => ({ file: path.join(o.dir, `${o.key}-${String(Number(m[1]) + 1).padStart(4, '0')}.png`), grabMs: Number(m[2]) / 1000 }));
  } finally {
    await pub?.stop('SIGINT', 3000);
    await ffplay.stop('SIGTERM', 3000);
  }
}
