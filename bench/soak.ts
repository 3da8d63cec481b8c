/**
 * The soak: `streams` real-time publishers (ffmpeg -re, the fan-in input
 * looped) into `intake serve`, with Debian's Chromium showing the UI and
 * previewing one stream, for `minutes`. Every 10 s it samples the RSS of
 * Intake and of the page's renderer process; the slopes say whether memory
 * is flat (issue #8: under 150 MB and 300 MB, the last half's slope under
 * 1 MB/min). Run by `npm run bench -- --only soak [--minutes 10] [--soak-streams 20]`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium } from '../test/support/browser.js';
import { startIntake } from '../test/support/cli.js';
import { Child, sleep, track, waitUntil } from './child.js';
import type { InputInfo } from './inputs.js';
import { ROOT, SNAPSHOT, intakeBin } from './paths.js';
import { processTree } from './proc.js';
import { type RssSample, figures } from './soak-report.js';

/** Sampling period of the soak (the issue's). */
export const SOAK_SAMPLE_MS = 10_000;

/** VmRSS of a process in MB (2^20 bytes), or 0 when it is gone. */
function rssMB(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** RssAnon of a process in MB: its own memory, without the shared mappings of the Chromium binary and libraries. */
function anonMB(pid: number): number {
  try {
    const m = /^RssAnon:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** The renderer processes (`--type=renderer`) among this process's descendants: Chromium's, since the bench launched it. */
function rendererPids(): number[] {
  return processTree(process.pid).filter((pid) => {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmd.includes('--type=renderer') && !cmd.includes('--extension-process');
    } catch {
      return false;
    }
  });
}

/** What a soak run gives back. */
export interface SoakResult {
  samples: RssSample[];
  notes: string[];
}

/** One soak run of `minutes` with `streams` publishers of `src`. */
export async function soakRun(src: InputInfo, streams: number, minutes: number, log: (s: string) => void): Promise<SoakResult> {
  // The UI is served from next to the engine: the measured snapshot needs the renderer build too.
  fs.cpSync(path.join(ROOT, 'dist', 'renderer'), path.join(SNAPSHOT, 'dist', 'renderer'), { recursive: true });
  const rx = await startIntake(['serve', '--http-port', '0'], { bin: intakeBin() });
  track(rx.proc, (signal) => rx.stop(signal));
  const uiUrl = (await rx.waitFor(/^ui http:\/\//)).slice(3).trim();
  const browser = await launchChromium({ width: 1440, height: 900 });
  const notes: string[] = [];
  const pubs: Child[] = [];
  try {
    const page = await browser.context.newPage();
    await page.goto(uiUrl);
    const seconds = String(Math.ceil(minutes * 60) + 30);
    for (let i = 0; i < streams; i++) {
      // prettier-ignore
      pubs.push(new Child(`ffmpeg-${i}`, 'ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-re', '-stream_loop', '-1', '-i', path.join(ROOT, src.file),
        '-t', seconds, '-c', 'copy', '-f', 'flv', `rtmp://127.0.0.1:${rx.port}/live/soak${i}`]));
      await sleep(50);
    }
    // Preview the first stream: pick it in the streams list once it is live.
    const first = page.locator('[data-testid="stream-item"][data-path="live/soak0"]');
    await first.waitFor({ timeout: 30_000 });
    await first.click();
    await waitUntil(
      // Either player: the funnel's "decoded" counts frames the real-time (WebCodecs) player painted, or the MSE player's.
      () => page.$eval('[data-testid="funnel-decoded"]', (e) => Number(e.textContent) > 10).catch(() => false),
      () => 'the preview to play',
      30_000,
    );
    // The page's renderer: the largest (a spare renderer Chromium keeps warm is small).
    const rendererPid = (): number => rendererPids().sort((a, b) => rssMB(b) - rssMB(a))[0] ?? 0;
    // Where the renderer's memory goes: its JS heap (V8, through the DevTools protocol) and what the preview's media buffer holds.
    const cdp = await browser.context.newCDPSession(page);
    const inside = async (): Promise<{ heapMB: number; bufferedS: number; domNodes: number }> => {
      const heap = (await cdp.send('Runtime.getHeapUsage').catch(() => ({ usedSize: 0 }))) as { usedSize: number };
      // Nodes alive in the page, attached or not: a growing count is a DOM leak.
      const dom = (await cdp.send('Memory.getDOMCounters').catch(() => ({ nodes: -1 }))) as { nodes: number };
      const v = await page
        .evaluate(() => {
          const video = document.querySelector<HTMLVideoElement>('[data-testid="preview-video"]');
          const b = video?.buffered;
          return { bufferedS: b && b.length > 0 ? b.end(b.length - 1) - b.start(0) : 0 };
        })
        .catch(() => ({ bufferedS: -1 }));
      return { heapMB: heap.usedSize / 2 ** 20, domNodes: dom.nodes, ...v };
    };
    const samples: RssSample[] = [];
    const t0 = Date.now();
    const end = t0 + minutes * 60_000;
    for (let next = t0; next <= end; next += SOAK_SAMPLE_MS) {
      await sleep(Math.max(0, next - Date.now()));
      const rp = rendererPid();
      const s = { min: (Date.now() - t0) / 60_000, intakeMB: rssMB(rx.proc.pid!), rendererMB: rssMB(rp), rendererAnonMB: anonMB(rp), ...(await inside()) };
      samples.push(s);
      log(`soak: ${s.min.toFixed(1)} min  intake ${s.intakeMB.toFixed(1)} MB  renderer ${s.rendererMB.toFixed(1)} MB (anon ${s.rendererAnonMB.toFixed(1)} MB, JS heap ${s.heapMB.toFixed(1)} MB, ${s.domNodes} DOM nodes, preview buffer ${s.bufferedS.toFixed(1)} s)`);
      const dead = pubs.filter((p) => p.exitCode !== null).length;
      if (dead > 0) throw new Error(`${dead} publisher(s) ended early${pubs.find((p) => p.exitCode !== null)?.tail() ?? ''}`);
    }
    const frames = await page.$eval('[data-testid="funnel-decoded"]', (e) => Number(e.textContent)).catch(() => -1);
    const live = await page.locator('[data-testid="stream-item"]').count();
    notes.push(`At the end the page listed ${live} streams and its preview had decoded ${frames} frames; every publisher was still sending.`);
    const i = figures(samples, (s) => s.intakeMB);
    const r = figures(samples, (s) => s.rendererMB);
    log(`soak: intake slope ${i.slopeAll.toFixed(2)} MB/min (last half ${i.slopeLastHalf.toFixed(2)}), renderer ${r.slopeAll.toFixed(2)} (last half ${r.slopeLastHalf.toFixed(2)})`);
    return { samples, notes };
  } finally {
    for (const p of pubs) await p.stop().catch(() => {});
    await browser.close();
    await rx.stop();
  }
}

/** The commit the soak measured (short hash), for the results. */
export function commit(): string {
  return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
}
