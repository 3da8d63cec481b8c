/**
 * The checks table, table-driven: every check is well formed, and every
 * condition check under every preset fires just past its threshold and not
 * just short of it, with the measured and expected values in words.
 */
import { describe, expect, it } from 'vitest';
import { PRESET_IDS } from '../../app/contract/health.js';
import { CHECKS, type ConditionCheck, type MeasureName } from '../../app/health/checks.js';
import { FindingBook, type Measures, formatValue } from '../../app/health/evaluate.js';
import { PRESETS, bandFor } from '../../app/health/presets.js';

const MEASURES: MeasureName[] = [
  'gopSeconds', 'bFrames', 'openGop', 'interlaced', 'videoCodec', 'audioCodec', 'sampleRate', 'channels', 'audioKbps', 'videoKbps', 'videoPeakRatio',
  'fpsMeasured', 'fpsMismatch', 'noAudio', 'noVideo', 'extraVideoTracks', 'extraAudioTracks', 'avStartOffsetMs', 'avDriftMs', 'audioClockDriftMs', 'interleaveLeadMs',
];
const nothing = (): Measures => Object.fromEntries(MEASURES.map((m) => [m, null])) as Measures;

/** A value that passes `check` and one that fails it, for a numeric threshold or a list. */
function around(check: ConditionCheck, t: number | readonly (string | number)[]): { pass: number | string; fail: number | string } {
  if (Array.isArray(t)) {
    const other = typeof t[0] === 'number' ? 12345 : 'zzzz';
    return check.op === 'notIn' ? { pass: t[0], fail: other } : { pass: other, fail: t[0] };
  }
  const n = t as number;
  const step = Math.max(Math.abs(n) * 0.05, 0.01);
  return check.op === '<' ? { pass: n + step, fail: n - step } : { pass: n - step, fail: n + step };
}

const conditions = CHECKS.filter((c): c is ConditionCheck => c.kind === 'condition');
const cases = conditions.flatMap((check) =>
  PRESET_IDS.filter((p) => check.presets[p]?.threshold !== undefined).map((preset) => ({ id: check.id, preset, check })),
);

describe('the checks table', () => {
  it('has unique ids, a title, a fix and at least one preset for every check; conditions read a known measure', () => {
    expect(new Set(CHECKS.map((c) => c.id)).size).toBe(CHECKS.length);
    for (const c of CHECKS) {
      expect(c.title.length, c.id).toBeGreaterThan(5);
      expect(c.fix.length, c.id).toBeGreaterThan(10);
      expect(Object.keys(c.presets).length, c.id).toBeGreaterThan(0);
      if (c.kind === 'condition') expect(MEASURES, c.id).toContain(c.measure);
    }
  });

  it.each(cases)('$id under $preset fires past its threshold and not short of it', ({ preset, check }) => {
    const rule = check.presets[preset]!;
    const m = { ...nothing(), videoHeight: 720, fpsMeasured: 30 } as Measures & { videoHeight: number };
    const band = bandFor(PRESETS[preset], 720, 30);
    const t = rule.threshold === 'band-min' ? band.minKbps : rule.threshold === 'band-max' ? band.maxKbps : (rule.threshold as number | readonly (string | number)[]);
    const { pass, fail } = around(check, t);
    const keep = check.measure === 'fpsMeasured' ? {} : { fpsMeasured: 30 };

    const quiet = new FindingBook();
    quiet.conditions({ ...m, ...keep, [check.measure]: pass }, { atMs: 1000, mediaMs: 900 });
    expect(quiet.list(preset).find((f) => f.id === check.id)).toBeUndefined();

    const loud = new FindingBook();
    loud.conditions({ ...m, ...keep, [check.measure]: fail }, { atMs: 2000, mediaMs: 1900 });
    loud.conditions({ ...m, ...keep, [check.measure]: fail }, { atMs: 3000, mediaMs: 2900 });
    const f = loud.list(preset).find((x) => x.id === check.id)!;
    expect(f).toMatchObject({ severity: rule.severity ?? check.severity, firstAtMs: 2000, lastAtMs: 3000, firstMediaMs: 1900, count: 2, fix: check.fix });
    expect(f.measured).toBe(formatValue(fail, check.unit));
    expect(f.expected.length).toBeGreaterThan(2);
  });

  it('an event check notes every occurrence, keeps the worst value and its words', () => {
    const book = new FindingBook();
    book.event('encoder-skipped', 10, '10 frames (0.3 s)', 'none', { atMs: 4000, mediaMs: 4000 });
    book.event('encoder-skipped', 60, '60 frames (2.0 s)', 'none', { atMs: 9000, mediaMs: 9000 });
    book.event('encoder-skipped', 5, '5 frames (0.2 s)', 'none', { atMs: 12000, mediaMs: 12000 });
    for (const preset of PRESET_IDS) {
      expect(book.list(preset)).toEqual([
        expect.objectContaining({ id: 'encoder-skipped', value: 60, measured: '60 frames (2.0 s)', count: 3, firstAtMs: 4000, lastAtMs: 12000, firstMediaMs: 4000 }),
      ]);
    }
  });

  it('YouTube bands follow the published table: 1080p60 4–10 Mbit/s, 720p30 3–8 Mbit/s', () => {
    expect(bandFor(PRESETS.youtube, 1080, 60)).toMatchObject({ minKbps: 4000, maxKbps: 10000 });
    expect(bandFor(PRESETS.youtube, 720, 30)).toMatchObject({ minKbps: 3000, maxKbps: 8000 });
    expect(bandFor(PRESETS.twitch, 1080, 60)).toMatchObject({ maxKbps: 6000 });
  });
});
