import { decodeAmf0All, encodeAmf0 } from '../amf/amf0.js';
import { type AmfObject, type AmfValue, isAmfObject } from '../amf/types.js';
import { ErrorCode, RtmpError } from '../errors.js';
import { MessageType, type RtmpMessage } from './message-types.js';

/** A decoded command message (RTMP spec 7.1.1): name, transaction id, command object, arguments. */
export interface Command {
  name: string;
  transactionId: number;
  commandObject: AmfValue;
  args: AmfValue[];
}

/**
 * The AMF0 values of a command or data message. AMF3 messages (types 15 and
 * 17) start with one format byte (0) and then AMF0 values that switch to
 * AMF3 per value with the 0x11 marker (spec 7.1.1, 7.1.2).
 */
export function decodeAmfPayload(typeId: number, payload: Buffer): AmfValue[] {
  const body = typeId === MessageType.CommandAmf3 || typeId === MessageType.DataAmf3 ? payload.subarray(payload.length > 0 && payload[0] === 0 ? 1 : 0) : payload;
  return decodeAmf0All(body);
}

/** Decode a command message; throws RtmpError(Message) when it has no name. */
export function decodeCommand(typeId: number, payload: Buffer): Command {
  const values = decodeAmfPayload(typeId, payload);
  const [name, txn, obj, ...args] = values;
  if (typeof name !== 'string') {
    throw new RtmpError(ErrorCode.Message, `command message does not start with a name string`);
  }
  return { name, transactionId: typeof txn === 'number' ? txn : 0, commandObject: obj ?? null, args };
}

/** Chunk stream ids our replies use, as nginx-rtmp and FMS do. */
export const Csid = { Control: 2, Command: 3, Status: 5 } as const;

/** Encode an AMF0 command message. */
export function commandMessage(name: string, transactionId: number, commandObject: AmfValue, args: AmfValue[] = [], streamId = 0, csid: number = Csid.Command): RtmpMessage {
  return { csid, typeId: MessageType.CommandAmf0, streamId, timestamp: 0, payload: encodeAmf0([name, transactionId, commandObject, ...args]) };
}

/** The info object of an onStatus / _result / _error (level, code, description...). */
export function statusInfo(level: 'status' | 'error' | 'warning', code: string, description: string, extra: AmfObject = {}): AmfObject {
  return { level, code, description, ...extra };
}

/** A string property of a command object, if present. */
export function prop(obj: AmfValue, key: string): string | undefined {
  if (isAmfObject(obj)) {
    const v = obj[key];
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
  }
  return undefined;
}
