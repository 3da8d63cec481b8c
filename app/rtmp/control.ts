import { ErrorCode, RtmpError } from '../errors.js';
import type { ControlMessage } from '../contract/values.js';
import { MessageType, type RtmpMessage } from './message-types.js';

/** User Control event types (RTMP spec 7.1.7). */
export const UserControlEvent = {
  StreamBegin: 0,
  StreamEof: 1,
  StreamDry: 2,
  SetBufferLength: 3,
  StreamIsRecorded: 4,
  PingRequest: 6,
  PingResponse: 7,
} as const;

const USER_CONTROL_NAMES: Record<number, string> = {
  0: 'Stream Begin',
  1: 'Stream EOF',
  2: 'Stream Dry',
  3: 'Set Buffer Length',
  4: 'Stream Is Recorded',
  6: 'Ping Request',
  7: 'Ping Response',
};

/** Set Peer Bandwidth limit types (spec 5.4.5). */
export const BandwidthLimit = { Hard: 0, Soft: 1, Dynamic: 2 } as const;

/** A decoded control message; the type is the contract's, since the timeline shows it. */
export type { ControlMessage };

function need(payload: Buffer, n: number, what: string): void {
  if (payload.length < n) {
    throw new RtmpError(ErrorCode.Message, `${what} needs ${n} bytes of payload, got ${payload.length}`);
  }
}

/** The chunk size field is 31 bits: "The first bit MUST be zero" (spec 5.4.1); 0 is meaningless. */
export function decodeSetChunkSize(payload: Buffer): number {
  need(payload, 4, 'Set Chunk Size');
  const v = payload.readUInt32BE(0);
  if (v === 0 || v > 0x7fffffff) {
    throw new RtmpError(ErrorCode.ChunkSize, `Set Chunk Size of ${v} is outside 1..2147483647`);
  }
  return v;
}

/** Decode a control message (types 1-6). */
export function decodeControl(typeId: number, payload: Buffer): ControlMessage {
  switch (typeId) {
    case MessageType.SetChunkSize:
      return { kind: 'set-chunk-size', chunkSize: decodeSetChunkSize(payload) };
    case MessageType.Abort:
      need(payload, 4, 'Abort');
      return { kind: 'abort', csid: payload.readUInt32BE(0) };
    case MessageType.Acknowledgement:
      need(payload, 4, 'Acknowledgement');
      return { kind: 'ack', sequence: payload.readUInt32BE(0) };
    case MessageType.WindowAckSize:
      need(payload, 4, 'Window Acknowledgement Size');
      return { kind: 'window-ack-size', size: payload.readUInt32BE(0) };
    case MessageType.SetPeerBandwidth:
      need(payload, 5, 'Set Peer Bandwidth');
      return { kind: 'set-peer-bandwidth', size: payload.readUInt32BE(0), limitType: payload[4] };
    case MessageType.UserControl: {
      need(payload, 2, 'User Control');
      const event = payload.readUInt16BE(0);
      const name = USER_CONTROL_NAMES[event] ?? `event ${event}`;
      if (event === UserControlEvent.SetBufferLength) {
        need(payload, 10, 'Set Buffer Length');
        return { kind: 'user-control', event, name, streamId: payload.readUInt32BE(2), bufferLength: payload.readUInt32BE(6) };
      }
      if (event === UserControlEvent.PingRequest || event === UserControlEvent.PingResponse) {
        need(payload, 6, name);
        return { kind: 'user-control', event, name, timestamp: payload.readUInt32BE(2) };
      }
      if (payload.length >= 6) return { kind: 'user-control', event, name, streamId: payload.readUInt32BE(2) };
      return { kind: 'user-control', event, name };
    }
    default:
      throw new RtmpError(ErrorCode.Message, `type ${typeId} is not a control message`);
  }
}

function u32(v: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(v >>> 0, 0);
  return b;
}

/** Control messages travel on chunk stream 2, message stream 0 (spec 5.4). */
function control(typeId: number, payload: Buffer): RtmpMessage {
  return { csid: 2, typeId, streamId: 0, timestamp: 0, payload };
}

/** Set Chunk Size; throws RtmpError(ChunkSize) outside 1..2^31-1 rather than send a value the peer must reject. */
export function encodeSetChunkSize(size: number): RtmpMessage {
  if (!Number.isInteger(size) || size < 1 || size > 0x7fffffff) throw new RtmpError(ErrorCode.ChunkSize, `cannot send a chunk size of ${size}: it must be 1..2147483647`);
  return control(MessageType.SetChunkSize, u32(size));
}
export const encodeAck = (sequence: number): RtmpMessage => control(MessageType.Acknowledgement, u32(sequence));
export const encodeWindowAckSize = (size: number): RtmpMessage => control(MessageType.WindowAckSize, u32(size));

export function encodeSetPeerBandwidth(size: number, limitType: number): RtmpMessage {
  const b = Buffer.allocUnsafe(5);
  b.writeUInt32BE(size >>> 0, 0);
  b[4] = limitType;
  return control(MessageType.SetPeerBandwidth, b);
}

/** User Control: 2-byte event type then event data (spec 7.1.7). */
export function encodeUserControl(event: number, value: number): RtmpMessage {
  const b = Buffer.allocUnsafe(6);
  b.writeUInt16BE(event, 0);
  b.writeUInt32BE(value >>> 0, 2);
  return control(MessageType.UserControl, b);
}
