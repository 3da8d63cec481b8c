import { describe, expect, it } from 'vitest';
import { create } from 'zustand';
import { createHostSlice, hostFromSnapshot } from '../../../../renderer/src/store/slices/host.js';
import { snapshot, status } from '../../helpers/payloads.js';

describe('host slice', () => {
  it('takes host, status and settings from a snapshot, but not the link (the transport owns it)', () => {
    const snap = snapshot();
    expect(hostFromSnapshot(snap)).toEqual({ host: snap.host, status: snap.status, settings: snap.settings, lostAt: null });
  });

  it('is a slice on its own: starts connecting, and its setters change one field each', () => {
    const store = create(createHostSlice);
    expect(store.getState()).toMatchObject({ link: 'connecting', host: null, status: null, settings: null });
    store.getState().setLink('open');
    store.getState().setStatus(status('error', 1935));
    expect(store.getState()).toMatchObject({ link: 'open', status: { state: 'error', port: 1935 }, settings: null });
  });

  it('marks what it shows as lost when the link drops after a status, and keeps it lost until a snapshot re-syncs it', () => {
    const store = create(createHostSlice);
    store.getState().setLink('closed');
    expect(store.getState().lostAt).toBeNull(); // nothing shown yet: nothing stale
    store.getState().setLink('open');
    store.getState().setStatus(status());
    const before = Date.now();
    store.getState().setLink('closed');
    const lostAt = store.getState().lostAt;
    expect(lostAt).toBeGreaterThanOrEqual(before);
    store.getState().setLink('connecting');
    store.getState().setLink('open');
    // Open again, but nothing re-read yet: still the old state, still lost since the first drop.
    expect(store.getState().lostAt).toBe(lostAt);
    store.setState(hostFromSnapshot(snapshot()));
    expect(store.getState().lostAt).toBeNull();
  });
});
