/** Test helpers: stores fed like the host feeds them, and providers to render panels in. */
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { TimelineEntry } from '../../../app/contract/engine.js';
import type { IntakeApi, Snapshot, UiBatch } from '../../../app/contract/ui.js';
import { HostContext, StoreContext } from '../../../renderer/src/context.js';
import { createIntakeStore, type IntakeStore } from '../../../renderer/src/store/store.js';
import { CLOSED, MESSAGES, OPENED, STEPS } from './ffmpeg-session-data.js';

/** A batch with nothing in it but `patch`. */
export function batch(patch: Partial<UiBatch>): UiBatch {
  return { opened: [], closed: [], steps: [], messages: [], streamsStarted: [], streamsUpdated: [], streamsEnded: [], stats: [], recordings: [], logs: [], ...patch };
}

/** A snapshot of an idle host. */
export function emptySnapshot(): Snapshot {
  return {
    host: { transport: 'websocket', version: 'test', canOpenFolder: false },
    status: { state: 'listening', host: '127.0.0.1', port: 1935, publishUrl: 'rtmp://127.0.0.1:1935/live' },
    settings: { host: '127.0.0.1', port: 1935, recordDir: '/tmp', autoRecord: false },
    connections: [],
    streams: [],
    stats: [],
    recordings: [],
    logs: [],
    ended: [],
  };
}

/** A store after the snapshot, with the ffmpeg connection opened (and nothing else yet). */
export function storeWithConnection(): IntakeStore {
  const store = createIntakeStore();
  store.getState().applySnapshot(emptySnapshot());
  store.getState().applyBatch(batch({ opened: [OPENED] }));
  return store;
}

/** The whole ffmpeg session as the host would batch it: steps, then messages, then the close. */
export function feedFfmpegSession(store: IntakeStore): void {
  store.getState().applyBatch(batch({ steps: STEPS, messages: MESSAGES }));
  store.getState().applyBatch(batch({ closed: [CLOSED] }));
}

/** A host whose requests are answered by `answer`, with no events. */
export function fakeApi(answer: (name: string, arg: unknown) => unknown = () => undefined): IntakeApi & { calls: [string, unknown][] } {
  const calls: [string, unknown][] = [];
  return {
    transport: 'websocket',
    calls,
    request: (async (name: string, arg: unknown) => {
      calls.push([name, arg]);
      return answer(name, arg);
    }) as IntakeApi['request'],
    on: () => () => {},
  };
}

/** Render `ui` inside the app's providers. */
export function renderWith(ui: ReactNode, store: IntakeStore, api: IntakeApi = fakeApi()) {
  return render(
    <HostContext.Provider value={api}>
      <StoreContext.Provider value={store}>{ui}</StoreContext.Provider>
    </HostContext.Provider>,
  );
}

const media = MESSAGES.filter((m) => m.kind === 'audio' || m.kind === 'video');

/**
 * `n` more messages continuing the ffmpeg session from `seq`: its media over
 * and over, with an Acknowledgement from the client every 400 messages, as
 * a long stream looks.
 */
export function moreMessages(seq: number, n: number, connectionId = OPENED.connectionId): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (let i = 0; i < n; i++, seq++) {
    const atMs = 100 + seq * 12;
    if (seq % 400 === 0) {
      out.push({ connectionId, seq, direction: 'in', atMs, typeId: 3, typeName: 'Acknowledgement', kind: 'control', csid: 2, streamId: 0, timestamp: 0, length: 4, control: { kind: 'ack', sequence: seq * 1000 } });
    } else {
      const m = media[seq % media.length];
      out.push({ ...m, connectionId, seq, atMs, timestamp: Math.floor(atMs) });
    }
  }
  return out;
}
