import { amfJson } from '../amf/amf-json.js';
import type { TimelineEntry } from '../contract/engine.js';
import { decodeAmfPayload } from '../rtmp/command.js';
import { decodeControl } from '../rtmp/control.js';
import { MessageType, type RtmpMessage, messageKind, messageTypeName } from '../rtmp/message-types.js';

function mediaSummary(msg: RtmpMessage): string {
  const p = msg.payload;
  if (p.length === 0) return 'empty';
  if (msg.typeId === MessageType.Video) {
    const b = p[0];
    const frame = (b >> 4) & 7;
    const kind = frame === 1 ? 'keyframe' : frame === 5 ? 'command' : 'inter';
    if (b & 0x80) return `${kind} ${p.length >= 5 ? p.toString('latin1', 1, 5) : ''} packet ${b & 0x0f}`.trim();
    const codec = b & 0x0f;
    if ((codec === 7 || codec === 12) && p.length > 1) {
      const pt = p[1];
      return pt === 0 ? 'sequence header' : pt === 2 ? 'end of sequence' : kind;
    }
    return kind;
  }
  const fmt = p[0] >> 4;
  if (fmt === 10 && p.length > 1) return p[1] === 0 ? 'AAC sequence header' : 'AAC frame';
  if (fmt === 9 && p.length >= 5) return `${p.toString('latin1', 1, 5)} packet ${p[0] & 0x0f}`;
  return `format ${fmt}`;
}

/** The formats of a chunk-format bit set (bit f for format f), ascending: 0b1001 is [0, 3]. */
export function chunkFormatList(bits: number): number[] {
  const out: number[] = [];
  for (let f = 0; f < 4; f++) if (bits & (1 << f)) out.push(f);
  return out;
}

/**
 * The timeline entry of a message, with commands and control decoded, AMF
 * values in typed JSON (each keeps its AMF type: undefined, ECMA array...),
 * and the chunk formats and count the chunk reader or writer recorded.
 * Never throws.
 */
export function timelineEntry(
  connectionId: number,
  seq: number,
  direction: 'in' | 'out',
  atMs: number,
  msg: RtmpMessage,
  chunkFormats = msg.chunkFormats,
  chunks = msg.chunks,
): TimelineEntry {
  const e: TimelineEntry = {
    connectionId,
    seq,
    direction,
    atMs,
    typeId: msg.typeId,
    typeName: messageTypeName(msg.typeId),
    kind: messageKind(msg.typeId),
    csid: msg.csid,
    streamId: msg.streamId,
    timestamp: msg.timestamp,
    length: msg.payload.length,
  };
  if (chunks !== undefined) {
    e.chunkFormats = chunkFormatList(chunkFormats ?? 0);
    e.chunks = chunks;
  }
  try {
    switch (e.kind) {
      case 'control':
        e.control = decodeControl(msg.typeId, msg.payload);
        break;
      case 'command':
      case 'data': {
        if (msg.typeId === MessageType.SharedObjectAmf0 || msg.typeId === MessageType.SharedObjectAmf3) break;
        const values = decodeAmfPayload(msg.typeId, msg.payload);
        const [name, ...rest] = values;
        if (e.kind === 'command') {
          const [txn, ...args] = rest;
          e.command = { name: String(name), transactionId: typeof txn === 'number' ? txn : undefined, args: args.map((a) => amfJson(a)) };
          const info = args.find((a) => a && typeof a === 'object' && Object.hasOwn(a, 'code')) as { code?: unknown } | undefined;
          if (info && typeof info.code === 'string') e.summary = info.code;
        } else {
          e.command = { name: String(name), args: rest.map((a) => amfJson(a)) };
          if (name === '@setDataFrame' && typeof rest[0] === 'string') e.summary = rest[0];
        }
        break;
      }
      case 'audio':
      case 'video':
        e.summary = mediaSummary(msg);
        break;
    }
  } catch (err) {
    e.summary = `undecodable: ${(err as Error).message}`;
  }
  return e;
}
