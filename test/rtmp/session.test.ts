import { beforeEach, describe, expect, it } from 'vitest';
import { encodeAmf0 } from '../../app/amf/amf0.js';
import { encodeAmf3 } from '../../app/amf/amf3.js';
import type { AmfObject, AmfValue } from '../../app/amf/types.js';
import type { StepState } from '../../app/contract/engine.js';
import { ErrorCode, RtmpError } from '../../app/errors.js';
import { type Command, commandMessage, decodeCommand } from '../../app/rtmp/command.js';
import { type ControlMessage, decodeControl } from '../../app/rtmp/control.js';
import { MessageType, type RtmpMessage } from '../../app/rtmp/message-types.js';
import { type MediaSink, type PublishRequest, type PublishResult, Session, type SessionHost } from '../../app/rtmp/session.js';

// ---------------------------------------------------------------------------
// A fake connection: records what the session sends, the steps it reports and
// what reaches the stream it publishes into.

interface Step {
  id: string;
  state: StepState;
  detail?: Record<string, unknown>;
  reply?: string;
}

type SinkCall =
  | { call: 'metadata'; values: AmfValue[]; timestamp: number }
  | { call: 'media'; typeId: number; timestamp: number; payload: string }
  | { call: 'data'; values: AmfValue[]; timestamp: number }
  | { call: 'end'; reason: string };

class FakeSink implements MediaSink {
  calls: SinkCall[] = [];
  /** The AMF0 bytes each metadata call carried (hex), or null. */
  metadataBytes: (string | null)[] = [];
  metadata(values: AmfValue[], timestamp: number, amf0: Buffer | null): void {
    this.calls.push({ call: 'metadata', values, timestamp });
    this.metadataBytes.push(amf0 ? amf0.toString('hex') : null);
  }
  media(typeId: number, timestamp: number, payload: Buffer): void {
    this.calls.push({ call: 'media', typeId, timestamp, payload: payload.toString('hex') });
  }
  data(values: AmfValue[], _payload: Buffer, timestamp: number): void {
    this.calls.push({ call: 'data', values, timestamp });
  }
  end(reason: string): void {
    this.calls.push({ call: 'end', reason });
  }
  pressure(): null {
    return null;
  }
}

class FakeHost implements SessionHost {
  sent: RtmpMessage[] = [];
  steps: Step[] = [];
  logs: string[] = [];
  publishes: PublishRequest[] = [];
  sinks: FakeSink[] = [];
  /** When set, publish is refused with this code and description. */
  refuse: { code: string; description: string } | null = null;

  send(msg: RtmpMessage): void {
    this.sent.push(msg);
  }
  step(id: Step['id'], state: StepState, detail?: Record<string, unknown>, reply?: string): void {
    const s: Step = { id, state };
    if (detail) s.detail = detail;
    if (reply) s.reply = reply;
    this.steps.push(s);
  }
  publish(req: PublishRequest): PublishResult {
    this.publishes.push(req);
    if (this.refuse) return { ok: false, ...this.refuse };
    const sink = new FakeSink();
    this.sinks.push(sink);
    return { ok: true, sink };
  }
  log(level: 'info' | 'warn', message: string): void {
    this.logs.push(`${level}: ${message}`);
  }

  /** Everything sent since the last call, decoded. */
  take(): Sent[] {
    const out = this.sent.map(decodeSent);
    this.sent = [];
    return out;
  }
  takeSteps(): Step[] {
    const out = this.steps;
    this.steps = [];
    return out;
  }
}

/** A sent message, decoded: control messages by kind, commands by name. */
type Sent = { csid: number; streamId: number; typeId: number } & ({ control: ControlMessage } | { command: Command });

function decodeSent(m: RtmpMessage): Sent {
  const base = { csid: m.csid, streamId: m.streamId, typeId: m.typeId };
  if (m.typeId === MessageType.CommandAmf0) return { ...base, command: decodeCommand(m.typeId, m.payload) };
  return { ...base, control: decodeControl(m.typeId, m.payload) };
}

/** A command as a client sends it: AMF0 on chunk stream 3 (8 for publish, as ffmpeg does). */
function cmd(name: string, txn: number, obj: AmfValue, args: AmfValue[] = [], streamId = 0): RtmpMessage {
  return commandMessage(name, txn, obj, args, streamId, name === 'publish' ? 8 : 3);
}

/** The same command as a type 17 (AMF3 command) message: a 0x00 format byte, then AMF0 values. */
function amf3Cmd(name: string, txn: number, obj: AmfValue, args: AmfValue[] = [], streamId = 0): RtmpMessage {
  return { csid: 3, typeId: MessageType.CommandAmf3, streamId, timestamp: 0, payload: Buffer.concat([Buffer.of(0), encodeAmf0([name, txn, obj, ...args])]) };
}

const FFMPEG_CONNECT: AmfObject = {
  app: 'live',
  type: 'nonprivate',
  flashVer: 'FMLE/3.0 (compatible; Lavf61.1.100)',
  tcUrl: 'rtmp://127.0.0.1:1935/live',
};

const media = (typeId: number, timestamp: number, payload: string, streamId = 1): RtmpMessage => ({
  csid: typeId === MessageType.Video ? 6 : 4,
  typeId,
  streamId,
  timestamp,
  payload: Buffer.from(payload, 'hex'),
});

/** A session driven through connect, createStream and publish "key" on stream 1. */
function publishing(): { host: FakeHost; session: Session; sink: FakeSink } {
  const host = new FakeHost();
  const session = new Session(host);
  session.handle(cmd('connect', 1, FFMPEG_CONNECT));
  session.handle(cmd('createStream', 2, null));
  session.handle(cmd('publish', 3, null, ['key', 'live'], 1));
  host.take();
  host.takeSteps();
  return { host, session, sink: host.sinks[0] };
}

// ---------------------------------------------------------------------------

describe('Session: connect', () => {
  let host: FakeHost;
  let session: Session;
  beforeEach(() => {
    host = new FakeHost();
    session = new Session(host);
  });

  it('answers Window Ack Size, Set Peer Bandwidth, Set Chunk Size 4096, then _result NetConnection.Connect.Success', () => {
    session.handle(cmd('connect', 1, FFMPEG_CONNECT));
    expect(host.take()).toEqual([
      { csid: 2, streamId: 0, typeId: 5, control: { kind: 'window-ack-size', size: 5_000_000 } },
      { csid: 2, streamId: 0, typeId: 6, control: { kind: 'set-peer-bandwidth', size: 5_000_000, limitType: 2 } },
      { csid: 2, streamId: 0, typeId: 1, control: { kind: 'set-chunk-size', chunkSize: 4096 } },
      {
        csid: 3,
        streamId: 0,
        typeId: 20,
        command: {
          name: '_result',
          transactionId: 1,
          commandObject: { fmsVer: 'FMS/3,0,1,123', capabilities: 31 },
          args: [{ level: 'status', code: 'NetConnection.Connect.Success', description: 'Connection succeeded.', objectEncoding: 0 }],
        },
      },
    ]);
  });

  it('reports the connect step with app, tcUrl, flashVer and the encoder', () => {
    session.handle(cmd('connect', 1, FFMPEG_CONNECT));
    const steps = host.takeSteps();
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({
      id: 'connect',
      state: 'answered',
      detail: { app: 'live', tcUrl: 'rtmp://127.0.0.1:1935/live', flashVer: 'FMLE/3.0 (compatible; Lavf61.1.100)', encoder: 'Lavf61.1.100', objectEncoding: 0, transactionId: 1 },
    });
    expect(steps[0].reply).toContain('NetConnection.Connect.Success');
    expect(session.connected).toMatchObject({ app: 'live', encoder: 'Lavf61.1.100' });
  });

  it.each([
    [3, 3],
    [0, 0],
    [undefined, 0],
  ])('objectEncoding %s is echoed as %s', (sent, echoed) => {
    session.handle(cmd('connect', 1, { ...FFMPEG_CONNECT, objectEncoding: sent }));
    const result = host.take()[3];
    expect(result).toMatchObject({ command: { name: '_result', args: [{ objectEncoding: echoed }] } });
  });

  it('strips a query string and trailing slashes from the app; OBS flashVer is kept whole', () => {
    session.handle(cmd('connect', 1, { app: 'live/?token=abc', flashVer: 'FMSc/1.0', tcUrl: 'rtmp://h/live' }));
    expect(session.connected).toMatchObject({ app: 'live', encoder: 'FMSc/1.0' });
  });

  it('a connect in a type 17 (AMF3 command) message: leading 0x00, then AMF0 values', () => {
    session.handle(amf3Cmd('connect', 1, { ...FFMPEG_CONNECT, objectEncoding: 3 }));
    const sent = host.take();
    expect(sent.map((s) => ('control' in s ? s.control.kind : s.command.name))).toEqual(['window-ack-size', 'set-peer-bandwidth', 'set-chunk-size', '_result']);
    expect(sent[3]).toMatchObject({ command: { transactionId: 1, args: [{ code: 'NetConnection.Connect.Success', objectEncoding: 3 }] } });
    expect(session.connected).toMatchObject({ app: 'live', objectEncoding: 3 });
  });

  it('a command before connect is answered with _error and a failed step', () => {
    session.handle(cmd('createStream', 2, null));
    expect(host.take()).toEqual([
      {
        csid: 3,
        streamId: 0,
        typeId: 20,
        command: { name: '_error', transactionId: 2, commandObject: null, args: [{ level: 'error', code: 'NetConnection.Call.Failed', description: 'createStream before connect' }] },
      },
    ]);
    expect(host.takeSteps()).toMatchObject([{ id: 'command:createStream', state: 'failed' }]);
  });

  it('a command message without a name string is an RtmpError (message)', () => {
    const m: RtmpMessage = { csid: 3, typeId: MessageType.CommandAmf0, streamId: 0, timestamp: 0, payload: encodeAmf0([1, 2]) };
    expect(() => session.handle(m)).toThrow(expect.objectContaining({ code: ErrorCode.Message }));
  });
});

describe('Session: the publish sequence', () => {
  let host: FakeHost;
  let session: Session;
  beforeEach(() => {
    host = new FakeHost();
    session = new Session(host);
    session.handle(cmd('connect', 1, FFMPEG_CONNECT));
    host.take();
    host.takeSteps();
  });

  it('releaseStream → _result', () => {
    session.handle(cmd('releaseStream', 2, null, ['key']));
    expect(host.take()).toEqual([{ csid: 3, streamId: 0, typeId: 20, command: { name: '_result', transactionId: 2, commandObject: null, args: [undefined] } }]);
    expect(host.takeSteps()).toMatchObject([{ id: 'release-stream', state: 'answered', detail: { name: 'key' }, reply: '_result' }]);
  });

  it('FCPublish → onFCPublish NetStream.Publish.Start', () => {
    session.handle(cmd('FCPublish', 3, null, ['key']));
    expect(host.take()).toEqual([
      {
        csid: 3,
        streamId: 0,
        typeId: 20,
        command: { name: 'onFCPublish', transactionId: 0, commandObject: null, args: [{ level: 'status', code: 'NetStream.Publish.Start', description: 'key' }] },
      },
    ]);
    expect(host.takeSteps()).toMatchObject([{ id: 'fc-publish', state: 'answered', detail: { name: 'key' } }]);
  });

  it('createStream → _result with stream id 1, then 2', () => {
    session.handle(cmd('createStream', 4, null));
    session.handle(cmd('createStream', 5, null));
    expect(host.take()).toEqual([
      { csid: 3, streamId: 0, typeId: 20, command: { name: '_result', transactionId: 4, commandObject: null, args: [1] } },
      { csid: 3, streamId: 0, typeId: 20, command: { name: '_result', transactionId: 5, commandObject: null, args: [2] } },
    ]);
    expect(host.takeSteps()).toMatchObject([
      { id: 'create-stream', state: 'answered', detail: { streamId: 1 }, reply: '_result stream id 1' },
      { id: 'create-stream', state: 'answered', detail: { streamId: 2 } },
    ]);
  });

  it('_checkbw → _result', () => {
    session.handle(cmd('_checkbw', 6, null));
    expect(host.take()).toEqual([{ csid: 3, streamId: 0, typeId: 20, command: { name: '_result', transactionId: 6, commandObject: null, args: [undefined] } }]);
    expect(host.takeSteps()).toMatchObject([{ id: 'check-bw', state: 'answered' }]);
  });

  it('publish → Stream Begin (User Control 0, the stream id), then onStatus NetStream.Publish.Start on the stream', () => {
    session.handle(cmd('createStream', 4, null));
    host.take();
    host.takeSteps();
    session.handle(cmd('publish', 5, null, ['key', 'live'], 1));
    expect(host.take()).toEqual([
      { csid: 2, streamId: 0, typeId: 4, control: { kind: 'user-control', event: 0, name: 'Stream Begin', streamId: 1 } },
      {
        csid: 5,
        streamId: 1,
        typeId: 20,
        command: {
          name: 'onStatus',
          transactionId: 0,
          commandObject: null,
          args: [{ level: 'status', code: 'NetStream.Publish.Start', description: 'key is now published.', details: 'key' }],
        },
      },
    ]);
    expect(host.publishes).toEqual([{ app: 'live', key: 'key', name: 'key', type: 'live', streamId: 1, connect: session.connected }]);
    expect(host.takeSteps()).toMatchObject([{ id: 'publish', state: 'answered', detail: { key: 'key', type: 'live', streamId: 1 } }]);
  });

  it('publish with a query string: the key loses it, the name keeps it', () => {
    session.handle(cmd('createStream', 4, null));
    session.handle(cmd('publish', 5, null, ['key?token=x', 'live'], 1));
    expect(host.publishes[0]).toMatchObject({ key: 'key', name: 'key?token=x' });
  });

  it('publish refused by the host → onStatus NetStream.Publish.BadName, level error, and a failed step', () => {
    host.refuse = { code: 'NetStream.Publish.BadName', description: 'live/key is already being published' };
    session.handle(cmd('createStream', 4, null));
    host.take();
    host.takeSteps();
    session.handle(cmd('publish', 5, null, ['key', 'live'], 1));
    expect(host.take()).toEqual([
      {
        csid: 5,
        streamId: 1,
        typeId: 20,
        command: {
          name: 'onStatus',
          transactionId: 0,
          commandObject: null,
          args: [{ level: 'error', code: 'NetStream.Publish.BadName', description: 'live/key is already being published' }],
        },
      },
    ]);
    expect(host.takeSteps()).toMatchObject([{ id: 'publish', state: 'failed', reply: 'onStatus NetStream.Publish.BadName: live/key is already being published' }]);
  });

  it('publish with an empty key → BadName without asking the host', () => {
    session.handle(cmd('publish', 5, null, ['', 'live'], 1));
    expect(host.publishes).toHaveLength(0);
    expect(host.take()).toMatchObject([{ command: { name: 'onStatus', args: [{ level: 'error', code: 'NetStream.Publish.BadName' }] } }]);
  });

  it('every refused publish is logged as a warning with its reason (empty key, key already live)', () => {
    session.handle(cmd('publish', 5, null, ['', 'live'], 1));
    host.refuse = { code: 'NetStream.Publish.BadName', description: 'live/key is already being published' };
    session.handle(cmd('publish', 6, null, ['key', 'live'], 1));
    expect(host.logs).toEqual([
      'warn: publish of "live/" refused: NetStream.Publish.BadName: empty stream key',
      'warn: publish of "live/key" refused: NetStream.Publish.BadName: live/key is already being published',
    ]);
  });

  it('a second publish on a stream that is publishing → BadName', () => {
    session.handle(cmd('publish', 5, null, ['key', 'live'], 1));
    host.take();
    session.handle(cmd('publish', 6, null, ['other', 'live'], 1));
    expect(host.publishes).toHaveLength(1);
    expect(host.take()).toMatchObject([{ command: { name: 'onStatus', args: [{ level: 'error', code: 'NetStream.Publish.BadName' }] } }]);
  });

  it('an unknown command → _error NetConnection.Call.Failed and a step command:<name>, failed', () => {
    session.handle(cmd('getStreamLength', 7, null, ['key']));
    expect(host.take()).toEqual([
      {
        csid: 3,
        streamId: 0,
        typeId: 20,
        command: {
          name: '_error',
          transactionId: 7,
          commandObject: null,
          args: [{ level: 'error', code: 'NetConnection.Call.Failed', description: 'Method not found (getStreamLength)' }],
        },
      },
    ]);
    expect(host.takeSteps()).toEqual([
      { id: 'command:getStreamLength', state: 'failed', detail: { transactionId: 7, commandObject: null, args: ['key'] }, reply: '_error Method not found (getStreamLength)' },
    ]);
  });

  it('an unknown command in an AMF3 (type 17) message is answered the same way', () => {
    session.handle(amf3Cmd('nope', 8, null));
    expect(host.take()).toMatchObject([{ command: { name: '_error', transactionId: 8 } }]);
    expect(host.takeSteps()).toMatchObject([{ id: 'command:nope', state: 'failed' }]);
  });

  it('publish in a type 17 (AMF3 command) message', () => {
    session.handle(amf3Cmd('createStream', 4, null));
    session.handle(amf3Cmd('publish', 5, null, ['key', 'live'], 1));
    expect(host.take().map((s) => ('control' in s ? s.control.kind : s.command.name))).toEqual(['_result', 'user-control', 'onStatus']);
    expect(host.publishes).toMatchObject([{ key: 'key', streamId: 1 }]);
  });

  it.each(['_result', '_error', 'onBWDone', '_checkbw_result'])('%s from the client is shown, not answered', (name) => {
    session.handle(cmd(name, 0, null));
    expect(host.take()).toEqual([]);
  });
});

// Ping Request → Ping Response, and other User Control events not answered:
// absorbed by the transport now, tested in transport.test.ts.
describe('Session: the peer chunk size the transport applied', () => {
  it("the client's first Set Chunk Size is a step, once", () => {
    const host = new FakeHost();
    const session = new Session(host);
    session.peerChunkSize(0x1000);
    session.peerChunkSize(0x2000);
    expect(host.steps).toEqual([{ id: 'set-chunk-size', state: 'received', detail: { chunkSize: 4096 } }]);
    expect(host.sent).toEqual([]);
  });
});

describe('Session: media into the sink', () => {
  it('audio and video on the publishing stream reach the sink; on a stream id publishing nothing, they go to the only publishing stream (as nginx-rtmp takes them)', () => {
    const { session, sink } = publishing();
    session.handle(media(9, 0, '1700000000'));
    session.handle(media(8, 23, 'af01aa'));
    session.handle(media(9, 40, '2701000000', 2));
    expect(sink.calls).toEqual([
      { call: 'media', typeId: 9, timestamp: 0, payload: '1700000000' },
      { call: 'media', typeId: 8, timestamp: 23, payload: 'af01aa' },
      { call: 'media', typeId: 9, timestamp: 40, payload: '2701000000' },
    ]);
  });

  it('@setDataFrame onMetaData reaches the sink as onMetaData; other data messages as data', () => {
    const { session, sink } = publishing();
    const data = (values: AmfValue[]): RtmpMessage => ({ csid: 4, typeId: MessageType.DataAmf0, streamId: 1, timestamp: 0, payload: encodeAmf0(values) });
    session.handle(data(['@setDataFrame', 'onMetaData', { framerate: 25 }]));
    session.handle(data(['onTextData', { text: 'hi' }]));
    expect(sink.calls).toEqual([
      { call: 'metadata', values: ['onMetaData', { framerate: 25 }], timestamp: 0 },
      { call: 'data', values: ['onTextData', { text: 'hi' }], timestamp: 0 },
    ]);
  });

  it("onMetaData's tag body is the publisher's own AMF0 bytes less the wrapper, not a re-encoding; AMF3 data has none", () => {
    const { session, sink } = publishing();
    // An ECMA array with a key order and number encoding that a re-encode of the decoded values would not reproduce byte for byte.
    const body = Buffer.concat([encodeAmf0(['onMetaData']), Buffer.from('08000000010005776964746800407e000000000000000009', 'hex')]);
    const wrapped = Buffer.concat([encodeAmf0(['@setDataFrame']), body]);
    session.handle({ csid: 4, typeId: MessageType.DataAmf0, streamId: 1, timestamp: 0, payload: wrapped });
    session.handle({ csid: 4, typeId: MessageType.DataAmf0, streamId: 1, timestamp: 0, payload: body });
    const amf3 = Buffer.concat([Buffer.from([0]), encodeAmf0(['@setDataFrame', 'onMetaData']), Buffer.from([0x11]), encodeAmf3({ width: 480 })]);
    session.handle({ csid: 4, typeId: MessageType.DataAmf3, streamId: 1, timestamp: 0, payload: amf3 });
    expect(sink.metadataBytes).toEqual([body.toString('hex'), body.toString('hex'), null]);
    expect(sink.calls.map((c) => (c.call === 'metadata' ? c.values : null))).toEqual([
      ['onMetaData', { width: 480 }],
      ['onMetaData', { width: 480 }],
      ['onMetaData', { width: 480 }],
    ]);
  });

  it('data in an AMF3 message (type 15: format byte, AMF0 values, the object switched to AMF3) is decoded too', () => {
    const { session, sink } = publishing();
    const payload = Buffer.concat([Buffer.from([0]), encodeAmf0(['@setDataFrame', 'onMetaData']), Buffer.from([0x11]), encodeAmf3({ framerate: 25, encoder: 'amf3 test' })]);
    session.handle({ csid: 4, typeId: MessageType.DataAmf3, streamId: 1, timestamp: 0, payload });
    expect(sink.calls).toEqual([{ call: 'metadata', values: ['onMetaData', { framerate: 25, encoder: 'amf3 test' }], timestamp: 0 }]);
  });

  it('an aggregate message (type 22) is split into its sub-messages with rebased timestamps', () => {
    const { session, sink } = publishing();
    // Each sub-message is an FLV tag: type, 24-bit size, 24-bit timestamp + 8-bit extension, 24-bit stream id, data, 32-bit back pointer.
    const tag = (type: number, ts: number, data: string): Buffer => {
      const body = Buffer.from(data, 'hex');
      const h = Buffer.alloc(11);
      h[0] = type;
      h.writeUIntBE(body.length, 1, 3);
      h.writeUIntBE(ts & 0xffffff, 4, 3);
      h[7] = ts >>> 24;
      const back = Buffer.alloc(4);
      back.writeUInt32BE(11 + body.length);
      return Buffer.concat([h, body, back]);
    };
    const payload = Buffer.concat([
      tag(9, 0x01000000, '1701000000aa'),
      tag(8, 0x01000017, 'af01bb'),
      tag(9, 0x01000028, '2701000000cc'),
      tag(18, 0x01000028, encodeAmf0(['onCuePoint', { name: 'x' }]).toString('hex')),
    ]);
    session.handle({ csid: 6, typeId: MessageType.Aggregate, streamId: 1, timestamp: 1000, payload });
    expect(sink.calls).toEqual([
      { call: 'media', typeId: 9, timestamp: 1000, payload: '1701000000aa' },
      { call: 'media', typeId: 8, timestamp: 1023, payload: 'af01bb' },
      { call: 'media', typeId: 9, timestamp: 1040, payload: '2701000000cc' },
      { call: 'data', values: ['onCuePoint', { name: 'x' }], timestamp: 1040 },
    ]);
  });

  it('an aggregate whose sub-message overruns it is an RtmpError (message)', () => {
    const { session } = publishing();
    const payload = Buffer.from('09 000010 00000000 000000 aabb'.replace(/\s+/g, ''), 'hex');
    let err: unknown;
    try {
      session.handle({ csid: 6, typeId: MessageType.Aggregate, streamId: 1, timestamp: 0, payload });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RtmpError);
    expect((err as RtmpError).code).toBe(ErrorCode.Message);
  });
});

describe('Session: the end of a stream', () => {
  it('deleteStream ends the sink and reports the unpublish step', () => {
    const { host, session, sink } = publishing();
    session.handle(cmd('deleteStream', 6, null, [1]));
    expect(sink.calls).toEqual([{ call: 'end', reason: 'deleteStream' }]);
    expect(host.take()).toEqual([]);
    expect(host.takeSteps()).toMatchObject([{ id: 'unpublish', state: 'received', detail: { command: 'deleteStream', streamId: 1 } }]);
    // Media after the end goes nowhere.
    session.handle(media(9, 80, '2701000000'));
    expect(sink.calls).toHaveLength(1);
  });

  it('FCUnpublish → onFCUnpublish and ends the sink; a later deleteStream does not end it twice', () => {
    const { host, session, sink } = publishing();
    session.handle(cmd('FCUnpublish', 6, null, ['key']));
    expect(host.take()).toEqual([
      {
        csid: 3,
        streamId: 0,
        typeId: 20,
        command: { name: 'onFCUnpublish', transactionId: 0, commandObject: null, args: [{ level: 'status', code: 'NetStream.Unpublish.Success', description: 'key' }] },
      },
    ]);
    expect(host.takeSteps()).toMatchObject([{ id: 'unpublish', state: 'answered', detail: { command: 'FCUnpublish', name: 'key' } }]);
    session.handle(cmd('deleteStream', 7, null, [1]));
    expect(sink.calls).toEqual([{ call: 'end', reason: 'FCUnpublish' }]);
  });

  it('FCUnpublish of another name leaves the stream publishing', () => {
    const { session, sink } = publishing();
    session.handle(cmd('FCUnpublish', 6, null, ['other']));
    expect(sink.calls).toEqual([]);
  });

  it('closeStream (on the stream itself) ends the sink', () => {
    const { session, sink } = publishing();
    session.handle(cmd('closeStream', 6, null, [], 1));
    expect(sink.calls).toEqual([{ call: 'end', reason: 'closeStream' }]);
  });

  it("the publisher's side closing mid-stream (killed, reset) is a warning with the reason; a close after deleteStream, or by the server, is not", () => {
    const dropped = publishing();
    expect(dropped.session.close('connection reset by the client')).toBe(1);
    expect(dropped.host.logs).toEqual(["warn: live/key: the publisher's connection dropped mid-stream, without FCUnpublish or deleteStream (connection reset by the client)"]);
    const clean = publishing();
    clean.session.handle(cmd('deleteStream', 6, null, [1]));
    expect(clean.session.close('client closed the connection')).toBe(0);
    expect(clean.host.logs).toEqual([]);
    const shutdown = publishing();
    expect(shutdown.session.close('server shutting down', 'server')).toBe(1);
    expect(shutdown.host.logs).toEqual([]);
    expect(shutdown.sink.calls).toEqual([{ call: 'end', reason: 'server shutting down' }]);
  });

  it('close() ends every stream the connection publishes', () => {
    const { session, sink } = publishing();
    session.close('client closed the connection');
    session.close('again');
    expect(sink.calls).toEqual([{ call: 'end', reason: 'client closed the connection' }]);
  });
});
