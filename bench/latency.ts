/**
 * Glass to glass: `npm run bench -- --only latency [--reps 3] [--latency-seconds 15] [--viewers ffplay,intake]`.
 *
 * A real-time ffmpeg publisher burns the wall clock into every frame as it
 * makes it (latency-clock.ts). Each viewer shows the stream and is pictured
 * at known times: Intake's preview in headless Chromium beside a clock the
 * page draws on every animation frame (so the picture and the clock are
 * composited together), and ffplay with its low-delay flags in Xvfb,
 * grabbed by x11grab, which stamps each grab with the wall clock. OCR reads
 * the digits back afterwards; lag = clock at the picture − clock in the
 * frame. Runs are interleaved (viewer order alternates per repetition) at
 * 30 and 60 fps. Not part of `npm run check`.
 *
 * Viewers: `ffplay`, `intake` (the preview as it ships), `intake-mse` and
 * `intake-webcodecs` (the page's `?preview=` override).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS } from '../test/support/browser.js';
import { startIntake } from '../test/support/cli.js';
import { track } from './child.js';
import { clockDiff, readClocks } from './latency-clock.js';
import { type StartupTimes, startupRun } from './latency-startup.js';
import { type Shot, ffplayRun, intakeRun, startXvfb } from './latency-viewers.js';
import { BENCH_DIR, WORK } from './paths.js';
import { emptyDir } from './flv-count.js';
import { f, median, table } from './table.js';

/** What one viewer showed at one frame rate: lags (ms) and Intake's own readout at the same moments. */
interface Cell {
  viewer: string;
  fps: number;
  lags: number[];
  readouts: number[];
  /** The player's A/V offsets at the same moments (ms). */
  av: number[];
  unread: number;
}

export interface LatencyOptions {
  reps: number;
  seconds: number;
  viewers: string[];
  command: string;
  writeResults: boolean;
  /** Intake's preview unmuted (the mute button clicked): the sound is heard, and the picture is held for it. */
  sound?: boolean;
  /** A folder with a copy of an earlier bin/ and dist/ (inside the checkout): each Intake viewer runs against it too, as `<viewer>@base`, interleaved. */
  against?: string;
  log: (s: string) => void;
}

const FPS = [30, 60] as const;
const MARK_START = '<!-- latency:start -->';
const MARK_END = '<!-- latency:end -->';

/** A/V offsets as "median / p90 of |x| (share within ±45 ms)", or — without any. */
function avText(xs: number[]): string {
  if (!xs.length) return '—';
  const inside = xs.filter((x) => Math.abs(x) <= 45).length / xs.length;
  return `${f(median(xs), 0)} / ${f(percentile(xs.map(Math.abs), 90), 0)} (${Math.round(inside * 100)} %)`;
}

/** The p-th percentile (nearest rank) of finite numbers. */
export function percentile(xs: number[], p: number): number {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length ? v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)] : NaN;
}

async function read(shots: Shot[], cell: Cell): Promise<void> {
  // Two OCR processes at a time: the machine has two cores.
  for (let i = 0; i < shots.length; i += 2) {
    await Promise.all(
      shots.slice(i, i + 2).map(async (s) => {
        const nums = await readClocks(s.file).catch(() => []);
        const lag = s.grabMs !== undefined ? (nums.length === 1 ? clockDiff(s.grabMs, nums[0]) : NaN) : nums.length === 2 ? clockDiff(nums[1], nums[0]) : NaN;
        // A lag outside 0..10 s is a misread digit, not a measurement.
        if (Number.isFinite(lag) && lag >= 0 && lag < 10_000) cell.lags.push(lag);
        else cell.unread++;
        if (s.readoutMs !== undefined) cell.readouts.push(s.readoutMs);
        if (s.avMs !== undefined) cell.av.push(s.avMs);
      }),
    );
  }
}

function report(cells: Cell[], startup: Map<string, StartupTimes>, o: LatencyOptions, started: number, load: { before: string; after: string }): string {
  const pageClock = (steps: StartupTimes['reloadSteps']): string => f(median(steps.map((s) => s.picture).filter((x) => Number.isFinite(x))), 0);
  const startRows = [...startup].flatMap(([viewer, t]) => [
    [viewer, 'reload the page', t.reload.length, f(median(t.reload), 0), f(Math.max(...t.reload), 0), pageClock(t.reloadSteps)],
    [viewer, 'switch streams', t.switch.length, f(median(t.switch), 0), f(Math.max(...t.switch), 0), pageClock(t.switchSteps)],
  ]);
  const rows = cells.map((c) => [c.viewer, c.fps, c.lags.length, c.unread, f(median(c.lags), 0), f(percentile(c.lags, 90), 0), f(Math.min(...c.lags), 0), f(Math.max(...c.lags), 0), c.readouts.length ? f(median(c.readouts), 0) : '—', avText(c.av)]);
  return [
    MARK_START,
    '## Glass to glass (preview latency)',
    '',
    `Command: \`${o.command}\` (${new Date(started).toISOString()}, ${f((Date.now() - started) / 60000, 1)} min, ${o.reps} interleaved repetitions of ${o.seconds} s per viewer and frame rate).`,
    '',
    `Machine load (\`uptime\`) before: ${load.before}; after: ${load.after}. ${os.availableParallelism()} cores, shared with other work during the run, so absolute figures move with it.`,
    '',
    'Lag = wall clock where the picture is seen − wall clock burnt into the frame by the publisher (x264 ultrafast zerolatency, so the encoder is inside it). Intake: headless Chromium screenshots of the preview beside a clock the page draws on every animation frame. ffplay: `-fflags nobuffer -flags low_delay -framedrop -listen 1` in Xvfb, grabbed by x11grab (stamped with the wall clock). Samples from 2 s after the first picture, every 250 ms; "unread" are pictures OCR could not read (left out). "readout" is the median of what Intake\'s own "behind" figure said at the same moments.',
    '',
    table(['<viewer', 'fps', 'samples', 'unread', 'median ms', 'p90 ms', 'min', 'max', 'readout ms', 'A/V ms'], rows),
    '',
    '"A/V": the real-time player\'s own figure at the same moments, the media time of the sound reaching the output (the context time at the output from the AudioContext\'s getOutputTimestamp) minus that of the picture on the canvas; median, then p90 of its size, and the share within ±45 ms (the picture\'s own way to the screen, about a frame, is not in it). The publisher\'s tone and picture share one clock.',
    '',
    o.sound ? "Intake's preview played with the sound on (`--sound`): a frame more than 35 ms ahead of its sound waits for it (at most 60 ms)." : "Intake's preview muted, as it starts (frames painted as decoded; `--sound` plays it unmuted).",
    '',
    'Targets (issue 11): median ≤ 150 ms and p90 ≤ 250 ms glass to glass at 30 and 60 fps; audio within ±45 ms of the picture.',
    '',
    '### Time to picture',
    '',
    'Two real-time 30 fps publishers; n/a: no picture within 30 s. From the reload (or the click on the other stream) until the preview reports a picture of the selected stream, timed by the bench around Playwright (a reload includes loading the page and its scripts; a click includes Playwright\'s own checks before it clicks). "page clock": the same on the page\'s own clock, from the navigation\'s start or the click event to the animation frame that shows the picture (`npm run bench -- --only ttp` gives each step). Target: ≤ 300 ms.',
    '',
    startRows.length ? table(['<viewer', '<action', 'times', 'median ms', 'max ms', 'page clock median ms'], startRows) : '(not run)',
    MARK_END,
  ].join('\n');
}

/** Put the section into bench/RESULTS.md, replacing an earlier one, keeping everything else. */
export function writeSection(file: string, section: string): void {
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const a = old.indexOf(MARK_START);
  const b = old.indexOf(MARK_END);
  const next = a >= 0 && b > a ? old.slice(0, a) + section + old.slice(b + MARK_END.length) : `${old.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(file, next);
}

/** Run the latency bench; returns the Markdown section (also written into RESULTS.md unless told not to). */
export async function runLatency(o: LatencyOptions): Promise<string> {
  const started = Date.now();
  const uptime = (): string => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' / ');
  const load = { before: `load average ${uptime()}`, after: '' };
  const dir = path.join(WORK, 'latency');
  emptyDir(dir);
  const intake = await startIntake(['serve', '--http-port', '0']);
  track(intake.proc, () => intake.stop());
  const uiUrl = (await intake.waitFor(/^ui http:\/\//)).slice(3).trim();
  const base = o.against ? await startIntake(['serve', '--http-port', '0'], { bin: path.resolve(o.against, 'bin', 'intake.js') }) : null;
  if (base) track(base.proc, () => base.stop());
  const baseUrl = base ? (await base.waitFor(/^ui http:\/\//)).slice(3).trim() : '';
  const host = (viewer: string): { uiUrl: string; rtmpPort: number } => (base && viewer.endsWith('@base') ? { uiUrl: baseUrl, rtmpPort: base.port } : { uiUrl, rtmpPort: intake.port });
  const mode = (viewer: string): string | undefined => viewer.replace(/@base$/, '').split('-')[1];
  const viewers = base ? [...o.viewers, ...o.viewers.filter((v) => v !== 'ffplay').map((v) => `${v}@base`)] : o.viewers;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-latency-'));
  let context: BrowserContext | null = null;
  const x = o.viewers.includes('ffplay') ? await startXvfb() : null;
  const cells = new Map<string, Cell>();
  const startup = new Map<string, StartupTimes>();
  try {
    // bypassCSP: waitForFunction polls a string of script, which the page's CSP (no eval) would refuse.
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1440, height: 900 }, bypassCSP: true });
    const pending: { shots: Shot[]; cell: Cell }[] = [];
    let n = 0;
    for (let rep = 1; rep <= o.reps; rep++) {
      for (const fps of FPS) {
        const order = rep % 2 ? viewers : [...viewers].reverse();
        for (const viewer of order) {
          const key = `r${rep}f${fps}${viewer.replace(/\W/g, '')}${n++}`;
          const cellKey = `${viewer}@${fps}`;
          if (!cells.has(cellKey)) cells.set(cellKey, { viewer, fps, lags: [], readouts: [], av: [], unread: 0 });
          const shots =
            viewer === 'ffplay'
              ? await ffplayRun({ display: x!.display, key, fps, seconds: o.seconds, dir })
              : await intakeRun({ context, ...host(viewer), key, fps, seconds: o.seconds, dir, mode: mode(viewer), sound: o.sound ?? false });
          o.log(`bench: latency rep ${rep} ${fps} fps ${viewer}: ${shots.length} pictures`);
          pending.push({ shots, cell: cells.get(cellKey)! });
        }
      }
    }
    for (const viewer of viewers.filter((v) => v !== 'ffplay')) {
      // A viewer that shows no picture in time is reported as such; the glass-to-glass runs are kept either way.
      const t = await startupRun({ context, ...host(viewer), key: `start${viewer.replace(/\W/g, '')}`, reps: Math.max(3, o.reps), mode: mode(viewer) }).catch((err: Error) => {
        o.log(`bench: time to picture ${viewer} failed: ${err.message.split('\n')[0]}`);
        return { reload: [NaN], switch: [NaN], reloadSteps: [], switchSteps: [] };
      });
      o.log(`bench: time to picture ${viewer}: reload ${t.reload.join(', ')} ms; switch ${t.switch.join(', ')} ms`);
      startup.set(viewer, t);
    }
    load.after = `load average ${uptime()}`;
    o.log('bench: latency: reading the clocks (OCR)...');
    for (const p of pending) await read(p.shots, p.cell);
  } finally {
    await context?.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
    await x?.child.stop('SIGTERM', 3000);
    await intake.stop();
    await base?.stop();
  }
  const ordered = [...cells.values()].sort((a, b) => a.fps - b.fps || viewers.indexOf(a.viewer) - viewers.indexOf(b.viewer));
  const section = report(ordered, startup, o, started, load);
  if (o.writeResults) writeSection(path.join(BENCH_DIR, 'RESULTS.md'), section);
  return section;
}
