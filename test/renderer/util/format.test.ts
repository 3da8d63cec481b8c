import { describe, expect, it } from 'vitest';
import * as contract from '../../../app/contract/format.js';
import {
  codecName,
  formatBitrate,
  formatBytes,
  formatCount,
  formatDuration,
  formatElapsed,
  formatElapsedClock,
  formatPercent,
  formatThousands,
  formatTimeOfDay,
} from '../../../renderer/src/util/format.js';

describe('format', () => {
  it('never rounds a capture figure up to a pass', () => {
    expect(formatPercent(100)).toBe('100.0 %');
    expect(formatPercent(99.96)).toBe('99.9 %');
    expect(formatPercent(null)).toBe('—');
  });
  it('formats rates, sizes, durations and codec names', () => {
    expect(formatBitrate(2_500_000)).toBe('2.50 Mbit/s');
    expect(formatBitrate(128_000)).toBe('128 kbit/s');
    expect(formatBytes(12_345_678)).toBe('12.3 MB');
    expect(formatDuration(83_000)).toBe('1:23');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(codecName('avc1.64001f')).toBe('H.264');
    expect(codecName('hvc1.1.6.L93.B0')).toBe('HEVC');
    expect(codecName('mp4a.40.2')).toBe('AAC-LC');
    expect(codecName('speex')).toBe('speex');
  });
});

describe('one module, distinct names for distinct meanings', () => {
  it('sizes and rates are the contract’s (the CLI prints the same), in SI units', () => {
    expect(formatBytes).toBe(contract.formatBytes);
    expect(formatBitrate).toBe(contract.formatBitrate);
    expect([812, 4_100, 1_200_000, 3_400_000_000].map((n) => formatBytes(n))).toEqual(['812 B', '4.1 kB', '1.2 MB', '3.40 GB']);
    expect([2_480_000, 999_400].map((n) => formatBitrate(n))).toEqual(['2.48 Mbit/s', '999 kbit/s']);
    expect([null, undefined, -1, Number.NaN].map((n) => [formatBytes(n), formatBitrate(n)])).toEqual(Array(4).fill(['—', '—']));
  });

  it('a duration, a time since the accept and a time of day are three clocks', () => {
    expect(formatDuration(8_301)).toBe('0:08');
    expect(formatElapsedClock(8_301)).toBe('0:08.301');
    expect(formatElapsedClock(3_723_500, 1)).toBe('1:02:03.5');
    expect([0, 840, 8_300, 125_400].map(formatElapsed)).toEqual(['0 ms', '840 ms', '8.30 s', '2:05.4']);
    const at = new Date(2025, 10, 21, 14, 3, 7).getTime();
    expect(formatTimeOfDay(at)).toBe('14:03:07');
  });

  it('a count for scripts is plain digits; a count for reading is grouped', () => {
    expect(formatCount(300000)).toBe('300000');
    expect(formatCount(null)).toBe('—');
    expect(formatThousands(300000)).toBe('300\u2009000');
    expect(formatThousands(999)).toBe('999');
  });
});
