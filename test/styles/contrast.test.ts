import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * WCAG AA for the renderer's styles, computed from the CSS itself: the
 * palette's custom properties are parsed from styles.css, every text tone is
 * checked on every surface it is drawn on, and so is every rule that sets
 * both a text colour and a background. A colour changed in the CSS that
 * breaks 4.5:1 fails here.
 */
const DIR = path.resolve('renderer/src');
const FILES = ['styles.css', 'protocol/protocol.css', 'timeline/timeline.css', 'util/json-view.css'];
const read = (f: string): string => fs.readFileSync(path.join(DIR, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');

interface Rule {
  file: string;
  selector: string;
  decls: Record<string, string>;
}

/** Every `selector { declarations }` of a stylesheet, @media blocks flattened. */
function parse(file: string): Rule[] {
  const css = read(file).replace(/@media[^{]*\{/g, '');
  const out: Rule[] = [];
  for (const m of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const decls: Record<string, string> = {};
    for (const d of m[2].split(';')) {
      const i = d.indexOf(':');
      if (i > 0) decls[d.slice(0, i).trim()] = d.slice(i + 1).trim();
    }
    out.push({ file, selector: m[1].trim(), decls });
  }
  return out;
}

const RULES = FILES.flatMap(parse);
const ROOT = RULES.find((r) => r.file === 'styles.css' && r.selector === ':root')!.decls;

type Rgba = [number, number, number, number];

/** A CSS colour (hex, rgb(a), or var() of the palette) as RGBA; null for anything else (currentColor, gradients). */
function colour(value: string): Rgba | null {
  const v = value.trim();
  const ref = /^var\((--[\w-]+)(?:,\s*(.+))?\)$/.exec(v);
  if (ref) return ROOT[ref[1]] !== undefined ? colour(ROOT[ref[1]]) : ref[2] ? colour(ref[2]) : null;
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(v);
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1];
    return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16), 1];
  }
  const rgb = /^rgba?\(\s*(\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\s*\)$/.exec(v);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])];
  return null;
}

/** `top` painted over the opaque `under`. */
function over(top: Rgba, under: Rgba): Rgba {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1) as Rgba;
}

/** WCAG 2.x relative luminance and contrast ratio. */
function luminance(c: Rgba): number {
  const lin = (x: number): number => (x / 255 <= 0.03928 ? x / 255 / 12.92 : ((x / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
}
function ratio(fg: Rgba, bg: Rgba): number {
  const [a, b] = [luminance(over(fg, bg)), luminance(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}

const must = (v: string | undefined, what: string): Rgba => {
  const c = v === undefined ? null : colour(v);
  if (!c) throw new Error(`no colour for ${what}`);
  return c;
};
const rule = (selector: string): Record<string, string> => {
  const r = RULES.find((x) => x.selector === selector);
  if (!r) throw new Error(`no rule ${selector}`);
  return r.decls;
};

const PANEL = must(ROOT['--panel'], '--panel');
/** Every surface text is drawn on: the page, the panels, and the stream rows' hover and selected backgrounds. */
const SURFACES: Record<string, Rgba> = {
  '--bg': must(ROOT['--bg'], '--bg'),
  '--panel': PANEL,
  '--panel-2': must(ROOT['--panel-2'], '--panel-2'),
  'row hover': over(must(rule('.stream-row:hover').background, 'row hover'), PANEL),
  'row selected': over(must(rule('.stream-row.is-selected').background, 'row selected'), PANEL),
};
const TONES = ['--text', '--muted', '--accent', '--ok', '--warn', '--err'];

describe('WCAG AA contrast of the palette (parsed from styles.css)', () => {
  it('every text tone is at least 4.5:1 on every surface', () => {
    const low: string[] = [];
    for (const tone of TONES) {
      for (const [name, bg] of Object.entries(SURFACES)) {
        const r = ratio(must(ROOT[tone], tone), bg);
        if (r < 4.5) low.push(`${tone} on ${name}: ${r.toFixed(2)}:1`);
      }
    }
    expect(low).toEqual([]);
  });

  it('every rule that sets both a text colour and a background is at least 4.5:1 (over its panel when translucent)', () => {
    const low: string[] = [];
    let checked = 0;
    for (const r of RULES) {
      const fg = r.decls.color && colour(r.decls.color);
      const bgValue = r.decls.background ?? r.decls['background-color'];
      const bg = bgValue && colour(bgValue);
      if (!fg || !bg) continue;
      checked++;
      const x = ratio(fg, over(bg, PANEL));
      if (x < 4.5) low.push(`${r.file} ${r.selector}: ${x.toFixed(2)}:1`);
    }
    expect(checked).toBeGreaterThan(5);
    expect(low).toEqual([]);
  });

  it('no text is faded by opacity (ended rows were 2.65:1 so); only disabled controls and decorations may be', () => {
    const allowed = /:disabled|::before|::after/;
    const faded = RULES.filter((r) => r.decls.opacity !== undefined && Number(r.decls.opacity) < 1 && !allowed.test(r.selector)).map((r) => `${r.file} ${r.selector}`);
    expect(faded).toEqual([]);
  });

  it('the focus ring (the accent) is at least 3:1 against every surface (WCAG 1.4.11)', () => {
    for (const bg of Object.values(SURFACES)) expect(ratio(must(ROOT['--accent'], '--accent'), bg)).toBeGreaterThanOrEqual(3);
  });

  it('no text in styles.css is smaller than 12 px', () => {
    const small = RULES.filter((r) => r.file === 'styles.css')
      .flatMap((r) => [r.decls['font-size'], /(?:^|\s)([\d.]+)px\//.exec(r.decls.font ?? '')?.[1] ?? /^(?:\d+ )?([\d.]+)px /.exec(r.decls.font ?? '')?.[1]].filter((v) => v !== undefined).map((v) => ({ sel: r.selector, px: parseFloat(v!) })))
      .filter((x) => x.px < 12)
      .map((x) => `${x.sel}: ${x.px}px`);
    expect(small).toEqual([]);
  });
});

describe('focus is visible everywhere', () => {
  it('styles.css gives every focusable element a visible :focus-visible outline', () => {
    const global = rule(':focus-visible');
    expect(global.outline).toMatch(/^\d+px solid var\(--accent\)/);
  });

  it('every rule that removes the outline has a :focus-visible rule for the same element that draws one', () => {
    const removers = RULES.filter((r) => /^(none|0)$/.test(r.decls.outline ?? '') && !r.selector.includes(':focus-visible'));
    expect(removers.length).toBeGreaterThan(0);
    const missing = removers
      .flatMap((r) => r.selector.split(',').map((s) => s.trim()))
      .filter((sel) => !RULES.some((r) => r.selector.split(',').map((s) => s.trim()).includes(`${sel}:focus-visible`) && r.decls.outline !== undefined && !/^(none|0)$/.test(r.decls.outline)));
    expect(missing).toEqual([]);
  });
});
