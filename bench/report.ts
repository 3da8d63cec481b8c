/** bench/RESULTS.md: method, per-run tables, ratios, and the targets with PASS/FAIL. */
import type { machine, provenance } from './environment.js';
import type { InprocResult } from './inproc.js';
import type { InputInfo } from './inputs.js';
import type { FaninResult, IngestResult } from './scenarios.js';
import { FANIN_STAGGER_MS, SETTLE_MS } from './scenarios.js';
import { f, median, pct, table } from './table.js';
import { type SessionPart, type Verdict, captureVerdict, faninVerdicts, formatRatios, healthRatios, healthVerdicts, ingestVerdicts, ratios, ratiosOf } from './targets.js';

/** A result and the repetition it belongs to. */
export type Repeated<T> = T & { rep: number };

/** Everything one run measured. */
export interface RunResults {
  command: string;
  started: number;
  minutes: number;
  reps: number;
  machine: ReturnType<typeof machine>;
  provenance: ReturnType<typeof provenance>;
  /** dist/ was rebuilt during the run at this time (the snapshot was measured). */
  rebuiltAt: string | null;
  shebangFlags: string[];
  /** --against: the folder whose bin/intake.js ran as `intake@base`. */
  against: string | null;
  ingestSrc: InputInfo;
  faninSrc: InputInfo;
  /** [repetition][intake, nginx in run order] per chunk size. */
  ingest: Repeated<IngestResult>[][];
  /** The health analyser's cost: adjacent [A, B] pairs of intake and intake-nohealth in run order, two per chunk size and repetition. */
  health: Repeated<IngestResult>[][];
  /** Per fan-in size: [repetition][intake, nginx]. */
  fanin: Map<number, Repeated<FaninResult>[][]>;
  inproc: InprocResult[];
}

const repHeaders = (n: number): string[] => Array.from({ length: n }, (_, i) => `rep ${i + 1}`);

function method(r: RunResults): string {
  const sizes = [...r.fanin.keys()].join(' and ') || '100';
  return [
    `- Receivers: Intake = \`bin/intake.js record --out bench/work/rec-intake --port 0\`, started by test/support/cli.ts with the node flags of its shebang (${r.shebangFlags.join(' ') || 'none'}) from the snapshot of bin/ + dist/; nginx-rtmp = nginx with master + 1 worker, \`record all\` to bench/work/rec-nginx (config in bench/work/nginx/nginx.conf). Both record every publish; each is started fresh for every measurement and stopped after it.`,
    `- CPU: utime + stime (+ cutime + cstime) summed over the receiver's process tree from /proc/PID/stat, sampled after the receiver is idle and again once the stream(s) have ended and the receiver is idle again (for fan-in: over the window only). Peak RSS: **sum** of VmHWM over the tree (Intake: 1 process; nginx: master + worker); MB here = 2^20 bytes.`,
    `- Publisher: our own pusher (\`node bin/intake.js push FILE URL --chunk-size N\` for ingest; \`bench/fanin-pusher.ts\`, one process with ${sizes} RtmpPublisher connections, for fan-in).`,
    `- Ingest input: ${r.ingestSrc.file}, ${f(r.ingestSrc.bytes / 1e6, 1)} MB, ${f(r.ingestSrc.durationS, 1)} s of 1280x720 30 fps H.264 (libx264 ultrafast, 8 Mbit/s, GOP 60) + AAC 128k, ${f(r.ingestSrc.mbitPerS)} Mbit/s, ${r.ingestSrc.videoFrames} coded video frames; pushed as fast as the socket takes it. MB/s and CPU s/GB are per 10^6 / 10^9 bytes of FLV tag payload pushed (${r.ingestSrc.payloadBytes} bytes), MB/s over the pusher's own wall time.`,
    `- Fan-in input: ${r.faninSrc.file}, ${f(r.faninSrc.bytes / 1e6, 1)} MB, ${f(r.faninSrc.durationS, 1)} s, ${f(r.faninSrc.mbitPerS)} Mbit/s, ${r.faninSrc.videoFrames} coded video frames. N publishers connect, then each starts in real time, publisher i at +${FANIN_STAGGER_MS}·i ms; the CPU window runs from when all N are sending to when the first one has sent its last tag (every stream live throughout). CPU % = CPU seconds / window seconds × 100 (100 % = one core).`,
    `- Capture: coded video frames in the recording (app/media/video-tag.ts decides what a frame is), counted with the engine's FLV reader, ÷ coded video frames in the input; fan-in: the minimum over the N recordings (a missing recording counts as 0).`,
    `- Interleaving: each repetition runs both receivers back to back, Intake first in odd repetitions and nginx first in even ones. Ratios are intake ÷ nginx within a repetition; targets are judged on the medians of those per-repetition ratios (memory: on the median of Intake's peak RSS).`,
    `- Every ingest run first reads the input through (the pusher reads it from the page cache) and waits ${SETTLE_MS / 1000} s idle before it starts its receiver.`,
    `- Health analyser's cost (issue 9's bound: intake ÷ intake-nohealth ≤ 1.05): after the ingest runs of each chunk size, one Intake run that is not counted, then \`intake\` and \`intake-nohealth\` (the same Intake started with INTAKE_HEALTH=off) as A B B A in odd repetitions and B A A B in even ones. Each counted run is a session: the receiver takes ${r.health[0]?.[0]?.pushCpu.length ?? 1} pushes of the ingest input in a row (one publish each; the recordings counted and deleted after each push). Each adjacent pair gives one ratio of CPU per GB over the whole session, and the bound is judged on their median; the ratios of the first push alone (a fresh process: V8's warm-up included) and of the later pushes are shown too.`,
    ...(r.against ? [`- \`intake@base\`: ${r.against}/bin/intake.js, another build, run between intake and nginx in every repetition (\`--against\`); it is not judged against the targets.`] : []),
  ].join('\n');
}

function ingestSection(r: RunResults): string[] {
  const md = ['## Ingest (one publisher, as fast as possible)', ''];
  const rows = r.ingest.flat().map((x) => [x.rep, x.chunkSize, x.receiver, f(x.mbps, 0), f(x.cpu), f(x.cpuPerGB), f(x.rssMB, 1), `${pct(x.capture)} (${x.frames}/${x.expected})`, f(x.pusherCpu), f(x.seconds)]);
  md.push(table(['rep', 'chunk', '<receiver', 'MB/s', 'CPU s', 'CPU s/GB', 'peak RSS MB', 'capture', 'pusher CPU s', 'push s'], rows), '');
  md.push('Ratios intake ÷ nginx per repetition, and their median:', '');
  const ratioRows: (string | number)[][] = [];
  for (const cs of [4096, 128]) {
    const pairs = r.ingest.filter((p) => p[0].chunkSize === cs);
    for (const [label, key] of [['CPU s/GB', (x: IngestResult) => x.cpuPerGB], ['MB/s', (x: IngestResult) => x.mbps], ['peak RSS', (x: IngestResult) => x.rssMB]] as const) {
      const rs = ratios(pairs, key);
      ratioRows.push([cs, label, ...rs.map((x) => f(x, 3)), `**${f(median(rs), 3)}**`]);
    }
  }
  md.push(table(['chunk', '<metric', ...repHeaders(r.reps), 'median'], ratioRows), '');
  const formatRows: (string | number)[][] = [];
  for (const cs of [4096, 128]) {
    const pairs = r.ingest.filter((p) => p[0].chunkSize === cs);
    for (const name of ['intake-mp4', 'intake-mkv', 'intake@base']) {
      const rs = formatRatios(pairs, name, (x: IngestResult) => x.cpuPerGB);
      if (rs.length) formatRows.push([cs, `${name} ÷ intake (FLV), CPU s/GB`, ...rs.map((x) => f(x, 3)), `**${f(median(rs), 3)}**`]);
    }
  }
  if (formatRows.length) md.push('Recording MP4 / MKV and intake@base (--against) against Intake recording FLV, per repetition:', '', table(['chunk', '<metric', ...repHeaders(r.reps), 'median'], formatRows), '');
  md.push('Medians of the raw numbers:', '');
  const mrows: (string | number)[][] = [];
  for (const cs of [4096, 128]) {
    for (const name of ['intake', 'intake@base', 'intake-mp4', 'intake-mkv', 'nginx'].filter((n) => r.ingest.flat().some((x) => x.receiver === n))) {
      const rs = r.ingest.flat().filter((x) => x.chunkSize === cs && x.receiver === name);
      mrows.push([cs, name, f(median(rs.map((x) => x.mbps)), 0), f(median(rs.map((x) => x.cpuPerGB))), f(median(rs.map((x) => x.rssMB)), 1), pct(Math.min(...rs.map((x) => x.capture))), f(median(rs.map((x) => x.pusherCpu)))]);
    }
  }
  md.push(table(['chunk', '<receiver', 'MB/s', 'CPU s/GB', 'peak RSS MB', 'capture (min)', 'pusher CPU s'], mrows));
  return md;
}

function healthSection(r: RunResults): string[] {
  const md = ["## The health analyser's cost (Intake with and without it, ingest)", ''];
  const rows = r.health.flat().map((x) => [x.rep, x.chunkSize, x.receiver, f(x.mbps, 0), f(x.cpu), x.pushCpu.map((c) => f(c)).join(' + '), f(x.cpuPerGB), f(x.rssMB, 1), `${pct(x.capture)} (${x.frames}/${x.expected})`]);
  md.push(table(['rep', 'chunk', '<receiver', 'MB/s', 'CPU s', 'CPU s per push', 'CPU s/GB', 'peak RSS MB', 'capture'], rows), '');
  const ratioRows: (string | number)[][] = [];
  const parts: [SessionPart, string][] = [
    ['session', 'CPU/GB, whole session (judged)'],
    ['first', 'CPU, first push (fresh process)'],
    ['later', 'CPU, later pushes'],
  ];
  for (const cs of [4096, 128]) {
    for (const [part, label] of parts) {
      const rs = healthRatios(r.health, cs, part);
      if (rs.length) ratioRows.push([cs, label, ...rs.map((x) => f(x, 3)), `**${f(median(rs), 3)}**`]);
    }
  }
  const pairs = Math.max(0, ...ratioRows.map((row) => row.length - 3));
  md.push('intake ÷ intake-nohealth per adjacent pair in run order (two per repetition), and their median:', '', table(['chunk', '<ratio', ...Array.from({ length: pairs }, (_, i) => `pair ${i + 1}`), 'median'], ratioRows));
  return md;
}

function faninSection(streams: number, pairs: Repeated<FaninResult>[][]): string[] {
  const md = [`## Fan-in (${streams} real-time publishers, one pusher process)`, ''];
  const rows = pairs.flat().map((x) => [x.rep, x.receiver, f(x.windowS, 1), f(x.cpuPct, 1), f(x.cpuAll), f(x.rssMB, 1), x.recordings, pct(x.captureMin), f(x.pusherCpuPct, 1), f(x.pusherMaxLagMs, 1)]);
  md.push(table(['rep', '<receiver', 'window s', 'CPU %', 'CPU s (whole session)', 'peak RSS MB', 'recordings', 'capture min', 'pusher CPU %', 'pusher max lag ms'], rows), '');
  const of = (name: string, key: (x: FaninResult) => number): number[] => pairs.map((p) => key(p.find((x) => x.receiver === name)!));
  const line = (label: string, xs: number[], d: number): (string | number)[] => [label, ...xs.map((x) => f(x, d)), `**${f(median(xs), d)}**`];
  md.push(
    table(
      ['<metric', ...repHeaders(pairs.length), 'median'],
      [
        line('CPU % ratio intake ÷ nginx', ratios(pairs, (x) => x.cpuPct), 3),
        line('peak RSS ratio intake ÷ nginx', ratios(pairs, (x) => x.rssMB), 2),
        line('Intake peak RSS MB', of('intake', (x) => x.rssMB), 1),
        line('nginx peak RSS MB', of('nginx', (x) => x.rssMB), 1),
        line('Intake CPU %', of('intake', (x) => x.cpuPct), 1),
        line('nginx CPU %', of('nginx', (x) => x.cpuPct), 1),
        ...(pairs[0].some((x) => x.receiver === 'intake@base')
          ? [
              line('CPU % ratio intake@base ÷ nginx', ratiosOf(pairs, 'intake@base', 'nginx', (x) => x.cpuPct), 3),
              line('CPU % ratio intake ÷ intake@base', ratiosOf(pairs, 'intake', 'intake@base', (x) => x.cpuPct), 3),
              line('intake@base peak RSS MB', of('intake@base', (x) => x.rssMB), 1),
            ]
          : []),
      ],
    ),
  );
  return md;
}

function inprocSection(inproc: InprocResult[]): string[] {
  return [
    '## Engine in-process, no sockets (replay of a captured publish session)',
    '',
    'Client→server bytes of one `intake push` of the ingest file, captured by a TCP proxy in front of Intake and replayed in the read sizes the proxy saw. MB/s = 10^6 wire bytes per second of wall time; median of the timed passes after one warm-up (at most 3 passes for +record). *decoder*: `ChunkDecoder` alone on the bytes after C0/C1/C2; *pipeline*: `Engine` → connection → `Session` → `LiveStream` through a fake socket, no recording; *+record*: the same with the recorder writing to bench/work, timed until the file is finalised.',
    '',
    table(
      ['chunk', 'capture MB', 'reads (mean KB)', 'decoder MB/s', 'pipeline MB/s', '+record MB/s', 'video frames (decoder / pipeline / record / expected)', '<decoder passes MB/s'],
      inproc.map((x) => [
        x.chunkSize,
        f(x.bytes / 1e6, 1),
        `${x.reads} (${f(x.bytes / x.reads / 1024, 1)})`,
        f(x.decoder.medianMBps, 0),
        f(x.pipeline.medianMBps, 0),
        f(x.record.medianMBps, 0),
        `${x.decoder.videoFrames} / ${x.pipeline.videoFrames} / ${x.record.videoFrames} / ${x.expectedVideo}`,
        x.decoder.mbps.map((v) => f(v, 0)).join(', '),
      ]),
    ),
  ];
}

/** Every target judged on this run. */
export function verdicts(r: RunResults): Verdict[] {
  const out = [...ingestVerdicts(r.ingest), ...healthVerdicts(r.health)];
  for (const [streams, pairs] of r.fanin) out.push(...faninVerdicts(streams, pairs));
  const c = captureVerdict([...r.ingest, ...r.health], [...r.fanin.values()]);
  if (c) out.push(c);
  return out;
}

/** The targets as a table. */
export function targetsTable(vs: Verdict[]): string {
  return table(['<target', 'value', 'bound', '<verdict'], vs.map((v) => [v.what, v.value, v.target, v.pass ? 'PASS' : '**FAIL**']));
}

/** The whole of RESULTS.md. */
export function resultsMarkdown(r: RunResults): string {
  const m = r.machine;
  const p = r.provenance;
  const md = ['# Intake vs nginx-rtmp: benchmark results', ''];
  md.push(`Produced by \`${r.command}\` on ${new Date(r.started).toISOString()} (${f(r.minutes, 1)} min, ${r.reps} repetition(s)). Generated by bench/run.ts between the \`main\` markers; rerun it rather than editing this part. The sections after it come from their own runs (soak, latency) or were written by hand next to a narrower command, and a run keeps them.`, '');
  md.push('## Targets', '', targetsTable(verdicts(r)), '');
  md.push('## Machine', '');
  md.push(`- CPU: ${m.cpu}, nproc ${m.nproc}, ${m.memGB} GB RAM, ${m.kernel}`);
  md.push(`- node ${m.node}; nginx ${m.nginx}; ${m.ffmpeg}`);
  md.push(`- /proc CPU times in ticks of 1/${m.clkTck} s; load average (1 / 5 / 15 min) at the end of the run: ${m.loadavg} (other work on the machine moves absolute figures; compare ratios within a repetition)`);
  md.push(`- Intake: commit ${p.commit}${p.appChanges ? ` with ${p.appChanges} uncommitted change(s) under app/` : ''}, dist/ built ${p.distBuilt}, measured from a copy taken at the start of the run (bench/work/snapshot)${r.rebuiltAt ? `; dist/ was rebuilt during the run (${r.rebuiltAt}), which did not affect it` : ''}`, '');
  md.push('## Method', '', method(r));
  if (r.ingest.length) md.push('', ...ingestSection(r));
  if (r.health.length) md.push('', ...healthSection(r));
  for (const [streams, pairs] of r.fanin) md.push('', ...faninSection(streams, pairs));
  if (r.inproc.length) md.push('', ...inprocSection(r.inproc));
  md.push('');
  return md.join('\n');
}
