import { afterEach, describe, expect, it, vi } from 'vitest';
import { firstRenderWithSnapshot } from '../../renderer/src/first-render.js';
import { createIntakeStore } from '../../renderer/src/store/store.js';
import { snapshot } from './helpers/payloads.js';

afterEach(() => vi.useRealTimers());

describe('the first render waits for the snapshot, a bounded while', () => {
  it('renders once, as the snapshot is applied, and not again for later changes or the time-out', () => {
    vi.useFakeTimers();
    const store = createIntakeStore();
    const render = vi.fn();
    firstRenderWithSnapshot(store, render, 250);
    vi.advanceTimersByTime(100);
    expect(render).not.toHaveBeenCalled();
    store.getState().applySnapshot(snapshot());
    expect(render).toHaveBeenCalledTimes(1);
    store.getState().applySnapshot(snapshot());
    vi.advanceTimersByTime(1000);
    expect(render).toHaveBeenCalledTimes(1);
  });

  it('renders the window as it is when no snapshot comes in time (no Intake yet)', () => {
    vi.useFakeTimers();
    const store = createIntakeStore();
    const render = vi.fn();
    firstRenderWithSnapshot(store, render, 250);
    vi.advanceTimersByTime(249);
    expect(render).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(render).toHaveBeenCalledTimes(1);
    store.getState().applySnapshot(snapshot());
    expect(render).toHaveBeenCalledTimes(1);
  });

  it('renders at once when the snapshot is already there', () => {
    const store = createIntakeStore();
    store.getState().applySnapshot(snapshot());
    const render = vi.fn();
    firstRenderWithSnapshot(store, render);
    expect(render).toHaveBeenCalledTimes(1);
  });
});
