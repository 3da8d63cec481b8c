import { describe, expect, it } from 'vitest';
import type { LinkState } from '../../../app/contract/ui.js';
import { bindStore } from '../../../renderer/src/store/bind.js';
import { createIntakeStore } from '../../../renderer/src/store/store.js';
import { FakeApi } from '../helpers/fake-api.js';
import { snapshot, stream } from '../helpers/payloads.js';
import { MESSAGES, OPENED } from '../timeline/ffmpeg-session-data.js';
import { batch } from '../timeline/session.js';

const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/** A host whose link can drop, as the WebSocket's: the contract's followLink. */
class LinkedApi extends FakeApi {
  private link: LinkState = 'connecting';
  private readonly followers = new Set<(s: LinkState) => void>();
  followLink(listener: (s: LinkState) => void): () => void {
    listener(this.link);
    this.followers.add(listener);
    return () => this.followers.delete(listener);
  }
  setLink(s: LinkState): void {
    this.link = s;
    for (const f of this.followers) f(s);
  }
}

describe('bindStore and the link to the host', () => {
  it('a host without followLink (Electron) is open at once and read once', async () => {
    const api = new FakeApi(snapshot({ streams: [stream('live/a', 1)] }));
    const store = createIntakeStore();
    const stop = bindStore(api, store);
    expect(store.getState().link).toBe('open');
    await flush();
    expect(api.requests('snapshot')).toHaveLength(1);
    expect(store.getState().streamPaths).toEqual(['live/a']);
    stop();
  });

  it('a host with followLink is read each time the link opens, and shown while it is down', async () => {
    const api = new LinkedApi(snapshot());
    const store = createIntakeStore();
    const stop = bindStore(api, store);
    expect(store.getState().link).toBe('connecting');
    expect(api.requests('snapshot')).toHaveLength(0);
    api.setLink('open');
    await flush();
    api.setLink('closed');
    expect(store.getState().link).toBe('closed');
    api.setLink('open');
    await flush();
    expect(api.requests('snapshot')).toHaveLength(2);
    stop();
    api.setLink('closed');
    expect(store.getState().link).toBe('open');
  });
});

describe('createIntakeStore', () => {
  it('gives each store its own timeline buffer', () => {
    const a = createIntakeStore();
    const b = createIntakeStore();
    a.getState().applyBatch(batch({ opened: [OPENED], messages: MESSAGES }));
    expect(a.getState().timeline.entries(1)).toHaveLength(MESSAGES.length);
    expect(b.getState().timeline.entries(1)).toHaveLength(0);
    // The buffer stays the same object through batches and snapshots: components hold it.
    const buf = a.getState().timeline;
    a.getState().applySnapshot(snapshot());
    expect(a.getState().timeline).toBe(buf);
    expect(buf.entries(1)).toHaveLength(0);
  });
});
