import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StreamList } from '../../../renderer/src/streams/StreamList.js';
import { renderWith } from '../helpers/render.js';
import { batch, conn, publish, snapshot, stats, status } from '../helpers/payloads.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  Reflect.deleteProperty(navigator, 'clipboard');
});

describe('StreamList', () => {
  it('shows where to publish, and copies the URL and the key', async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderWith(<StreamList />, snapshot({ status: status('listening', 1940) }));
    const empty = screen.getByTestId('empty-state');
    expect(empty.textContent).toContain('rtmp://127.0.0.1:1940/live');
    expect(empty.textContent).toContain('rtmp://127.0.0.1:1940/live/intake'); // the ffmpeg line
    fireEvent.click(screen.getByTestId('copy-url'));
    await waitFor(() => expect(screen.getByTestId('copy-url').textContent).toBe('Copied'));
    expect(writeText).toHaveBeenCalledWith('rtmp://127.0.0.1:1940/live');
    fireEvent.click(screen.getByTestId('copy-key'));
    await waitFor(() => expect(writeText).toHaveBeenLastCalledWith('intake'));
  });

  it('copies with execCommand where there is no Clipboard API', async () => {
    const exec = vi.fn(() => true);
    Object.defineProperty(document, 'execCommand', { value: exec, configurable: true });
    renderWith(<StreamList />);
    fireEvent.click(screen.getByTestId('copy-url'));
    await waitFor(() => expect(screen.getByTestId('copy-url').textContent).toBe('Copied'));
    expect(exec).toHaveBeenCalledWith('copy');
  });

  it('shows a port error with a port field whose Apply restarts the listener', async () => {
    const { api } = renderWith(<StreamList />, snapshot({ status: status('error', 1935) }));
    expect(screen.queryByTestId('empty-state')).toBeNull();
    expect(screen.getByTestId('port-error').textContent).toContain('address already in use 127.0.0.1:1935');
    api.handle('set-settings', (arg) => ({ settings: snapshot().settings, status: status('listening', arg.port) }));
    fireEvent.change(screen.getByTestId('port-input'), { target: { value: '70000' } });
    expect((screen.getByTestId('port-apply') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId('port-input'), { target: { value: '1936' } });
    fireEvent.click(screen.getByTestId('port-apply'));
    await waitFor(() => expect(api.requests('set-settings')).toEqual([{ port: 1936 }]));
    // The answer's status replaces the error: the empty state shows the new URL.
    await waitFor(() => expect(screen.getByTestId('empty-state').textContent).toContain('rtmp://127.0.0.1:1936/live'));
    expect(screen.queryByTestId('port-error')).toBeNull();
  });

  it('lists publishers newest first with codec, resolution, fps and bitrate; the newest is selected', () => {
    const { store } = renderWith(<StreamList />);
    act(() => {
      store.getState().applyBatch(publish('live/a', 1));
      store.getState().applyBatch(publish('live/b', 2));
      store.getState().applyBatch(batch({ stats: [stats('live/a', 1, 300), stats('live/b', 2, 300)] }));
    });
    const items = screen.getAllByTestId('stream-item');
    expect(items.map((i) => i.getAttribute('data-path'))).toEqual(['live/b', 'live/a']);
    expect(items.map((i) => i.getAttribute('aria-selected'))).toEqual(['true', 'false']);
    const row = within(items[0]);
    expect(row.getByTestId('stream-video').textContent).toContain('H.264 · 1280×720 · 30 fps');
    expect(row.getByTestId('stream-video').textContent).toContain('2.50 Mbit/s');
    expect(row.getByTestId('stream-codecs').textContent).toBe('avc1.64001f · mp4a.40.2');
    expect(items[0].textContent).toContain('Lavf59.27.100');
    fireEvent.click(items[1]);
    expect(store.getState().selectedPath).toBe('live/a');
    expect(screen.getAllByTestId('stream-item')[1].getAttribute('aria-selected')).toBe('true');
  });

  it('keeps an ended stream greyed, with why it ended and the rule the client broke', () => {
    const { store } = renderWith(<StreamList />);
    act(() => {
      store.getState().applyBatch(publish('live/bad', 1));
      store.getState().applyBatch(batch({
        streamsEnded: [{ path: 'live/bad', connectionId: 1, reason: 'connection closed' }],
        closed: [{ connectionId: 1, by: 'server', reason: 'protocol error', error: { code: 'message-too-large', message: 'message length 99999999 over the limit' }, atMs: 900, bytesIn: 4000, bytesOut: 3073 }],
      }));
    });
    const item = screen.getByTestId('stream-item');
    expect(item.getAttribute('data-ended')).toBe('true');
    expect(item.className).toContain('is-ended');
    // #8 changes the words: how it ended is said once, as a dropped connection with the rule broken.
    expect(screen.getByTestId('stream-end').textContent).toBe('Connection dropped: message-too-large: message length 99999999 over the limit');
    expect(item.textContent).toContain('message-too-large: message length 99999999 over the limit');
    expect(screen.getByTestId('empty-state')).toBeTruthy();
  });

  it('an ended row keeps the encoder, resolution and bitrate it had, and says in words, once, whether the publisher stopped cleanly or its connection dropped', () => {
    const { store } = renderWith(<StreamList />);
    const close = (id: number, reason: string) => ({ connectionId: id, by: 'client' as const, reason, atMs: 9000, bytesIn: 1, bytesOut: 1 });
    act(() => {
      store.getState().applyBatch(publish('live/clean', 1));
      store.getState().applyBatch(publish('live/killed', 2));
      // 300 video + 469 audio frames of 4000 B over 9.9 s: 2.49 Mbit/s on average.
      store.getState().applyBatch(batch({ stats: [stats('live/clean', 1), stats('live/killed', 2)] }));
      store.getState().applyBatch(batch({
        streamsEnded: [{ path: 'live/clean', connectionId: 1, reason: 'FCUnpublish' }, { path: 'live/killed', connectionId: 2, reason: 'client closed the connection' }],
        closed: [close(1, 'client closed the connection'), close(2, 'client closed the connection')],
      }));
    });
    const row = (p: string) => screen.getAllByTestId('stream-item').find((e) => e.getAttribute('data-path') === p)!;
    for (const p of ['live/clean', 'live/killed']) {
      expect(row(p).getAttribute('data-ended')).toBe('true');
      expect(row(p).textContent).toContain('Lavf59.27.100');
      expect(row(p).querySelector('[data-testid="stream-video"]')!.textContent).toBe('H.264 · 1280×720avg 2.49 Mbit/s');
    }
    const clean = row('live/clean').querySelector('[data-testid="stream-end"]')!;
    expect(clean.textContent).toBe('Stopped cleanly (FCUnpublish)');
    expect(clean.getAttribute('data-end')).toBe('clean');
    const killed = row('live/killed').querySelector('[data-testid="stream-end"]')!;
    expect(killed.textContent).toBe('Connection dropped mid-stream: client closed the connection');
    expect(killed.getAttribute('data-end')).toBe('dropped');
    expect(row('live/killed').textContent!.split('client closed the connection')).toHaveLength(2);
  });
});

describe('refused publishes (#8)', () => {
  afterEach(cleanup);

  it('are listed under the streams with the key and why, and a click shows that connection', () => {
    const { store } = renderWith(<StreamList />);
    const refusedSteps = (id: number, key: string, reply: string) => [
      { connectionId: id, id: 'connect' as const, label: 'connect', state: 'answered' as const, atMs: 5, detail: { app: 'live' } },
      { connectionId: id, id: 'publish' as const, label: 'publish', state: 'failed' as const, atMs: 9, detail: { key, name: key }, reply },
    ];
    act(() => {
      store.getState().applyBatch(publish('live/dup', 1));
      store.getState().applyBatch(batch({ opened: [conn(2), conn(3)], steps: [
        ...refusedSteps(2, 'dup', 'onStatus NetStream.Publish.BadName: live/dup is already being published'),
        ...refusedSteps(3, '', 'onStatus NetStream.Publish.BadName: empty stream key'),
      ] }));
    });
    const rows = screen.getAllByTestId('refused-item');
    expect(rows.map((r) => r.getAttribute('data-connection'))).toEqual(['3', '2']);
    expect(rows[1].textContent).toContain('live/dup');
    expect(within(rows[1]).getByTestId('refused-reason').textContent).toBe('NetStream.Publish.BadName: live/dup is already being published');
    expect(within(rows[0]).getByTestId('refused-reason').textContent).toBe('NetStream.Publish.BadName: empty stream key');
    // The live stream is still the one listed live.
    expect(screen.getAllByTestId('stream-item').map((r) => r.getAttribute('data-path'))).toEqual(['live/dup']);
    fireEvent.click(rows[1]);
    expect(store.getState().selectedConnectionId).toBe(2);
    expect(screen.getAllByTestId('refused-item')[1].getAttribute('aria-selected')).toBe('true');
  });
});

describe('the streams list by keyboard (#8)', () => {
  afterEach(cleanup);

  it('arrow keys walk live, ended and refused rows in the order shown, selecting each', () => {
    const { store } = renderWith(<StreamList />);
    act(() => {
      store.getState().applyBatch(publish('live/a', 1));
      store.getState().applyBatch(publish('live/b', 2));
      store.getState().applyBatch(batch({ streamsEnded: [{ path: 'live/a', connectionId: 1, reason: 'FCUnpublish' }] }));
      store.getState().applyBatch(batch({ opened: [conn(3)], steps: [{ connectionId: 3, id: 'publish', label: 'publish', state: 'failed', atMs: 9, detail: { key: 'b' }, reply: 'onStatus NetStream.Publish.BadName: live/b is already being published' }] }));
    });
    const list = screen.getByRole('listbox');
    const first = screen.getAllByTestId('stream-item')[0];
    first.focus();
    expect(first.getAttribute('data-path')).toBe('live/b');
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(store.getState().selectedPath).toBe('live/a');
    expect(document.activeElement?.getAttribute('data-path')).toBe('live/a');
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(store.getState().selectedConnectionId).toBe(3);
    expect(document.activeElement?.getAttribute('data-testid')).toBe('refused-item');
    fireEvent.keyDown(list, { key: 'ArrowUp' });
    expect(store.getState().selectedPath).toBe('live/a');
  });
});
