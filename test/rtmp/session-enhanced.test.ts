import { describe, expect, it } from 'vitest';
import type { AmfObject } from '../../app/amf/types.js';
import { commandMessage, decodeCommand } from '../../app/rtmp/command.js';
import type { RtmpMessage } from '../../app/rtmp/message-types.js';
import { Session } from '../../app/rtmp/session.js';

function connectResult(commandObject: AmfObject): AmfObject {
  const sent: RtmpMessage[] = [];
  const s = new Session({ send: (m) => sent.push(m), step: () => {}, publish: () => ({ ok: false, code: 'x', description: 'x' }), log: () => {} });
  s.handle(commandMessage('connect', 1, commandObject));
  const result = sent.filter((m) => m.typeId === 20).map((m) => decodeCommand(20, m.payload));
  expect(result.map((c) => c.name)).toEqual(['_result']);
  return result[0].commandObject as AmfObject;
}

describe('E-RTMP v2 connect capabilities', () => {
  it('a client that lists FourCCs (as OBS does) learns ours in the _result', () => {
    const props = connectResult({ app: 'live', tcUrl: 'rtmp://127.0.0.1/live', fourCcList: ['av01', 'vp09', 'hvc1'] });
    expect(props.fourCcList).toEqual(expect.arrayContaining(['avc1', 'hvc1', 'av01', 'vp09', 'mp4a', 'Opus']));
    expect((props.videoFourCcInfoMap as AmfObject).hvc1).toBe(4);
    expect(props.capsEx).toBe(0);
    expect(props.fmsVer).toBe('FMS/3,0,1,123');
  });

  it('a legacy client gets the legacy _result only', () => {
    const props = connectResult({ app: 'live', tcUrl: 'rtmp://127.0.0.1/live' });
    expect(Object.keys(props).sort()).toEqual(['capabilities', 'fmsVer']);
  });
});

describe('media on a message stream that publishes nothing', () => {
  it('goes to the connection\'s only publishing stream, as nginx-rtmp takes it, and is reported once', async () => {
    const { MessageType } = await import('../../app/rtmp/message-types.js');
    const media: number[] = [];
    const logs: string[] = [];
    const sink = { metadata: () => {}, media: (_t: number, ts: number) => media.push(ts), data: () => {}, end: () => {}, pressure: () => null };
    const s = new Session({ send: () => {}, step: () => {}, publish: () => ({ ok: true, sink }), log: (_l, m) => logs.push(m) });
    s.handle(commandMessage('connect', 1, { app: 'live' }));
    // Media before any publish: dropped, and said.
    s.handle({ csid: 6, typeId: MessageType.Video, streamId: 1, timestamp: 1, payload: Buffer.from([0x17, 1]) });
    s.handle(commandMessage('createStream', 2, null));
    s.handle(commandMessage('publish', 3, null, ['k', 'live'], 1, 8));
    for (const ts of [10, 20]) s.handle({ csid: 6, typeId: MessageType.Video, streamId: 0, timestamp: ts, payload: Buffer.from([0x17, 1]) });
    s.handle({ csid: 6, typeId: MessageType.Video, streamId: 1, timestamp: 30, payload: Buffer.from([0x17, 1]) });
    expect(media).toEqual([10, 20, 30]);
    expect(logs).toEqual([
      'media on message stream 1 before any publish (or with several publishing): dropped',
      'media on message stream 0, which publishes nothing: taken as stream 1 (k)',
    ]);
  });
});
