import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TIMELINE_UI_CAP } from '../../../app/contract/limits.js';
import { TimelinePanel } from '../../../renderer/src/timeline/TimelinePanel.js';
import { RowBuilder } from '../../../renderer/src/timeline/timeline-model.js';
import { MESSAGES } from './ffmpeg-session-data.js';
import { batch, fakeApi, feedFfmpegSession, moreMessages, renderWith, storeWithConnection } from './session.js';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const rows = () => screen.queryAllByTestId('timeline-row');
const names = () => rows().map((r) => r.dataset.name ?? r.dataset.kind);

function renderSession() {
  const store = storeWithConnection();
  feedFfmpegSession(store);
  renderWith(<TimelinePanel />, store);
  return store;
}

describe('TimelinePanel with a real ffmpeg session', () => {
  it('lists the commands in the order ffmpeg sent them, media collapsed into a run', () => {
    renderSession();
    const inbound = rows().filter((r) => r.dataset.kind === 'command' && r.dataset.direction === 'in').map((r) => r.dataset.name);
    expect(inbound).toEqual(['connect', 'releaseStream', 'FCPublish', 'createStream', 'publish', 'FCUnpublish', 'deleteStream']);
    expect(rows().find((r) => r.dataset.kind === 'data')?.dataset.name).toBe('@setDataFrame');
    const runs = screen.getAllByTestId('timeline-run');
    expect(runs).toHaveLength(1);
    expect(runs[0].textContent).toContain('video ×102, audio ×175');
    expect(rows().some((r) => r.dataset.kind === 'video')).toBe(false);
  });

  it('filter chips show counts and hide their kind', () => {
    renderSession();
    const video = screen.getByTestId('timeline-filter-video');
    expect(video.textContent).toContain('102');
    expect(screen.getByTestId('timeline-filter-command').textContent).toContain('13');
    fireEvent.click(video);
    expect(video.getAttribute('aria-pressed')).toBe('false');
    expect(screen.getByTestId('timeline-run').textContent).not.toContain('video');
    fireEvent.click(screen.getByTestId('timeline-filter-command'));
    expect(rows().filter((r) => r.dataset.kind === 'command')).toHaveLength(0);
    expect(screen.getByTestId('timeline-filter-command').textContent).toContain('13');
  });

  it('expands a run, or shows every media message', () => {
    renderSession();
    fireEvent.click(within(screen.getByTestId('timeline-run')).getByRole('button', { name: 'Expand run' }));
    expect(rows().filter((r) => r.dataset.kind === 'video').length).toBeGreaterThan(0);
    fireEvent.click(within(screen.getByTestId('timeline-run')).getByRole('button', { name: 'Collapse run' }));
    expect(rows().filter((r) => r.dataset.kind === 'video')).toHaveLength(0);
    fireEvent.click(screen.getByTestId('timeline-every-media'));
    expect(screen.queryByTestId('timeline-run')).toBeNull();
    // Opening a run paused following; back at live, the last messages are in view.
    expect(names()[0]).toBe('connect');
    fireEvent.click(screen.getByTestId('timeline-live'));
    expect(names().slice(-4)).toEqual(['video', 'FCUnpublish', 'onFCUnpublish', 'deleteStream']);
  });

  it('shows the decoded AMF payload of the selected row', () => {
    renderSession();
    expect(screen.getByTestId('timeline-detail').textContent).toContain('Select a message');
    fireEvent.click(rows().find((r) => r.dataset.name === 'connect')!);
    const detail = screen.getByTestId('timeline-detail').textContent!;
    expect(detail).toContain('tcUrl');
    expect(detail).toContain('FMLE/3.0 (compatible; Lavf59.27.100)');
    fireEvent.click(rows().find((r) => r.dataset.name === 'Set Chunk Size' || r.dataset.kind === 'control')!);
    expect(screen.getByTestId('timeline-detail').textContent).toContain('window-ack-size');
  });

  it('moves the selection with the keyboard', () => {
    renderSession();
    fireEvent.click(rows().find((r) => r.dataset.name === 'connect')!);
    const grid = screen.getByRole('grid', { name: 'Messages' });
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    expect(screen.getByTestId('timeline-detail').textContent).toContain('window-ack-size');
    expect(grid.querySelector('[aria-selected="true"]')?.getAttribute('data-seq')).toBe('1');
    fireEvent.keyDown(grid, { key: 'End' });
    expect(screen.getByTestId('timeline-detail').textContent).toContain('deleteStream');
  });
});

describe('TimelinePanel with an hour of stream', () => {
  it('of 300 000 entries keeps the newest, draws only a window of them, and an appended batch is folded alone', () => {
    const store = storeWithConnection();
    store.getState().applyBatch(batch({ messages: [...MESSAGES.slice(0, 16), ...moreMessages(16, 300_000 - 16)] }));
    const add = vi.spyOn(RowBuilder.prototype, 'add');
    renderWith(<TimelinePanel />, store);
    expect(add).toHaveBeenCalledTimes(TIMELINE_UI_CAP);
    expect(rows().length + screen.queryAllByTestId('timeline-run').length).toBeLessThan(60);
    add.mockClear();
    act(() => store.getState().applyBatch(batch({ messages: moreMessages(300_000, 100) })));
    expect(add).toHaveBeenCalledTimes(100);
    // The chips count every message the connection sent, not only the ones the window holds.
    expect(screen.getByTestId('timeline-filter-control').textContent).toContain('755');
    // The rest is at the host: the window says so and offers it.
    const held = String(TIMELINE_UI_CAP + 100).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
    expect(screen.getByTestId('timeline-range').textContent).toMatch(new RegExp(`newest ${held} of 300.100 messages`));
  });

  it('stops following when scrolled up; "jump to live" resumes', () => {
    const store = storeWithConnection();
    store.getState().applyBatch(batch({ messages: moreMessages(0, 20_000) }));
    renderWith(<TimelinePanel />, store);
    const viewport = screen.getByRole('grid', { name: 'Messages' });
    Object.defineProperty(viewport, 'clientHeight', { value: 600, configurable: true });
    Object.defineProperty(viewport, 'scrollHeight', { value: 10_000, configurable: true });
    expect(screen.queryByTestId('timeline-live')).toBeNull();
    viewport.scrollTop = 1000;
    fireEvent.scroll(viewport);
    expect(screen.getByTestId('timeline-live')).toBeTruthy();
    // The window is where the user scrolled, and stays there as rows arrive.
    const before = screen.getAllByTestId('timeline-row')[0].dataset.seq;
    act(() => store.getState().applyBatch(batch({ messages: moreMessages(20_000, 500) })));
    expect(screen.getAllByTestId('timeline-row')[0].dataset.seq).toBe(before);
    fireEvent.click(screen.getByTestId('timeline-live'));
    expect(screen.queryByTestId('timeline-live')).toBeNull();
  });
});

describe('TimelinePanel: older messages paged in from the host', () => {
  it('"Earlier" shows the host range before what the window holds; "Back to live" returns', async () => {
    const store = storeWithConnection();
    store.getState().applyBatch(batch({ messages: [...MESSAGES.slice(0, 16), ...moreMessages(16, 30_000 - 16)] }));
    const held = store.getState().timeline.entries(1);
    const liveFrom = store.getState().timeline.dropped(1);
    expect(liveFrom).toBe(30_000 - held.length);
    const api = fakeApi((name, arg) => {
      const { from, count } = arg as { from: number; count: number };
      const entries = moreMessages(from, count);
      return name === 'timeline' ? { connectionId: 1, from, total: 30_000, dropped: 0, entries } : undefined;
    });
    renderWith(<TimelinePanel />, store, api);
    fireEvent.click(screen.getByTestId('timeline-earlier'));
    const from = liveFrom - 5000;
    expect(api.calls).toEqual([['timeline', { connectionId: 1, from, count: 5000 }]]);
    await screen.findByText(new RegExp(`^messages ${String(from + 1).replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`));
    // The list starts at the range's first message.
    fireEvent.click(screen.getByTestId('timeline-every-media'));
    expect(Number(screen.getAllByTestId('timeline-row')[0].dataset.seq)).toBe(from);
    fireEvent.click(screen.getByTestId('timeline-back-live'));
    expect(screen.getByTestId('timeline-range').textContent).toMatch(/^newest/);
  });
});
