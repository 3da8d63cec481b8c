import { describe, expect, it } from 'vitest';
import { FindingBook, type Measures } from '../../app/health/evaluate.js';
import { PRESETS, bandFor } from '../../app/health/presets.js';

const measures = (videoKbps: number, videoHeight: number): Measures & { videoHeight: number } => ({ videoKbps, fpsMeasured: 30, videoHeight }) as unknown as Measures & { videoHeight: number };

describe('FindingBook, a condition that fires every second', () => {
  it('keeps the worst value in words and words the expected value for the threshold of the latest second', () => {
    const book = new FindingBook();
    const band720 = bandFor(PRESETS.youtube, 720, 30).minKbps;
    const band1440 = bandFor(PRESETS.youtube, 1440, 30).minKbps;
    expect(band1440).not.toBe(band720);
    book.conditions(measures(band720 - 100, 720), { atMs: 1000, mediaMs: 1000 });
    book.conditions(measures(band720 - 300, 720), { atMs: 2000, mediaMs: 2000 });
    book.conditions(measures(band720 - 200, 720), { atMs: 3000, mediaMs: 3000 });
    let f = book.list('youtube').find((x) => x.id === 'video-bitrate-low')!;
    expect(f).toMatchObject({ count: 3, value: band720 - 300, measured: `${band720 - 300} kbit/s`, expected: `≥ ${band720} kbit/s`, firstAtMs: 1000, lastAtMs: 3000 });
    // The stream goes to 1440 lines: another band, so other words for what is expected; the worst value stays.
    book.conditions(measures(band720 - 250, 1440), { atMs: 4000, mediaMs: 4000 });
    f = book.list('youtube').find((x) => x.id === 'video-bitrate-low')!;
    expect(f).toMatchObject({ count: 4, value: band720 - 300, measured: `${band720 - 300} kbit/s`, expected: `≥ ${band1440} kbit/s`, lastAtMs: 4000 });
    // And back: the words follow the threshold again.
    book.conditions(measures(band720 - 400, 720), { atMs: 5000, mediaMs: 5000 });
    f = book.list('youtube').find((x) => x.id === 'video-bitrate-low')!;
    expect(f).toMatchObject({ count: 5, value: band720 - 400, measured: `${band720 - 400} kbit/s`, expected: `≥ ${band720} kbit/s` });
  });
});
