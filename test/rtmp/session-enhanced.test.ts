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
