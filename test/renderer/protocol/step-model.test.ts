import { describe, expect, it } from 'vitest';
import type { ConnectionClosed, ProtocolStep } from '../../../app/contract/engine.js';
import type { ConnectionState } from '../../../app/contract/ui.js';
import { STEP_ORDER, stepRows } from '../../../renderer/src/protocol/step-model.js';
import { CLOSED, OPENED, STEPS } from '../timeline/ffmpeg-session-data.js';

/** The connection after these step events (latest state of each, as the store keeps them). */
function conn(steps: ProtocolStep[], closed?: ConnectionClosed): ConnectionState {
  const latest = new Map<string, ProtocolStep>();
  for (const s of steps) latest.set(s.id, s);
  return { info: OPENED, steps: [...latest.values()], closed, messageCount: 0 };
}

const upTo = (id: string, state: string): ProtocolStep[] => STEPS.slice(0, STEPS.findIndex((s) => s.id === id && s.state === state) + 1);
const view = (rows: ReturnType<typeof stepRows>): string[] => rows.map((r) => `${r.id} ${r.skipped ? 'skipped' : r.state}${r.note ? ` (${r.note})` : ''}`);

describe('stepRows', () => {
  it('lists every step of DESIGN.md, all waiting, before anything happened', () => {
    const rows = stepRows(conn([]));
    expect(rows.map((r) => r.id)).toEqual(STEP_ORDER);
    expect(rows.every((r) => r.state === 'waiting' && !r.skipped)).toBe(true);
    expect(rows.find((r) => r.id === 'check-bw')?.note).toBe('optional');
    expect(rows.find((r) => r.id === 'close')?.note).toBe('open');
  });

  it('follows ffmpeg live: half-way through, reached steps answered and later ones waiting', () => {
    const rows = view(stepRows(conn(upTo('fc-publish', 'answered'))));
    expect(rows.slice(0, 9)).toEqual([
      'tcp-accept answered', 'handshake answered', 'set-chunk-size received', 'connect answered', 'release-stream answered',
      'fc-publish answered', 'create-stream waiting', 'check-bw waiting (optional)', 'publish waiting',
    ]);
  });

  it('after ffmpeg published: _checkbw was not sent, the media steps arrived, the close says who and why', () => {
    const rows = stepRows(conn(STEPS, CLOSED));
    expect(view(rows)).toEqual([
      'tcp-accept answered', 'handshake answered', 'set-chunk-size received', 'connect answered', 'release-stream answered',
      'fc-publish answered', 'create-stream answered', 'check-bw skipped (not sent)', 'publish answered', 'metadata received',
      'video-sequence-header received', 'audio-sequence-header received', 'first-keyframe received', 'streaming received',
      'unpublish received', 'close received',
    ]);
    const by = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(by.connect.reply).toBe('Window Ack Size 5000000, Set Peer Bandwidth 5000000, Set Chunk Size 4096, _result NetConnection.Connect.Success');
    expect(by['create-stream'].reply).toBe('_result stream id 1');
    expect(by.connect.detail).toMatchObject({ app: 'live', flashVer: 'FMLE/3.0 (compatible; Lavf59.27.100)' });
    expect(by.close.reply).toBe('closed by client: client closed the connection');
    expect(by['video-sequence-header'].detail).toMatchObject({ codec: 'avc1' });
  });

  it('a client that never sent releaseStream/FCPublish: not sent once it published', () => {
    const steps = STEPS.filter((s) => s.id !== 'release-stream' && s.id !== 'fc-publish' && s.id !== 'set-chunk-size');
    const by = Object.fromEntries(stepRows(conn(steps)).map((r) => [r.id, r]));
    expect([by['release-stream'].note, by['fc-publish'].note]).toEqual(['not sent', 'not sent']);
    expect(by['release-stream'].state).toBe('waiting');
    expect(by['set-chunk-size'].note).toBe('not sent');
  });

  it('unknown commands appear in time order with their _error', () => {
    const unknown: ProtocolStep = { connectionId: 1, id: 'command:getStreamLength', label: 'getStreamLength', state: 'failed', atMs: 6.5, reply: '_error Method not found (getStreamLength)' };
    const rows = stepRows(conn([...upTo('create-stream', 'answered'), unknown]));
    const ids = rows.map((r) => r.id);
    expect(ids.slice(4, 8)).toEqual(['release-stream', 'fc-publish', 'command:getStreamLength', 'create-stream']);
    expect(rows[6]).toMatchObject({ unknown: true, state: 'failed', reply: '_error Method not found (getStreamLength)' });
  });

  it('a broken rule: close failed with its code, the steps never reached marked so', () => {
    const closed: ConnectionClosed = { connectionId: 1, by: 'server', reason: 'Set Chunk Size of 0 is outside 1..2147483647', error: { code: 'chunk-size', message: 'x' }, atMs: 40, bytesIn: 10, bytesOut: 10 };
    const rows = stepRows(conn(upTo('connect', 'answered'), closed));
    const by = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(by.close).toMatchObject({ state: 'failed', atMs: 40, reply: 'closed by server: Set Chunk Size of 0 is outside 1..2147483647 [chunk-size]' });
    expect(by.publish).toMatchObject({ state: 'waiting', skipped: true, note: 'not reached' });
    expect(by['audio-sequence-header']).toMatchObject({ skipped: true, note: 'not sent' });
  });

  it('no connection: the bare list', () => {
    expect(stepRows(undefined).map((r) => r.note)).not.toContain('open');
  });
});
