import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../renderer/src/App.js';
import { describeStatus } from '../../../renderer/src/layout/Header.js';
import { settingsPatch } from '../../../renderer/src/settings/SettingsDialog.js';
import { renderWith } from '../helpers/render.js';
import { batch, conn, publish, snapshot, stats, status } from '../helpers/payloads.js';

afterEach(cleanup);

describe('App', () => {
  it('lays out every panel and says where it listens', () => {
    renderWith(<App />);
    expect(screen.getByTestId('server-status').textContent).toBe('Listening on rtmp://127.0.0.1:1935');
    for (const id of ['empty-state', 'preview-video', 'capture-percent', 'record-toggle', 'auto-record', 'protocol-panel', 'timeline-panel']) {
      expect(screen.getByTestId(id)).toBeTruthy();
    }
    // jsdom has no MediaSource: the preview says so instead of failing.
  });

  it('shows the selected stream everywhere, and the preview says it cannot play without MediaSource', () => {
    const { store, api } = renderWith(<App />);
    act(() => {
      store.getState().applyBatch(publish('live/a', 1));
      store.getState().applyBatch(batch({ stats: [stats('live/a', 1, 600, 600)] }));
    });
    expect(screen.getByTestId('stream-item').getAttribute('aria-selected')).toBe('true');
    expect(screen.getByTestId('capture-percent').textContent).toBe('100.0 %');
    expect(screen.getByTestId('player-message').textContent).toMatch(/no MediaSource/);
    expect(api.requests('preview')).toContainEqual({ path: null });
  });

  it('says when the link to the host is down or unauthorized', () => {
    const { store } = renderWith(<App />);
    act(() => store.getState().setLink('closed'));
    expect(screen.getByTestId('link-state').textContent).toBe('reconnecting…');
    act(() => store.getState().setLink('unauthorized'));
    expect(screen.getByTestId('link-unauthorized').textContent).toContain('?token=');
  });

  it('when the host is lost, says so and greys what is no longer known; a snapshot on return re-syncs it', () => {
    const { store, container } = renderWith(<App />);
    act(() => {
      store.getState().setLink('open');
      store.getState().applyBatch(publish('live/a', 1));
    });
    expect(screen.getByTestId('live-count').textContent).toBe('1 live');
    act(() => store.getState().setLink('closed'));
    // The listener's state is unknown now: not "Listening" in green as a current fact.
    const st = screen.getByTestId('server-status');
    expect(st.textContent).toMatch(/^Unknown: Intake not reachable/);
    expect(st.className).not.toContain('tone-ok');
    expect(screen.getByTestId('link-lost').textContent).toMatch(/Connection to Intake lost at \d\d:\d\d:\d\d.*Reconnecting/);
    expect(screen.getByTestId('live-count').textContent).toBe('1 live when last known');
    expect(container.querySelector('.app')?.getAttribute('data-stale')).toBe('true');
    // The socket is back, but until the snapshot arrives what is shown is still the old state.
    act(() => store.getState().setLink('open'));
    expect(screen.getByTestId('link-lost').textContent).toContain('reading the current state');
    act(() => store.getState().applySnapshot(snapshot()));
    expect(screen.queryByTestId('link-lost')).toBeNull();
    expect(screen.getByTestId('server-status').textContent).toBe('Listening on rtmp://127.0.0.1:1935');
    expect(screen.getByTestId('live-count').textContent).toBe('0 live');
    expect(container.querySelector('.app')?.getAttribute('data-stale')).toBeNull();
  });

  it('counts warnings and rule breaks in the log strip and lists them in the drawer', () => {
    const { store } = renderWith(<App />);
    act(() => {
      store.getState().applyBatch(batch({ opened: [conn(4)], logs: [{ level: 'warn', message: 'connection #4: chunk stream 3 aborted', connectionId: 4, at: 1 }] }));
      store.getState().applyBatch(batch({ closed: [{ connectionId: 4, by: 'server', reason: 'protocol error', error: { code: 'handshake', message: 'C0 version 7 is not 3' }, atMs: 2, bytesIn: 1537, bytesOut: 0 }] }));
    });
    expect(screen.getByTestId('log-latest').textContent).toContain('chunk stream 3 aborted');
    expect(screen.getByTestId('log-toggle').textContent).toContain('1 warnings');
    fireEvent.click(screen.getByTestId('log-toggle'));
    expect(screen.getByTestId('close-error').textContent).toContain('handshake');
    expect(screen.getByTestId('close-error').textContent).toContain('C0 version 7 is not 3');
  });
});

describe('header and settings helpers', () => {
  it('describes the listener', () => {
    expect(describeStatus(status('error', 1935))).toMatchObject({ tone: 'err', text: expect.stringContaining('address already in use') });
    expect(describeStatus(null).tone).toBe('muted');
  });
  it('sends only the settings that changed', () => {
    const cur = snapshot().settings;
    expect(settingsPatch(cur, { ...cur, port: 1936 })).toEqual({ port: 1936 });
    expect(settingsPatch(cur, cur)).toEqual({});
  });
});
