import { describe, expect, it } from 'vitest';
import type { IngestResult } from '../../bench/scenarios.js';
import { healthRatios, healthVerdicts } from '../../bench/targets.js';

/** A session of pushes into one receiver: CPU seconds per push, 1 GB each. */
const run = (receiver: string, chunkSize: number, pushCpu: number[]): IngestResult => {
  const cpu = pushCpu.reduce((a, b) => a + b, 0);
  return { receiver, chunkSize, pushCpu, cpu, cpuPerGB: cpu / pushCpu.length } as IngestResult;
};

describe("bench: the health analyser's cost from adjacent pairs", () => {
  // A B B A at 4096 (two pairs), B A A B at 128 (two pairs), as bench/run.ts runs them: sessions of three pushes.
  const pairs = [
    [run('intake', 4096, [1.2, 1.0, 1.0]), run('intake-nohealth', 4096, [1.0, 1.0, 1.0])],
    [run('intake-nohealth', 4096, [2.0, 2.0, 2.0]), run('intake', 4096, [2.0, 2.2, 2.2])],
    [run('intake-nohealth', 128, [1.0, 1.0, 1.0]), run('intake', 128, [1.03, 1.0, 1.0])],
    [run('intake', 128, [1.0, 1.0, 1.09]), run('intake-nohealth', 128, [1.0, 1.0, 1.0])],
  ];

  it('one ratio intake ÷ intake-nohealth per pair, whichever ran first, per chunk size, over the whole session', () => {
    expect(healthRatios(pairs, 4096).map((x) => +x.toFixed(3))).toEqual([1.067, 1.067]);
    expect(healthRatios(pairs, 128).map((x) => +x.toFixed(3))).toEqual([1.01, 1.03]);
  });

  it('the first push alone and the later pushes apart', () => {
    expect(healthRatios(pairs, 4096, 'first').map((x) => +x.toFixed(3))).toEqual([1.2, 1]);
    expect(healthRatios(pairs, 4096, 'later').map((x) => +x.toFixed(3))).toEqual([1, 1.1]);
    expect(healthRatios(pairs, 128, 'later').map((x) => +x.toFixed(3))).toEqual([1, 1.045]);
  });

  it('a one-push run has no later pushes to compare', () => {
    const single = [[run('intake', 4096, [1.05]), run('intake-nohealth', 4096, [1.0])]];
    expect(healthRatios(single, 4096, 'later')).toEqual([]);
    expect(healthRatios(single, 4096).map((x) => +x.toFixed(3))).toEqual([1.05]);
    expect(healthVerdicts(single)[0].what).not.toContain('session');
  });

  it('judged on the median of the session ratios against 1.05, naming the session', () => {
    const v = healthVerdicts(pairs);
    expect(v.map((x) => [x.value, x.pass])).toEqual([
      ['1.067', false],
      ['1.020', true],
    ]);
    expect(v[0].what).toContain('2 adjacent pairs');
    expect(v[0].what).toContain('a session of 3 pushes');
  });
});
