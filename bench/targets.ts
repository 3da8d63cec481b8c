/**
 * The targets of issue #7, each judged on medians over interleaved
 * repetitions: a CPU target on the median of per-repetition ratios
 * intake ÷ nginx, a memory target on the median of Intake's peak RSS
 * (MB = 2^20 bytes), and capture on every single run.
 */
import type { FaninResult, IngestResult } from './scenarios.js';
import { f, median, pct } from './table.js';

export const TARGETS = {
  /** Ingest CPU per GB, intake ÷ nginx, at chunk size 4096 / 128. */
  ingestCpuRatio: { 4096: 1.0, 128: 0.3 },
  /** Intake's peak RSS during ingest, MB. */
  ingestRssMB: 80,
  /** Fan-in of 100: CPU % intake ÷ nginx, and Intake's peak RSS. */
  fanin100CpuRatio: 1.5,
  fanin100RssMB: 80,
  /** Fan-in of 200: Intake's peak RSS (and capture 100 %). */
  fanin200RssMB: 120,
  /** Ingest CPU per GB recording MP4 ÷ recording FLV (issue 10), at chunk size 4096. */
  mp4CpuRatio: 1.3,
  /** Ingest CPU per GB with the health analyser ÷ without it (issue 9). */
  healthCpuRatio: 1.05,
} as const;

/** Per repetition, `name`'s value ÷ Intake-recording-FLV's (skips repetitions without `name`). */
export function formatRatios<T extends { receiver: string }>(pairs: T[][], name: string, key: (r: T) => number): number[] {
  return pairs.filter((p) => p.some((x) => x.receiver === name)).map((p) => key(p.find((x) => x.receiver === name)!) / key(p.find((x) => x.receiver === 'intake')!));
}

/** One judged target: what, the figure, the bound, and whether it is met. */
export interface Verdict {
  what: string;
  value: string;
  target: string;
  pass: boolean;
}

/** `a` ÷ `b` of `key` in each repetition (each holds one result of each). */
export function ratiosOf<T extends { receiver: string }>(pairs: T[][], a: string, b: string, key: (r: T) => number): number[] {
  return pairs.map((p) => key(p.find((x) => x.receiver === a)!) / key(p.find((x) => x.receiver === b)!));
}

/** intake ÷ nginx of `key` in each repetition (pairs of one intake and one nginx result). */
export function ratios<T extends { receiver: string }>(pairs: T[][], key: (r: T) => number): number[] {
  return ratiosOf(pairs, 'intake', 'nginx', key);
}

const atMost = (what: string, value: number, bound: number, d = 3): Verdict => ({ what, value: f(value, d), target: `≤ ${bound}`, pass: value <= bound });

/** The ingest targets: CPU ratio per chunk size and Intake's peak RSS. */
export function ingestVerdicts(ingest: IngestResult[][]): Verdict[] {
  const out: Verdict[] = [];
  for (const cs of [4096, 128] as const) {
    const pairs = ingest.filter((p) => p[0].chunkSize === cs);
    if (!pairs.length) continue;
    out.push(atMost(`ingest CPU/GB at chunk ${cs}, median of intake ÷ nginx`, median(ratios(pairs, (r) => r.cpuPerGB)), TARGETS.ingestCpuRatio[cs]));
    const rss = pairs.flat().filter((r) => r.receiver === 'intake').map((r) => r.rssMB);
    out.push(atMost(`ingest at chunk ${cs}, median Intake peak RSS MB (max ${f(Math.max(...rss), 1)})`, median(rss), TARGETS.ingestRssMB, 1));
    const mp4 = formatRatios(pairs, 'intake-mp4', (r) => r.cpuPerGB);
    if (cs === 4096 && mp4.length) out.push(atMost('ingest CPU/GB at chunk 4096, median of Intake recording MP4 ÷ recording FLV', median(mp4), TARGETS.mp4CpuRatio));
  }
  return out;
}

/** Which CPU of a health-block session a ratio compares: all of it (per GB), its first push alone, or the pushes after it. */
export type SessionPart = 'session' | 'first' | 'later';

/** The CPU a session ratio compares: per GB for the whole session, CPU seconds for its first push or its later pushes. */
export const partCpu = (r: IngestResult, part: SessionPart): number =>
  part === 'session' ? r.cpuPerGB : part === 'first' ? r.pushCpu[0] : r.pushCpu.slice(1).reduce((a, b) => a + b, 0);

/**
 * intake ÷ intake-nohealth of each adjacent pair at chunk size `cs` (bench/run.ts's
 * health block): CPU per GB of the whole session by default, or the CPU of its
 * first push or of its later pushes (the same bytes on both sides of a pair).
 */
export function healthRatios(pairs: IngestResult[][], cs: number, part: SessionPart = 'session'): number[] {
  const of = pairs.filter((p) => p[0].chunkSize === cs && (part !== 'later' || p.every((r) => r.pushCpu.length > 1)));
  return ratiosOf(of, 'intake', 'intake-nohealth', (r) => partCpu(r, part));
}

/** The analyser's cost per chunk size, on the median of its pairs' session ratios. */
export function healthVerdicts(pairs: IngestResult[][]): Verdict[] {
  return ([4096, 128] as const).flatMap((cs) => {
    const rs = healthRatios(pairs, cs);
    if (!rs.length) return [];
    const pushes = pairs.find((p) => p[0].chunkSize === cs)?.[0].pushCpu.length ?? 1;
    const session = pushes > 1 ? ` over a session of ${pushes} pushes` : '';
    return [atMost(`ingest CPU/GB at chunk ${cs}${session}, median of Intake ÷ Intake without the health analyser (${rs.length} adjacent pairs)`, median(rs), TARGETS.healthCpuRatio)];
  });
}

/** The fan-in targets of `streams` publishers (100: CPU ratio and RSS; 200: RSS and capture). */
export function faninVerdicts(streams: number, pairs: FaninResult[][]): Verdict[] {
  if (!pairs.length) return [];
  const intake = pairs.flat().filter((r) => r.receiver === 'intake');
  const rss = intake.map((r) => r.rssMB);
  const rssLabel = `fan-in ${streams}, median Intake peak RSS MB (max ${f(Math.max(...rss), 1)})`;
  if (streams === 100) {
    return [atMost('fan-in 100 CPU %, median of intake ÷ nginx', median(ratios(pairs, (r) => r.cpuPct)), TARGETS.fanin100CpuRatio), atMost(rssLabel, median(rss), TARGETS.fanin100RssMB, 1)];
  }
  const worst = Math.min(...intake.map((r) => r.captureMin));
  return [
    atMost(rssLabel, median(rss), TARGETS.fanin200RssMB, 1),
    { what: `fan-in ${streams} capture, worst stream of every Intake run`, value: pct(worst), target: '100%', pass: worst === 1 },
  ];
}

/** Capture 100 % in every Intake run (ingest: the stream; fan-in: its worst stream). */
export function captureVerdict(ingest: IngestResult[][], fanins: FaninResult[][][]): Verdict | null {
  const captures = [...ingest.flat().filter((r) => r.receiver === 'intake').map((r) => r.capture), ...fanins.flat(2).filter((r) => r.receiver === 'intake').map((r) => r.captureMin)];
  if (!captures.length) return null;
  const worst = Math.min(...captures);
  return { what: `capture in every Intake run (${captures.length} runs), lowest`, value: pct(worst), target: '100%', pass: worst === 1 };
}
