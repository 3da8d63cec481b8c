import { describe, expect, it } from 'vitest';
import type { IngestResult } from '../../bench/scenarios.js';
import { healthRatios, healthVerdicts } from '../../bench/targets.js';

const run = (receiver: string, chunkSize: number, cpuPerGB: number): IngestResult => ({ receiver, chunkSize, cpuPerGB }) as IngestResult;

describe("bench: the health analyser's cost from adjacent pairs", () => {
  // A B B A at 4096 (two pairs), B A A B at 128 (two pairs), as bench/run.ts runs them.
  const pairs = [
    [run('intake', 4096, 1.05), run('intake-nohealth', 4096, 1.0)],
    [run('intake-nohealth', 4096, 2.0), run('intake', 4096, 2.2)],
    [run('intake-nohealth', 128, 1.0), run('intake', 128, 1.01)],
    [run('intake', 128, 1.03), run('intake-nohealth', 128, 1.0)],
  ];

  it('one ratio intake ÷ intake-nohealth per pair, whichever ran first, per chunk size', () => {
    expect(healthRatios(pairs, 4096).map((x) => +x.toFixed(3))).toEqual([1.05, 1.1]);
    expect(healthRatios(pairs, 128).map((x) => +x.toFixed(3))).toEqual([1.01, 1.03]);
  });

  it('judged on the median against 1.05', () => {
    const v = healthVerdicts(pairs);
    expect(v.map((x) => [x.value, x.pass])).toEqual([
      ['1.075', false],
      ['1.020', true],
    ]);
    expect(v[0].what).toContain('2 adjacent pairs');
  });
});
