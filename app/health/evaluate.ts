/**
 * Runs the checks table (checks.ts) against what the analyser measured:
 * conditions once a second, events as they happen, under every preset at
 * once (a UI switches preset without asking the engine again). Each finding
 * keeps the worst value, first and last time, and a count. Bounded: at most
 * one finding per check per preset.
 */
import { type HealthFinding, PRESET_IDS, type PresetId, type Severity } from '../contract/health.js';
import { CHECKS, type Check, type ConditionCheck, type EventName, type MeasureName, type Threshold } from './checks.js';
import { type BitrateBand, PRESETS, bandFor } from './presets.js';

/** The measured values, refreshed once a second. */
export type Measures = Record<MeasureName, number | string | null>;

/** The moment of an evaluation or an event. */
export interface Moment {
  /** ms since the stream started (wall). */
  atMs: number;
  /** ms since the stream's first frame, by its own clock; null when no frame marks it. */
  mediaMs: number | null;
}

/** One condition check under one preset, resolved from the table once. */
interface Rule {
  readonly check: ConditionCheck;
  readonly preset: PresetId;
  readonly threshold: Threshold;
  readonly severity: Severity;
}

/**
 * The condition checks with their rules, flattened once at load. Why: the
 * table is read for every stream every second (100 streams: 100 times 26
 * checks under three presets a second), and looking each rule up in the
 * check's \`presets\` object (whose keys come in different orders) and
 * resolving it again cost more than the comparisons themselves.
 */
const CONDITIONS: readonly { check: ConditionCheck; rules: readonly Rule[] }[] = CHECKS.flatMap((check) => {
  if (check.kind !== 'condition') return [];
  const rules: Rule[] = [];
  for (const preset of PRESET_IDS) {
    const rule = check.presets[preset];
    if (rule && rule.threshold !== undefined) rules.push({ check, preset, threshold: rule.threshold, severity: rule.severity ?? check.severity });
  }
  return rules.length ? [{ check, rules }] : [];
});

/** One event check under one preset. */
interface EventRule {
  readonly check: Check;
  readonly preset: PresetId;
  readonly severity: Severity;
}

/**
 * The event checks by event name, flattened once at load, in table order.
 * Why: events can come several a second for one stream (skipped frames,
 * timestamp steps, a lead that grows), and walking the whole check table for
 * each cost more than noting the finding. (Before the lead was reported by
 * the stats tick, a file pushed faster than real time sent ~390 a second,
 * and this was a hot function V8 compiled early in every ingest.)
 */
const EVENT_RULES: ReadonlyMap<EventName, readonly EventRule[]> = (() => {
  const byName = new Map<EventName, EventRule[]>();
  for (const check of CHECKS) {
    if (check.kind !== 'event') continue;
    for (const preset of PRESET_IDS) {
      const rule = check.presets[preset];
      if (!rule) continue;
      let list = byName.get(check.event);
      if (!list) byName.set(check.event, (list = []));
      list.push({ check, preset, severity: rule.severity ?? check.severity });
    }
  }
  return byName;
})();

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** A number in a check's unit, as people read it. */
export function formatValue(v: number | string, unit: string): string {
  if (typeof v === 'string') return v;
  switch (unit) {
    case 's':
      return `${v.toFixed(1)} s`;
    case 'ms':
    case 'kbit/s':
    case 'Hz':
      return `${Math.round(v)} ${unit}`;
    case '%':
      return `${v.toFixed(0)} %`;
    case '×':
      return `${v.toFixed(2)}×`;
    case '':
      return String(v);
    default:
      return `${Number.isInteger(v) ? v : v.toFixed(1)} ${unit}`;
  }
}

const num = (v: number | string | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function expectedText(check: ConditionCheck, t: number | readonly (string | number)[]): string {
  if (Array.isArray(t)) {
    const list = `${t.join(', ')}${check.unit ? ` ${check.unit}` : ''}`;
    return check.op === 'notIn' ? `one of ${list}` : `not ${list}`;
  }
  const v = formatValue(t as number, check.unit);
  return check.op === '>' ? `≤ ${v}` : check.op === '<' ? `≥ ${v}` : `within ±${v}`;
}

function fires(check: ConditionCheck, v: number | string, t: number | readonly (string | number)[]): boolean {
  if (Array.isArray(t)) return check.op === 'in' ? t.includes(v) : !t.includes(v);
  if (typeof v !== 'number') return false;
  const n = t as number;
  return check.op === '>' ? v > n : check.op === '<' ? v < n : Math.abs(v) > n;
}

/** Worse of two values for a check ('<' keeps the lowest, the others the largest in size). */
function worse(check: Check, a: number, b: number): number {
  if (check.kind === 'condition' && check.op === '<') return Math.min(a, b);
  return Math.abs(b) > Math.abs(a) ? b : a;
}

/** The findings of one stream, under every preset. */
export class FindingBook {
  private readonly found: Record<PresetId, Map<string, HealthFinding>> = { generic: new Map(), youtube: new Map(), twitch: new Map() };
  /** The threshold each condition finding's `expected` was worded for. */
  private readonly expectedFor = new Map<HealthFinding, number | readonly (string | number)[]>();

  /** Each preset's bitrate band for this second's height and frame rate (looked up when a band rule first needs it). */
  private readonly bands: Record<PresetId, BitrateBand | null> = { generic: null, youtube: null, twitch: null };

  /** Run every condition check against this second's measures. */
  conditions(m: Measures & { videoHeight?: number | null }, at: Moment): void {
    const bands = this.bands;
    bands.generic = bands.youtube = bands.twitch = null;
    for (const { check, rules } of CONDITIONS) {
      const v = m[check.measure];
      if (v === null || v === undefined) continue;
      for (const rule of rules) {
        const preset = rule.preset;
        let t = rule.threshold;
        if (t === 'band-min' || t === 'band-max') {
          const band = (bands[preset] ??= bandFor(PRESETS[preset], num(m.videoHeight), num(m.fpsMeasured)));
          t = t === 'band-min' ? band.minKbps : band.maxKbps;
        }
        if (!fires(check, v, t)) continue;
        const value = typeof v === 'number' ? v : 0;
        const f = this.found[preset].get(check.id);
        if (f) this.again(f, check, value, v, t, at);
        else this.expectedFor.set(this.note(preset, check, rule.severity, value, formatValue(v, check.unit), expectedText(check, t), at), t);
      }
    }
  }

  /**
   * A condition that fires again: the same as `note`, with its words made
   * only when they change (a worse value, another threshold). Why: a stream
   * outside a preset's band fires every second, and 100 such streams spent
   * more on formatting the same two strings than on the checks.
   */
  private again(f: HealthFinding, check: ConditionCheck, value: number, v: number | string, t: number | readonly (string | number)[], at: Moment): void {
    f.count++;
    f.lastAtMs = at.atMs;
    if (this.expectedFor.get(f) !== t) {
      f.expected = expectedText(check, t);
      this.expectedFor.set(f, t);
    }
    const w = worse(check, f.value, value);
    if (w !== f.value) {
      f.value = w;
      f.measured = formatValue(v, check.unit);
    }
  }

  /** One occurrence of an event, with its value (in the check's unit) and the value in words. */
  event(name: EventName, value: number, measured: string, expected: string, at: Moment): void {
    const rules = EVENT_RULES.get(name);
    if (rules) for (const r of rules) this.note(r.preset, r.check, r.severity, value, measured, expected, at);
  }

  /** Each preset's findings in order, kept until a finding is added (a finding's severity and first time never change). */
  private readonly sorted: Record<PresetId, HealthFinding[] | null> = { generic: null, youtube: null, twitch: null };

  /**
   * The findings under `preset`, errors first, then by first time seen. The
   * same array until a finding is added (each stats event asks, for every
   * stream); callers must not change it.
   */
  list(preset: PresetId): HealthFinding[] {
    return (this.sorted[preset] ??= [...this.found[preset].values()].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.firstAtMs - b.firstAtMs));
  }

  /** Count one occurrence; returns its finding. */
  private note(preset: PresetId, check: Check, severity: Severity, value: number, measured: string, expected: string, at: Moment): HealthFinding {
    const f = this.found[preset].get(check.id);
    if (!f) {
      const made: HealthFinding = {
        id: check.id, severity, title: check.title, value, unit: check.unit, measured, expected,
        firstAtMs: at.atMs, lastAtMs: at.atMs, firstMediaMs: at.mediaMs, count: 1, fix: check.fix,
      };
      this.found[preset].set(check.id, made);
      this.sorted[preset] = null;
      return made;
    }
    f.count++;
    f.lastAtMs = at.atMs;
    f.expected = expected;
    // The words follow the worst value (an event's: its worst occurrence).
    const w = worse(check, f.value, value);
    if (w !== f.value) {
      f.value = w;
      f.measured = measured;
    }
    return f;
  }
}
