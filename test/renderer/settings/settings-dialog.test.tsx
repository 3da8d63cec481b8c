import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsDialog } from '../../../renderer/src/settings/SettingsDialog.js';
import { parsePort } from '../../../renderer/src/settings/port-field.js';
import { renderWith } from '../helpers/render.js';
import { snapshot, status } from '../helpers/payloads.js';

afterEach(cleanup);

const port = (): HTMLInputElement => screen.getByTestId('settings-port');
const apply = (): HTMLButtonElement => screen.getByTestId('settings-apply');
const problem = (id: string): string | null => screen.queryByTestId(id)?.textContent ?? null;

describe('Settings: the port field says why a port cannot be applied', () => {
  it.each([
    ['abc', '“abc” is not a port: use a whole number from 1 to 65535.'],
    ['-5', '“-5” is not a port: use a whole number from 1 to 65535.'],
    ['70000', '70000 is out of range: ports go from 1 to 65535.'],
    ['0', '0 is out of range: ports go from 1 to 65535.'],
    ['', 'Enter a port number from 1 to 65535.'],
    ['19.5', '“19.5” is not a port: use a whole number from 1 to 65535.'],
  ])('%j', (text, why) => {
    expect(parsePort(text)).toEqual({ problem: why });
    renderWith(<SettingsDialog open onClose={() => {}} />);
    fireEvent.change(port(), { target: { value: text } });
    // The text stays as typed ("abc" once became 0), the reason is beside it, and Apply waits.
    expect(port().value).toBe(text);
    expect(problem('settings-port-problem')).toBe(why);
    expect(port().getAttribute('aria-invalid')).toBe('true');
    expect(apply().disabled).toBe(true);
  });

  it('a port is applied as a number, with no problem shown', async () => {
    const { api } = renderWith(<SettingsDialog open onClose={() => {}} />);
    api.handle('set-settings', (p) => ({ settings: { ...snapshot().settings, ...p }, status: status() }));
    fireEvent.change(port(), { target: { value: ' 1936 ' } });
    expect(problem('settings-port-problem')).toBeNull();
    expect(apply().disabled).toBe(false);
    await act(async () => fireEvent.click(apply()));
    expect(api.requests('set-settings')).toEqual([{ port: 1936 }]);
  });
});

describe('Settings: the recording folder', () => {
  it("shows the host's refusal beside the folder field, and sends the other fields only once the folder is accepted", async () => {
    const { api } = renderWith(<SettingsDialog open onClose={() => {}} />);
    api.handle('set-settings', (p) => {
      if (p.recordDir === '/etc') throw Object.assign(new Error('/etc is outside the recording folder chosen at start (/home/me/Videos/Intake)'), { code: 'bad-request' });
      return { settings: { ...snapshot().settings, ...p }, status: status() };
    });
    fireEvent.change(screen.getByTestId('settings-record-dir'), { target: { value: '/etc' } });
    fireEvent.change(port(), { target: { value: '1936' } });
    await act(async () => fireEvent.click(apply()));
    expect(problem('settings-folder-problem')).toBe('/etc is outside the recording folder chosen at start (/home/me/Videos/Intake)');
    expect(api.requests('set-settings')).toEqual([{ recordDir: '/etc' }]);
    // Another folder: the old refusal is not about it.
    fireEvent.change(screen.getByTestId('settings-record-dir'), { target: { value: '/home/me/Videos/Intake/tonight' } });
    expect(problem('settings-folder-problem')).toBeNull();
    await act(async () => fireEvent.click(apply()));
    await waitFor(() => expect(api.requests('set-settings')).toEqual([{ recordDir: '/etc' }, { recordDir: '/home/me/Videos/Intake/tonight' }, { port: 1936 }]));
  });

  it('shows why the folder chosen at start cannot be used, until another is set', () => {
    const err = { code: 'recorder' as const, message: 'cannot write recordings to /proc/nope/rec: ENOENT: /proc does not take new folders' };
    renderWith(<SettingsDialog open onClose={() => {}} />, snapshot({ status: { ...status(), recordDirError: err } }));
    expect(problem('settings-folder-problem')).toBe(err.message);
    fireEvent.change(screen.getByTestId('settings-record-dir'), { target: { value: '/tmp/x' } });
    expect(problem('settings-folder-problem')).toBeNull();
  });

  it('offers the folder dialog where the host has one, and takes the folder picked', async () => {
    const { api } = renderWith(<SettingsDialog open onClose={() => {}} />, snapshot({ host: { transport: 'electron', version: 't', canOpenFolder: true } }));
    api.handle('choose-folder', () => ({ path: '/media/disk/rec' }));
    await act(async () => fireEvent.click(screen.getByTestId('settings-choose-folder')));
    expect((screen.getByTestId('settings-record-dir') as HTMLInputElement).value).toBe('/media/disk/rec');
  });
});

describe('Settings: after a port change', () => {
  it('says which live streams stay on the old port', () => {
    renderWith(<SettingsDialog open onClose={() => {}} />, snapshot({ status: { ...status(), port: 1936, draining: { host: '127.0.0.1', port: 1935, liveStreams: 2 } } }));
    expect(screen.getByTestId('settings-draining').textContent).toBe('2 live streams stay on port 1935 until they end; new publishers use port 1936.');
  });
});
