import { describe, expect, it } from 'vitest';
import { LOG_CAP } from '../../../../app/contract/limits.js';
import { logsFromSnapshot, reduceLogs } from '../../../../renderer/src/store/slices/logs.js';
import { batch, snapshot } from '../../helpers/payloads.js';

describe('reduceLogs', () => {
  it('appends a batch’s lines and keeps the newest LOG_CAP', () => {
    const line = (i: number) => ({ level: 'info' as const, message: `m${i}`, at: i });
    const full = logsFromSnapshot(snapshot({ logs: Array.from({ length: LOG_CAP + 5 }, (_, i) => line(i)) }));
    expect(full.logs).toHaveLength(LOG_CAP);
    const s = reduceLogs(full, batch({ logs: [line(9999)] }));
    expect(s.logs).toHaveLength(LOG_CAP);
    expect(s.logs[0].message).toBe('m6');
    expect(s.logs.at(-1)?.message).toBe('m9999');
    expect(reduceLogs(s, batch())).toBe(s);
  });
});
