import { describe, expect, it } from 'vitest';
import { CLOSED_CONNECTIONS_CAP } from '../../../../app/contract/limits.js';
import { appendTimeline, connectionsFromSnapshot, reduceConnections } from '../../../../renderer/src/store/slices/connections.js';
import { TimelineBuffer } from '../../../../renderer/src/store/timeline-buffer.js';
import { conn, snapshot } from '../../helpers/payloads.js';
import { CLOSED, MESSAGES, OPENED, STEPS } from '../../timeline/ffmpeg-session-data.js';
import { batch } from '../../timeline/session.js';

const NONE = new Map<number, number>();
const empty = () => connectionsFromSnapshot(snapshot());

describe('reduceConnections', () => {
  it('returns the same state for a batch that touches no connection', () => {
    const s = empty();
    expect(reduceConnections(s, batch({ logs: [{ level: 'info', message: 'x', at: 1 }] }), NONE, null)).toBe(s);
  });

  it("keeps each step's latest state, in the order steps first appeared (a real ffmpeg publish)", () => {
    const opened = reduceConnections(empty(), batch({ opened: [OPENED] }), NONE, null);
    const s = reduceConnections(opened, batch({ steps: STEPS }), NONE, null);
    const steps = s.connections[1].steps;
    expect(new Set(steps.map((x) => x.id)).size).toBe(steps.length);
    expect(steps[0].id).toBe('tcp-accept');
    expect(steps.find((x) => x.id === 'handshake')).toMatchObject({ state: 'answered', reply: 'S0/S1/S2 sent, C2 received' });
    // The state before is not changed.
    expect(opened.connections[1].steps).toEqual([]);
  });

  it('ignores steps and closes of connections it never saw, and records a close', () => {
    const s = reduceConnections(empty(), batch({ steps: STEPS.slice(0, 3), closed: [CLOSED] }), NONE, null);
    expect(s.connectionIds).toEqual([]);
    const closed = reduceConnections(reduceConnections(empty(), batch({ opened: [OPENED] }), NONE, null), batch({ closed: [CLOSED] }), NONE, null);
    expect(closed.connections[1].closed).toEqual(CLOSED);
  });

  it("bumps the timeline version and message count of each connection the buffer grew", () => {
    const timeline = new TimelineBuffer();
    const opened = reduceConnections(empty(), batch({ opened: [OPENED] }), NONE, null);
    const grown = appendTimeline(timeline, MESSAGES);
    expect(grown).toEqual(new Map([[1, MESSAGES.length]]));
    const s = reduceConnections(opened, batch({ messages: MESSAGES }), grown, null);
    expect(s.timelineVersion[1]).toBe(1);
    expect(s.connections[1].messageCount).toBe(MESSAGES.length);
    // The same messages again add nothing to the buffer, so nothing to bump.
    expect(appendTimeline(timeline, MESSAGES).size).toBe(0);
  });

  it('forgets the oldest closed connections beyond the cap, but not the one kept', () => {
    let s = empty();
    const n = CLOSED_CONNECTIONS_CAP + 3;
    for (let id = 1; id <= n; id++) s = reduceConnections(s, batch({ opened: [conn(id)] }), NONE, null);
    const closes = Array.from({ length: n }, (_, i) => ({ ...CLOSED, connectionId: i + 1 }));
    s = reduceConnections(s, batch({ closed: closes }), NONE, 2);
    expect(s.connectionIds).toEqual([2, ...Array.from({ length: CLOSED_CONNECTIONS_CAP }, (_, i) => i + 4)]);
    expect(s.connections[1]).toBeUndefined();
    expect(s.connections[2].closed).toBeDefined();
  });

  it('takes the snapshot’s connections in order', () => {
    const s = connectionsFromSnapshot(snapshot({ connections: [{ info: conn(3), steps: [], messageCount: 9 }, { info: conn(5), steps: [], messageCount: 0 }] }));
    expect(s.connectionIds).toEqual([3, 5]);
    expect(s.connections[3].messageCount).toBe(9);
  });
});
