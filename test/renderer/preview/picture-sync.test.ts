import { describe, expect, it } from 'vitest';
import { MAX_HOLD_MS, SYNC_TOLERANCE_MS, dueFrame } from '../../../renderer/src/preview/picture-sync.js';

/** Three frames 33 ms apart, decoded at 1000, 1010 and 1020 (performance.now()). */
const held = [
  { mediaMs: 5000, heldAt: 1000 },
  { mediaMs: 5033, heldAt: 1010 },
  { mediaMs: 5067, heldAt: 1020 },
];

describe('dueFrame (the picture held to its sound)', () => {
  const cases: { name: string; frames: typeof held; audible: number | null; now: number; want: number }[] = [
    { name: 'no sound heard: the newest frame, at once', frames: held, audible: null, now: 1020, want: 2 },
    { name: 'nothing held', frames: [], audible: 5000, now: 1020, want: -1 },
    { name: 'the sound has not reached any frame', frames: held, audible: 5000 - SYNC_TOLERANCE_MS - 1, now: 1020, want: -1 },
    { name: 'the sound within the tolerance of the first', frames: held, audible: 5000 - SYNC_TOLERANCE_MS, now: 1020, want: 0 },
    { name: 'the sound between the second and third', frames: held, audible: 5040 - SYNC_TOLERANCE_MS, now: 1020, want: 1 },
    { name: 'the sound past all of them', frames: held, audible: 6000, now: 1020, want: 2 },
    { name: 'held too long: the first is painted however far behind the sound is', frames: held, audible: 4000, now: 1000 + MAX_HOLD_MS, want: 0 },
    { name: 'held too long: the newest one held that long', frames: held, audible: 4000, now: 1010 + MAX_HOLD_MS, want: 1 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(dueFrame(c.frames, c.audible, c.now)).toBe(c.want);
    });
  }
});
