import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../app/contract/engine.js';
import type { UiBatch, UiEventName, UiEvents } from '../../app/contract/ui.js';
import { BATCH_MAX_ITEMS, ClientSession } from '../../app/host/client-session.js';
import type { SessionHost } from '../../app/host/session-host.js';

const entry = (seq: number): TimelineEntry => ({ connectionId: 1, seq, direction: 'in', atMs: seq, typeId: 9, typeName: 'Video', csid: 6, streamId: 1, timestamp: seq, length: 100 }) as TimelineEntry;

describe('a session queues no more than a batch before its transport takes it', () => {
  it('sends a full batch at once instead of holding a burst until the timer', () => {
    const batches: UiBatch[] = [];
    const sink = { event: <K extends UiEventName>(name: K, p: UiEvents[K]) => void (name === 'batch' && batches.push(p as UiBatch)) };
    const session = new ClientSession({} as SessionHost, sink, () => {});
    const n = BATCH_MAX_ITEMS * 3 + 10;
    for (let i = 0; i < n; i++) session.add('messages', entry(i));
    // Synchronously: three full batches went out; the rest waits for the timer, in order, none lost.
    expect(batches.map((b) => b.messages.length)).toEqual([BATCH_MAX_ITEMS, BATCH_MAX_ITEMS, BATCH_MAX_ITEMS]);
    expect(batches.flatMap((b) => b.messages.map((m) => m.seq))).toEqual([...Array(BATCH_MAX_ITEMS * 3).keys()]);
    session.detach();
  });
});
