/**
 * A stream's health as a report: one line per finding for a terminal, the
 * whole report in Markdown (to paste into a support forum) and as JSON. Pure
 * functions over the contract's types, shared by `intake check`, `record`,
 * `inspect` and the window's export (so it lives in the contract).
 */
import type { StreamStats, TrackStats } from './engine.js';
import { percentFigure } from './format.js';
import { type HealthFinding, type HealthSummary, PRESET_LABELS, type PresetId, formatClock, healthVerdict } from './health.js';

/** "ERROR gop-long: Keyframe interval too long: 10.0 s (expected ≤ 4.0 s) at 0:04, 7× — fix: …". */
export function findingLine(f: HealthFinding): string {
  const at = f.firstMediaMs !== null ? formatClock(f.firstMediaMs) : formatClock(f.firstAtMs);
  const times = f.count > 1 ? `, ${f.count}×` : '';
  return `${f.severity.toUpperCase()} ${f.id}: ${f.title}: ${f.measured} (expected ${f.expected}) at ${at}${times} — fix: ${f.fix}`;
}

/** The verdict in words: "good", "2 warnings", "1 error, 2 warnings". */
export function verdictWords(findings: readonly HealthFinding[]): string {
  const v = healthVerdict(findings);
  if (v.verdict === 'good') return 'good';
  const parts: string[] = [];
  if (v.errors) parts.push(`${v.errors} error${v.errors > 1 ? 's' : ''}`);
  if (v.warnings) parts.push(`${v.warnings} warning${v.warnings > 1 ? 's' : ''}`);
  return parts.join(', ');
}

function captureWords(name: string, t: TrackStats): string {
  if (t.received === 0) return `${name} none`;
  const pct = percentFigure(t.capturePercent);
  const skipped = t.skipped ? `, ${t.skipped} skipped by the encoder` : '';
  const segments = (t.segments ?? 1) > 1 ? `, ${t.segments} clock segments` : '';
  return `${name} ${t.received}/${t.expected} ${pct ?? '-'} %${skipped}${segments}`;
}

function declaredWords(h: HealthSummary): string {
  const e = h.encoder;
  const pair = (what: string, declared: number | null, measured: number | null, unit: string): string | null =>
    declared === null && measured === null ? null : `${what} ${declared === null ? '—' : Math.round(declared)} ${unit} declared, ${measured === null ? '—' : Math.round(measured)} ${unit} measured`;
  return [pair('video', e.videoDeclaredKbps, e.videoKbps, 'kb/s'), pair('audio', e.audioDeclaredKbps, e.audioKbps, 'kb/s'), pair('frame rate', e.fpsDeclared, e.fpsMeasured, 'fps')]
    .filter(Boolean)
    .join('; ');
}

/** The report as text lines. */
export function reportLines(s: StreamStats, preset: PresetId): string[] {
  const h = s.health;
  if (!h) return [`check ${s.path}: health analysis is switched off`];
  const findings = h.findings[preset];
  const lines = [
    `check ${s.path} under ${PRESET_LABELS[preset]}: ${verdictWords(findings)}`,
    `  encoder: ${h.words}`,
    `  declared vs measured: ${declaredWords(h) || 'nothing declared'}`,
    `  capture: ${captureWords('video', s.video)}; ${captureWords('audio', s.audio)}${h.receiverLoss.messages ? `; lost at Intake: ${h.receiverLoss.messages} message(s), ${h.receiverLoss.bytes} bytes discarded when its connection closed` : ''}`,
  ];
  for (const f of findings) lines.push(`  ${findingLine(f)}`);
  return lines;
}

/** The report as one JSON-able object (`intake check --json`, the UI's export). */
export function reportJson(s: StreamStats, preset: PresetId): Record<string, unknown> {
  const h = s.health;
  const findings = h?.findings[preset] ?? [];
  return {
    path: s.path,
    preset,
    ...healthVerdict(findings),
    uptimeMs: s.uptimeMs,
    encoder: h?.encoder ?? null,
    words: h?.words ?? null,
    capture: {
      video: { received: s.video.received, expected: s.video.expected, skipped: s.video.skipped ?? 0, segments: s.video.segments ?? 0, percent: s.video.capturePercent },
      audio: { received: s.audio.received, expected: s.audio.expected, skipped: s.audio.skipped ?? 0, segments: s.audio.segments ?? 0, percent: s.audio.capturePercent },
      receiverLoss: h?.receiverLoss ?? null,
    },
    findings,
    gops: h?.gops ?? [],
  };
}

/** The report in Markdown, to paste into a support forum. */
export function reportMarkdown(s: StreamStats, preset: PresetId): string {
  const h = s.health;
  if (!h) return `# Intake health report: ${s.path}\n\nHealth analysis was switched off.\n`;
  const findings = h.findings[preset];
  const out = [
    `# Intake health report: ${s.path}`,
    '',
    `**Preset:** ${PRESET_LABELS[preset]} · **Verdict:** ${verdictWords(findings)} · **Analysed:** ${(s.uptimeMs / 1000).toFixed(0)} s`,
    '',
    `**Encoder:** ${h.words}`,
    '',
    `**Declared vs measured:** ${declaredWords(h) || 'nothing declared'}`,
    '',
    `**Capture:** ${captureWords('video', s.video)}; ${captureWords('audio', s.audio)}`,
    '',
    '| severity | check | measured | expected | first seen | count | fix |',
    '| --- | --- | --- | --- | --- | ---: | --- |',
  ];
  for (const f of findings) {
    const at = formatClock(f.firstMediaMs ?? f.firstAtMs);
    out.push(`| ${f.severity} | ${f.title} (\`${f.id}\`) | ${f.measured} | ${f.expected} | ${at} | ${f.count} | ${f.fix} |`);
  }
  if (findings.length === 0) out.push('| — | no findings | | | | | |');
  return `${out.join('\n')}\n`;
}

/** New findings since the last call, per stream path (for `record` and `inspect`, which print them as they appear). */
export class FindingWatch {
  private readonly seen = new Map<string, Set<string>>();

  constructor(readonly preset: PresetId) {}

  fresh(s: StreamStats): HealthFinding[] {
    return this.freshIn(s.path, s.health?.findings[this.preset]);
  }

  /** The same for a stream's findings list under this preset (from Engine.findings, where the stats carry no summary). */
  freshIn(path: string, list: readonly HealthFinding[] | undefined): HealthFinding[] {
    if (!list?.length) return [];
    let seen = this.seen.get(path);
    if (!seen) this.seen.set(path, (seen = new Set()));
    const out = list.filter((f) => !seen.has(f.id));
    for (const f of out) seen.add(f.id);
    return out;
  }

  /** Forget a stream (it ended): a new publish of the same key starts afresh. */
  forget(path: string): void {
    this.seen.delete(path);
  }
}
