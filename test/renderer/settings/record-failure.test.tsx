import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordingPanel } from '../../../renderer/src/recording/RecordingPanel.js';
import { renderWith } from '../helpers/render.js';
import { publish, snapshot } from '../helpers/payloads.js';

afterEach(cleanup);

describe('Recording: a failure to record is about the folder it happened with', () => {
  it('is shown after Record, and gone once another folder is set (issue 8: it stayed after the folder was fixed)', async () => {
    const { api, store, container } = renderWith(<RecordingPanel />);
    act(() => store.getState().applyBatch(publish('live/a', 1)));
    api.handle('start-recording', () => {
      throw Object.assign(new Error('cannot write recordings to /etc/passwd/rec: ENOTDIR: /etc/passwd is a file, not a folder'), { code: 'recorder' });
    });
    await act(async () => fireEvent.click(screen.getByTestId('record-toggle')));
    expect(container.querySelector('.err')?.textContent).toBe('cannot write recordings to /etc/passwd/rec: ENOTDIR: /etc/passwd is a file, not a folder');
    act(() => store.getState().setSettings({ ...snapshot().settings, recordDir: '/home/me/Videos/Intake/fixed' }));
    expect(container.querySelector('.err')).toBeNull();
  });
});
