import { describe, expect, it } from 'vitest';
import { recordingsFromSnapshot, reduceRecordings } from '../../../../renderer/src/store/slices/recordings.js';
import { recording } from '../../helpers/fake-api.js';
import { batch, snapshot } from '../../helpers/payloads.js';

describe('reduceRecordings', () => {
  it('keeps the latest state of each file, and the same state for a batch without recordings', () => {
    const live = recording('live/a', 'recording', { bytes: 5 });
    const s = reduceRecordings(recordingsFromSnapshot(snapshot({ recordings: [live] })), batch({ recordings: [{ ...live, state: 'finished', bytes: 9 }, recording('live/b')] }));
    expect(s.recordings[live.file]).toMatchObject({ state: 'finished', bytes: 9 });
    expect(Object.keys(s.recordings)).toHaveLength(2);
    expect(reduceRecordings(s, batch())).toBe(s);
  });
});
