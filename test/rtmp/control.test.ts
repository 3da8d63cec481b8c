import { describe, expect, it } from 'vitest';
import { ErrorCode, RtmpError } from '../../app/errors.js';
import { ChunkEncoder } from '../../app/rtmp/chunk-encoder.js';
import {
  BandwidthLimit,
  type ControlMessage,
  UserControlEvent,
  decodeControl,
  decodeSetChunkSize,
  encodeAck,
  encodeSetChunkSize,
  encodeSetPeerBandwidth,
  encodeUserControl,
  encodeWindowAckSize,
} from '../../app/rtmp/control.js';
import { MessageType, type RtmpMessage } from '../../app/rtmp/message-types.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

interface Case {
  name: string;
  typeId: number;
  payload: string;
  decoded: ControlMessage;
  /** Our encoder for this message, when we send it. */
  encode?: () => RtmpMessage;
  /** The whole chunk on the wire (csid 2, fmt 0, stream 0) from a fresh ChunkEncoder. */
  wire?: string;
}

// RTMP spec 5.4 (protocol control messages) and 7.1.7 (user control events).
const cases: Case[] = [
  {
    name: 'Set Chunk Size 4096',
    typeId: MessageType.SetChunkSize,
    payload: '00001000',
    decoded: { kind: 'set-chunk-size', chunkSize: 4096 },
    encode: () => encodeSetChunkSize(4096),
    wire: '02 000000 000004 01 00000000 00001000',
  },
  {
    name: 'Set Chunk Size 1 (smallest)',
    typeId: MessageType.SetChunkSize,
    payload: '00000001',
    decoded: { kind: 'set-chunk-size', chunkSize: 1 },
    encode: () => encodeSetChunkSize(1),
  },
  {
    name: 'Set Chunk Size 2^31-1 (largest)',
    typeId: MessageType.SetChunkSize,
    payload: '7fffffff',
    decoded: { kind: 'set-chunk-size', chunkSize: 0x7fffffff },
    encode: () => encodeSetChunkSize(0x7fffffff),
  },
  { name: 'Abort chunk stream 6', typeId: MessageType.Abort, payload: '00000006', decoded: { kind: 'abort', csid: 6 } },
  {
    name: 'Acknowledgement',
    typeId: MessageType.Acknowledgement,
    payload: '004c4b40',
    decoded: { kind: 'ack', sequence: 5_000_000 },
    encode: () => encodeAck(5_000_000),
    wire: '02 000000 000004 03 00000000 004c4b40',
  },
  {
    name: 'Acknowledgement of a sequence number past 2^32 (wrapped)',
    typeId: MessageType.Acknowledgement,
    payload: '00000010',
    decoded: { kind: 'ack', sequence: 16 },
    encode: () => encodeAck(0x1_0000_0010),
  },
  {
    name: 'Window Acknowledgement Size',
    typeId: MessageType.WindowAckSize,
    payload: '004c4b40',
    decoded: { kind: 'window-ack-size', size: 5_000_000 },
    encode: () => encodeWindowAckSize(5_000_000),
    wire: '02 000000 000004 05 00000000 004c4b40',
  },
  {
    name: 'Set Peer Bandwidth, dynamic',
    typeId: MessageType.SetPeerBandwidth,
    payload: '004c4b40 02',
    decoded: { kind: 'set-peer-bandwidth', size: 5_000_000, limitType: BandwidthLimit.Dynamic },
    encode: () => encodeSetPeerBandwidth(5_000_000, BandwidthLimit.Dynamic),
    wire: '02 000000 000005 06 00000000 004c4b40 02',
  },
  {
    name: 'Set Peer Bandwidth, hard',
    typeId: MessageType.SetPeerBandwidth,
    payload: '00989680 00',
    decoded: { kind: 'set-peer-bandwidth', size: 10_000_000, limitType: BandwidthLimit.Hard },
    encode: () => encodeSetPeerBandwidth(10_000_000, BandwidthLimit.Hard),
  },
  {
    name: 'User Control: Stream Begin 1',
    typeId: MessageType.UserControl,
    payload: '0000 00000001',
    decoded: { kind: 'user-control', event: 0, name: 'Stream Begin', streamId: 1 },
    encode: () => encodeUserControl(UserControlEvent.StreamBegin, 1),
    wire: '02 000000 000006 04 00000000 0000 00000001',
  },
  {
    name: 'User Control: Stream EOF',
    typeId: MessageType.UserControl,
    payload: '0001 00000001',
    decoded: { kind: 'user-control', event: 1, name: 'Stream EOF', streamId: 1 },
    encode: () => encodeUserControl(UserControlEvent.StreamEof, 1),
  },
  {
    name: 'User Control: Stream Dry',
    typeId: MessageType.UserControl,
    payload: '0002 00000002',
    decoded: { kind: 'user-control', event: 2, name: 'Stream Dry', streamId: 2 },
    encode: () => encodeUserControl(UserControlEvent.StreamDry, 2),
  },
  {
    name: 'User Control: Set Buffer Length (stream id, then ms)',
    typeId: MessageType.UserControl,
    payload: '0003 00000001 00000bb8',
    decoded: { kind: 'user-control', event: 3, name: 'Set Buffer Length', streamId: 1, bufferLength: 3000 },
  },
  {
    name: 'User Control: Stream Is Recorded',
    typeId: MessageType.UserControl,
    payload: '0004 00000001',
    decoded: { kind: 'user-control', event: 4, name: 'Stream Is Recorded', streamId: 1 },
    encode: () => encodeUserControl(UserControlEvent.StreamIsRecorded, 1),
  },
  {
    name: 'User Control: Ping Request',
    typeId: MessageType.UserControl,
    payload: '0006 fedcba98',
    decoded: { kind: 'user-control', event: 6, name: 'Ping Request', timestamp: 0xfedcba98 },
    encode: () => encodeUserControl(UserControlEvent.PingRequest, 0xfedcba98),
  },
  {
    name: 'User Control: Ping Response',
    typeId: MessageType.UserControl,
    payload: '0007 00012345',
    decoded: { kind: 'user-control', event: 7, name: 'Ping Response', timestamp: 0x12345 },
    encode: () => encodeUserControl(UserControlEvent.PingResponse, 0x12345),
    wire: '02 000000 000006 04 00000000 0007 00012345',
  },
  {
    name: 'User Control: Stream Begin without event data',
    typeId: MessageType.UserControl,
    payload: '0000',
    decoded: { kind: 'user-control', event: 0, name: 'Stream Begin' },
  },
  {
    name: 'User Control: unknown event keeps its number',
    typeId: MessageType.UserControl,
    payload: '001f',
    decoded: { kind: 'user-control', event: 31, name: 'event 31' },
  },
  {
    name: 'User Control: unknown event with 4 bytes of data reads a stream id',
    typeId: MessageType.UserControl,
    payload: '0020 00000003',
    decoded: { kind: 'user-control', event: 32, name: 'event 32', streamId: 3 },
  },
];

describe('control messages', () => {
  it.each(cases)('$name: decodes', ({ typeId, payload, decoded }) => {
    expect(decodeControl(typeId, hex(payload))).toEqual(decoded);
  });
});

describe('control messages we send', () => {
  const sent = cases.filter((c) => c.encode !== undefined);

  it.each(sent)('$name: encodes on chunk stream 2, message stream 0, timestamp 0', ({ typeId, payload, encode }) => {
    const m = encode!();
    expect({ ...m, payload: m.payload.toString('hex') }).toEqual({ csid: 2, typeId, streamId: 0, timestamp: 0, payload: payload.replace(/\s+/g, '') });
  });

  it.each(sent)('$name: round trips', ({ decoded, encode }) => {
    const m = encode!();
    expect(decodeControl(m.typeId, m.payload)).toEqual(decoded);
  });

  it.each(sent.filter((c) => c.wire !== undefined))('$name: is one chunk on the wire', ({ encode, wire }) => {
    expect(new ChunkEncoder().encode(encode!()).toString('hex')).toBe(wire!.replace(/\s+/g, ''));
  });
});

interface ErrorCase {
  name: string;
  typeId: number;
  payload: string;
  code: ErrorCode;
}

const errorCases: ErrorCase[] = [
  // 5.4.1: "The first bit MUST be zero"; a chunk size of 0 would never advance.
  { name: 'Set Chunk Size 0', typeId: MessageType.SetChunkSize, payload: '00000000', code: ErrorCode.ChunkSize },
  { name: 'Set Chunk Size 2^31 (first bit set)', typeId: MessageType.SetChunkSize, payload: '80000000', code: ErrorCode.ChunkSize },
  { name: 'Set Chunk Size 2^31 + 4096', typeId: MessageType.SetChunkSize, payload: '80001000', code: ErrorCode.ChunkSize },
  { name: 'Set Chunk Size 2^32-1', typeId: MessageType.SetChunkSize, payload: 'ffffffff', code: ErrorCode.ChunkSize },
  { name: 'Set Chunk Size with 3 bytes', typeId: MessageType.SetChunkSize, payload: '001000', code: ErrorCode.Message },
  { name: 'Abort with 3 bytes', typeId: MessageType.Abort, payload: '000006', code: ErrorCode.Message },
  { name: 'Acknowledgement with no payload', typeId: MessageType.Acknowledgement, payload: '', code: ErrorCode.Message },
  { name: 'Window Ack Size with 2 bytes', typeId: MessageType.WindowAckSize, payload: '4c4b', code: ErrorCode.Message },
  { name: 'Set Peer Bandwidth without its limit type', typeId: MessageType.SetPeerBandwidth, payload: '004c4b40', code: ErrorCode.Message },
  { name: 'User Control with 1 byte', typeId: MessageType.UserControl, payload: '00', code: ErrorCode.Message },
  { name: 'Set Buffer Length without the length', typeId: MessageType.UserControl, payload: '0003 00000001', code: ErrorCode.Message },
  { name: 'Ping Request without its timestamp', typeId: MessageType.UserControl, payload: '0006', code: ErrorCode.Message },
  { name: 'a type that is not a control message (video)', typeId: MessageType.Video, payload: '17000000', code: ErrorCode.Message },
];

describe('control message errors', () => {
  it.each(errorCases)('$name → $code', ({ typeId, payload, code }) => {
    let err: unknown;
    try {
      decodeControl(typeId, hex(payload));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RtmpError);
    expect((err as RtmpError).code).toBe(code);
  });

  it.each(['00000000', '80000000', 'ffffffff'])('decodeSetChunkSize(%s) is rejected with chunk-size', (payload) => {
    expect(() => decodeSetChunkSize(hex(payload))).toThrow(expect.objectContaining({ code: ErrorCode.ChunkSize }));
  });

  it('decodeSetChunkSize accepts 1 and 2^31-1 and reads only the first 4 bytes', () => {
    expect(decodeSetChunkSize(hex('00000001'))).toBe(1);
    expect(decodeSetChunkSize(hex('7fffffff ff'))).toBe(0x7fffffff);
  });
});
