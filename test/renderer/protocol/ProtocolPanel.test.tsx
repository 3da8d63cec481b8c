import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolPanel } from '../../../renderer/src/protocol/ProtocolPanel.js';
import { OPENED, STEPS } from '../timeline/ffmpeg-session-data.js';
import { batch, emptySnapshot, feedFfmpegSession, renderWith, storeWithConnection } from '../timeline/session.js';
import { createIntakeStore } from '../../../renderer/src/store/store.js';

afterEach(cleanup);

const states = (): Record<string, string> =>
  Object.fromEntries(screen.getAllByTestId('protocol-step').map((el) => [el.dataset.step, el.dataset.state]));

describe('ProtocolPanel', () => {
  it('says so when there is no connection', () => {
    const store = createIntakeStore();
    store.getState().applySnapshot(emptySnapshot());
    renderWith(<ProtocolPanel />, store);
    expect(screen.queryAllByTestId('protocol-step')).toHaveLength(0);
    expect(screen.getByText(/No connection yet/)).toBeTruthy();
  });

  it('updates live as the steps arrive, with no selected stream yet', () => {
    const store = storeWithConnection();
    renderWith(<ProtocolPanel />, store);
    expect(screen.getAllByTestId('protocol-step')).toHaveLength(16);
    expect(states().connect).toBe('waiting');
    const connectAt = STEPS.findIndex((s) => s.id === 'connect' && s.state === 'answered');
    act(() => store.getState().applyBatch(batch({ steps: STEPS.slice(0, connectAt + 1) })));
    expect(states()).toMatchObject({ 'tcp-accept': 'answered', handshake: 'answered', connect: 'answered', publish: 'waiting' });
    act(() => store.getState().applyBatch(batch({ steps: STEPS.slice(connectAt + 1).filter((s) => s.id !== 'close') })));
    expect(states()).toMatchObject({ publish: 'answered', metadata: 'received', streaming: 'received', close: 'waiting' });
  });

  it('shows times, replies, the not-sent _checkbw and the close reason', () => {
    const store = storeWithConnection();
    feedFfmpegSession(store);
    renderWith(<ProtocolPanel />, store);
    const row = (id: string) => screen.getAllByTestId('protocol-step').find((el) => el.dataset.step === id)!;
    expect(row('connect').textContent).toContain('_result NetConnection.Connect.Success');
    expect(row('connect').textContent).toContain('6 ms');
    expect(row('check-bw').textContent).toContain('not sent');
    expect(row('close').textContent).toContain('closed by client: client closed the connection');
    expect(row('close').textContent).toContain('251 ms');
  });

  it('opens the decoded payload of a step on click', () => {
    const store = storeWithConnection();
    feedFfmpegSession(store);
    renderWith(<ProtocolPanel />, store);
    const connect = screen.getAllByTestId('protocol-step').find((el) => el.dataset.step === 'connect')!;
    expect(within(connect).queryByTestId('protocol-step-detail')).toBeNull();
    fireEvent.click(within(connect).getByRole('button'));
    const detail = within(connect).getByTestId('protocol-step-detail');
    expect(detail.textContent).toContain('FMLE/3.0 (compatible; Lavf59.27.100)');
    expect(detail.textContent).toContain('tcUrl');
    fireEvent.click(within(connect).getByRole('button'));
    expect(within(connect).queryByTestId('protocol-step-detail')).toBeNull();
  });

  it('picks between connections, defaulting to the selected one', () => {
    const store = storeWithConnection();
    feedFfmpegSession(store);
    const second = { ...OPENED, connectionId: 2, remotePort: 50000 };
    store.getState().applyBatch(batch({ opened: [second], steps: [{ ...STEPS[0], connectionId: 2 }] }));
    store.getState().selectConnection(1);
    renderWith(<ProtocolPanel />, store);
    const picker = screen.getByTestId('protocol-connection') as HTMLSelectElement;
    expect(picker.value).toBe('1');
    expect([...picker.options].map((o) => o.textContent)).toEqual([`#1 ${OPENED.remoteAddress}:${OPENED.remotePort} · closed`, `#2 ${OPENED.remoteAddress}:50000 · open`]);
    expect(states().publish).toBe('answered');
    fireEvent.change(picker, { target: { value: '2' } });
    expect(store.getState().selectedConnectionId).toBe(2);
    expect(states()).toMatchObject({ 'tcp-accept': 'answered', handshake: 'waiting', publish: 'waiting' });
  });

  it('picking a connection with a stream moves preview and capture with it; one without says which stream they still show', () => {
    const store = createIntakeStore();
    store.getState().applySnapshot(emptySnapshot());
    const stream = (path: string, connectionId: number) => ({ path, app: 'live', key: path.slice(5), connectionId, remoteAddress: '127.0.0.1', publishType: 'live', startedAt: 1 });
    store.getState().applyBatch(batch({ opened: [{ ...OPENED, connectionId: 1 }, { ...OPENED, connectionId: 2 }, { ...OPENED, connectionId: 3 }], streamsStarted: [stream('live/a', 1), stream('live/b', 2)] }));
    renderWith(<ProtocolPanel />, store);
    expect(store.getState().selectedPath).toBe('live/b');
    const picker = screen.getByTestId('protocol-connection') as HTMLSelectElement;
    fireEvent.change(picker, { target: { value: '1' } });
    expect(store.getState()).toMatchObject({ selectedPath: 'live/a', selectedConnectionId: 1 });
    expect(screen.queryByTestId('protocol-other-stream')).toBeNull();
    fireEvent.change(picker, { target: { value: '3' } });
    expect(store.getState()).toMatchObject({ selectedPath: 'live/a', selectedConnectionId: 3 });
    expect(screen.getByTestId('protocol-other-stream').textContent).toBe('#3 published no stream; preview and capture show live/a (#1)');
  });
});
