/**
 * One timeline entry as a packed binary record, for the timeline store's
 * chunks (timeline-store.ts). Why: a TimelineEntry object costs ~245 B of
 * V8 heap, and an evening of 20 streams is tens of millions of them; the
 * record is 33 B for a media message ("inter"), and only commands, data and
 * control carry a JSON detail.
 *
 *   u32 seq | u32 atMs×10 | u32 timestamp | u32 length | u32 streamId
 *   u32 csid | u32 chunks | u8 typeId | u8 flags | u32 detail length | detail
 *
 * flags: bit 0 out (else in), bits 1-4 the chunk formats 0-3, bit 5 the
 * chunk fields are known, bits 6-7 the detail: 0 none, 1 the summary as
 * UTF-8, 2 JSON of { command, control, summary }. The type name and kind
 * are not stored: they follow from the type id.
 */
import type { TimelineEntry } from '../contract/engine.js';
import { messageKind, messageTypeName } from '../rtmp/message-types.js';

/** Bytes before the detail. */
export const RECORD_HEADER = 34;

const Detail = { None: 0, Summary: 1, Json: 2 } as const;

/** What an entry's header fields do not say: its kind (none, summary, JSON) and text. */
export interface RecordDetail {
  kind: number;
  text: string;
}

const NO_DETAIL: RecordDetail = { kind: Detail.None, text: '' };

/** The detail of `e`, to size and then write its record. */
export function entryDetail(e: TimelineEntry): RecordDetail {
  if (e.command || e.control) return { kind: Detail.Json, text: JSON.stringify({ command: e.command, control: e.control, summary: e.summary }) };
  if (e.summary !== undefined) return { kind: Detail.Summary, text: e.summary };
  return NO_DETAIL;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Bytes of the record with this detail. Why the shortcut: media summaries are short ASCII, and byteLength is a pass over the string. */
export function recordBytes(d: RecordDetail): number {
  return RECORD_HEADER + (d.text.length <= 64 && isAscii(d.text) ? d.text.length : Buffer.byteLength(d.text, 'utf8'));
}

/** Write the record of `e` (with its detail from {@link entryDetail}) at `buf[at]`, which has room; returns the offset past it. */
export function writeRecord(buf: Buffer, at: number, e: TimelineEntry, d: RecordDetail): number {
  buf.writeUInt32LE(e.seq >>> 0, at);
  buf.writeUInt32LE(Math.min(0xffffffff, Math.max(0, Math.round(e.atMs * 10))), at + 4);
  buf.writeUInt32LE(e.timestamp >>> 0, at + 8);
  buf.writeUInt32LE(e.length >>> 0, at + 12);
  buf.writeUInt32LE(e.streamId >>> 0, at + 16);
  buf.writeUInt32LE(e.csid >>> 0, at + 20);
  buf.writeUInt32LE((e.chunks ?? 0) >>> 0, at + 24);
  buf[at + 28] = e.typeId & 0xff;
  let formats = 0;
  for (const f of e.chunkFormats ?? []) formats |= 1 << (f & 3);
  buf[at + 29] = (e.direction === 'out' ? 1 : 0) | (formats << 1) | (e.chunks !== undefined ? 0x20 : 0) | (d.kind << 6);
  const n = d.text.length === 0 ? 0 : buf.write(d.text, at + RECORD_HEADER, 'utf8');
  buf.writeUInt32LE(n, at + 30);
  return at + RECORD_HEADER + n;
}

/** The size of the record at `buf[at]`. */
export function recordSize(buf: Buffer, at: number): number {
  return RECORD_HEADER + buf.readUInt32LE(at + 30);
}

/** The entry of the record at `buf[at]`, for connection `connectionId`. */
export function unpackEntry(buf: Buffer, at: number, connectionId: number): TimelineEntry {
  const typeId = buf[at + 28];
  const flags = buf[at + 29];
  const e: TimelineEntry = {
    connectionId,
    seq: buf.readUInt32LE(at),
    direction: flags & 1 ? 'out' : 'in',
    atMs: buf.readUInt32LE(at + 4) / 10,
    typeId,
    typeName: messageTypeName(typeId),
    kind: messageKind(typeId),
    csid: buf.readUInt32LE(at + 20),
    streamId: buf.readUInt32LE(at + 16),
    timestamp: buf.readUInt32LE(at + 8),
    length: buf.readUInt32LE(at + 12),
  };
  const n = buf.readUInt32LE(at + 30);
  const detail = flags >> 6;
  if (detail === Detail.Summary) e.summary = buf.toString('utf8', at + RECORD_HEADER, at + RECORD_HEADER + n);
  else if (detail === Detail.Json) {
    const d = JSON.parse(buf.toString('utf8', at + RECORD_HEADER, at + RECORD_HEADER + n)) as Pick<TimelineEntry, 'command' | 'control' | 'summary'>;
    if (d.command) e.command = d.command;
    if (d.control) e.control = d.control;
    if (d.summary !== undefined) e.summary = d.summary;
  }
  if (flags & 0x20) {
    const formats = (flags >> 1) & 0xf;
    e.chunkFormats = [0, 1, 2, 3].filter((f) => formats & (1 << f));
    e.chunks = buf.readUInt32LE(at + 24);
  }
  return e;
}
