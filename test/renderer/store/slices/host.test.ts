import { describe, expect, it } from 'vitest';
import { create } from 'zustand';
import { createHostSlice, hostFromSnapshot } from '../../../../renderer/src/store/slices/host.js';
import { snapshot, status } from '../../helpers/payloads.js';

describe('host slice', () => {
  it('takes host, status and settings from a snapshot, but not the link (the transport owns it)', () => {
    const snap = snapshot();
    expect(hostFromSnapshot(snap)).toEqual({ host: snap.host, status: snap.status, settings: snap.settings });
  });

  it('is a slice on its own: starts connecting, and its setters change one field each', () => {
    const store = create(createHostSlice);
    expect(store.getState()).toMatchObject({ link: 'connecting', host: null, status: null, settings: null });
    store.getState().setLink('open');
    store.getState().setStatus(status('error', 1935));
    expect(store.getState()).toMatchObject({ link: 'open', status: { state: 'error', port: 1935 }, settings: null });
  });
});
