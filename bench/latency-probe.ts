/**
 * A look inside the real-time player while it plays: `npx tsx
 * bench/latency-probe.ts [fps] [path/to/bin/intake.js]`. One real-time
 * publisher at `fps` (60 by default) into `intake serve`, the page in
 * headless Chromium with VideoDecoder wrapped before the page loads, and
 * after 3 s of play, 8 s of: the decoder's time from decode() to its
 * output, the main thread's time in the output callback (the paint), the
 * decoder's queue at each decode, animation frames a second, long tasks,
 * and the "behind Intake" readout. Prints one line. Written for issue 11's
 * 60 fps question (bench/RESULTS.md): is it the decoder or the main thread?
 */
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS } from '../test/support/browser.js';
import { startIntake } from '../test/support/cli.js';
import { Child, sleep } from './child.js';
import { publisherArgs } from './latency-clock.js';
const fps = Number(process.argv[2] ?? 60);
const bin = process.argv[3];
const intake = await startIntake(['serve', '--http-port', '0'], bin ? { bin } : {});
const uiUrl = (await intake.waitFor(/^ui http:\/\//)).slice(3).trim();
const pub = new Child('pub', 'ffmpeg', publisherArgs(`rtmp://127.0.0.1:${intake.port}/live/p60`, fps, 40));
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
await page.addInitScript(`(() => {
  const P = { dec: [], out: [], q: [], raf: 0, longs: 0, longMs: 0, mainOut: 0 };
  window.__probe = P;
  const Orig = VideoDecoder;
  window.VideoDecoder = class extends Orig {
    constructor(init) {
      const sent = new Map();
      super({ output: (f) => { const t0 = performance.now(); const s = sent.get(f.timestamp); if (s !== undefined) { P.dec.push(t0 - s); sent.delete(f.timestamp); } init.output(f); P.out.push(performance.now() - t0); }, error: init.error });
      this.__sent = sent;
    }
    decode(c) { this.__sent.set(c.timestamp, performance.now()); super.decode(c); P.q.push(this.decodeQueueSize); }
  };
  const tick = () => { P.raf++; requestAnimationFrame(tick); }; requestAnimationFrame(tick);
  new PerformanceObserver((l) => { for (const e of l.getEntries()) { P.longs++; P.longMs += e.duration; } }).observe({ type: 'longtask', buffered: true });
})()`);
await page.goto(uiUrl);
await page.waitForFunction(`document.querySelector('.video-box')?.getAttribute('data-picture') === 'yes'`, undefined, { timeout: 30000 });
await sleep(3000);
await page.evaluate(`(() => { const P = window.__probe; P.dec = []; P.out = []; P.q = []; P.raf = 0; P.longs = 0; P.longMs = 0; })()`);
const lags: number[] = [];
for (let i = 0; i < 40; i++) { await sleep(200); lags.push(Number(await page.evaluate(`document.querySelector('[data-testid="intake-lag"]')?.getAttribute('data-ms') ?? NaN`))); }
const r = await page.evaluate(`(() => { const P = window.__probe; const s = (a) => { const v = [...a].sort((x, y) => x - y); return v.length ? { n: v.length, med: +v[v.length >> 1].toFixed(2), p90: +v[Math.floor(v.length * 0.9)].toFixed(2), max: +v[v.length - 1].toFixed(2) } : null; }; return JSON.stringify({ decodeToOutput: s(P.dec), outputCb: s(P.out), queueAtDecode: s(P.q), rafPerS: P.raf / 8, longtasks: P.longs, longMs: Math.round(P.longMs) }); })()`);
const v = lags.filter(Number.isFinite).sort((a, b) => a - b);
console.log(bin ? 'base' : 'this', fps, 'fps', r, 'readout med', v[v.length >> 1], 'p90', v[Math.floor(v.length * 0.9)], 'load', (await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').slice(0, 15));
await browser.close(); await pub.stop('SIGINT', 3000); await intake.stop();
