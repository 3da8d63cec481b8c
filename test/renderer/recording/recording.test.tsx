import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordingPanel } from '../../../renderer/src/recording/RecordingPanel.js';
import { recording } from '../helpers/fake-api.js';
import { renderWith } from '../helpers/render.js';
import { batch, publish, snapshot, stats } from '../helpers/payloads.js';

afterEach(cleanup);

describe('RecordingPanel', () => {
  it('starts and stops the selected stream’s recording and shows its file, size and duration', async () => {
    const { api, store } = renderWith(<RecordingPanel />);
    const toggle = () => screen.getByTestId('record-toggle') as HTMLButtonElement;
    expect(toggle().disabled).toBe(true);
    act(() => store.getState().applyBatch(publish('live/a', 1)));
    expect(toggle().disabled).toBe(false);
    expect(toggle().textContent).toBe('Record');
    const rec = recording('live/a');
    api.handle('start-recording', () => rec);
    fireEvent.click(toggle());
    await waitFor(() => expect(toggle().textContent).toBe('Stop'));
    expect(api.requests('start-recording')).toEqual([{ path: 'live/a', format: 'mp4' }]);
    expect(screen.getByTestId('recording-path').textContent).toBe(rec.file);
    act(() => store.getState().applyBatch(batch({ stats: [stats('live/a', 1, 300, 300, { recording: { ...rec, bytes: 23_400_000, durationMs: 95_000 } })] })));
    expect(screen.getByTestId('recording-size').textContent).toBe('23.4 MB');
    expect(screen.getByTestId('recording-duration').textContent).toBe('1:35');
    api.handle('stop-recording', () => ({ ...rec, state: 'finished' as const }));
    fireEvent.click(toggle());
    await waitFor(() => expect(toggle().textContent).toBe('Record'));
    expect(api.requests('stop-recording')).toEqual([{ path: 'live/a' }]);
    expect(screen.getByTestId('recording-path').textContent).toBe(rec.file);
  });

  it('shows a refused start', async () => {
    const { api, store } = renderWith(<RecordingPanel />);
    act(() => store.getState().applyBatch(publish('live/a', 1)));
    api.handle('start-recording', () => {
      throw new Error('EACCES: permission denied, open /rec/x.flv');
    });
    fireEvent.click(screen.getByTestId('record-toggle'));
    await screen.findByText(/permission denied/);
  });

  it('sets auto-record, and opens the folder only where the host can', async () => {
    const snap = snapshot({ host: { transport: 'electron', version: '0.1.0', canOpenFolder: true } });
    const { api } = renderWith(<RecordingPanel />, snap);
    api.handle('set-settings', (arg) => ({ settings: { ...snap.settings, ...arg }, status: snap.status }));
    const box = screen.getByTestId('auto-record') as HTMLInputElement;
    expect(box.checked).toBe(false);
    fireEvent.click(box);
    await waitFor(() => expect(box.checked).toBe(true));
    expect(api.requests('set-settings')).toEqual([{ autoRecord: true }]);
    fireEvent.click(screen.getByTestId('open-folder'));
    await waitFor(() => expect(api.requests('open-folder')).toEqual([{}]));
    cleanup();
    renderWith(<RecordingPanel />);
    expect(screen.queryByTestId('open-folder')).toBeNull();
  });
});
