import { describe, expect, it } from 'vitest';
import { previewFunnel } from '../../../renderer/src/preview/preview-funnel.js';
import { playerReadout, resetReadout } from '../../../renderer/src/preview/player-readout.js';

describe('the preview funnel: decoded frames a newer one replaced before the screen refreshed', () => {
  it('counts them as decoded, keeps the invariant, and says how many were not painted', () => {
    resetReadout('live/a', 1000);
    Object.assign(playerReadout, { offered: 120, forwarded: 120, decoded: 118, dropped: 0, unpainted: 7 });
    const f = previewFunnel(playerReadout, 'live/a', 0)!;
    expect(f.received! >= f.forwarded! && f.forwarded! >= f.decoded! + f.dropped!).toBe(true);
    expect(f.notes).toContain('Of the decoded frames, 7 were not painted: a newer frame was ready for the same screen refresh (or the tab was hidden).');
    playerReadout.unpainted = 0;
    expect(previewFunnel(playerReadout, 'live/a', 0)!.notes.some((n) => n.includes('not painted'))).toBe(false);
    resetReadout(null);
  });
});
