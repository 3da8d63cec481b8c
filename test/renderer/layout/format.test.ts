import { describe, expect, it } from 'vitest';
import { codecName, formatBitrate, formatBytes, formatDuration, formatPercent } from '../../../renderer/src/layout/format.js';

describe('format', () => {
  it('never rounds a capture figure up to a pass', () => {
    expect(formatPercent(100)).toBe('100.0 %');
    expect(formatPercent(99.96)).toBe('99.9 %');
    expect(formatPercent(null)).toBe('—');
  });
  it('formats rates, sizes, durations and codec names', () => {
    expect(formatBitrate(2_500_000)).toBe('2.50 Mb/s');
    expect(formatBitrate(128_000)).toBe('128 kb/s');
    expect(formatBytes(12_345_678)).toBe('12.3 MB');
    expect(formatDuration(83_000)).toBe('1:23');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(codecName('avc1.64001f')).toBe('H.264');
    expect(codecName('hvc1.1.6.L93.B0')).toBe('HEVC');
    expect(codecName('mp4a.40.2')).toBe('AAC-LC');
    expect(codecName('speex')).toBe('speex');
  });
});
