import type { TimelineEntry } from '../../../app/contract/index.js';
import type { ControlMessage } from '../../../app/contract/index.js';
import { amfTag, amfTypeName } from '../../../app/contract/amf-types.js';

const LIMITS: Record<number, string> = { 0: 'hard', 1: 'soft', 2: 'dynamic' };

/** A control message in a few words: "chunk size 4096", "Stream Begin stream 1". */
export function describeControl(c: ControlMessage): string {
  switch (c.kind) {
    case 'set-chunk-size':
      return `chunk size ${c.chunkSize}`;
    case 'abort':
      return `abort csid ${c.csid}`;
    case 'ack':
      return `ack ${c.sequence} bytes`;
    case 'window-ack-size':
      return `window ${c.size}`;
    case 'set-peer-bandwidth':
      return `bandwidth ${c.size} ${LIMITS[c.limitType] ?? `limit ${c.limitType}`}`;
    case 'user-control': {
      const extra = c.bufferLength !== undefined ? ` buffer ${c.bufferLength} ms` : c.timestamp !== undefined ? ` ${c.timestamp}` : '';
      return `${c.name}${c.streamId !== undefined ? ` stream ${c.streamId}` : ''}${extra}`;
    }
  }
}

/** One AMF value (typed JSON), short: strings quoted, objects by their first keys, tagged values by what they are. */
function brief(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 39)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return v === null ? 'null' : 'undefined';
  if (Array.isArray(v)) return `[${v.length}]`;
  const tag = amfTag(v);
  if (tag === 'undefined') return 'undefined';
  if (tag === 'ecma-array' || tag === 'typed-object' || tag === 'object') return brief((v as { value: unknown }).value);
  if (tag !== undefined) return amfTypeName(v);
  if (typeof v === 'object') {
    const keys = Object.keys(v);
    const shown = keys.slice(0, 2).map((k) => `${k}: ${brief((v as Record<string, unknown>)[k])}`);
    return `{${shown.join(', ')}${keys.length > 2 ? ', …' : ''}}`;
  }
  return String(v);
}

/**
 * The last column of a timeline row: the command or data name with its
 * status code or arguments, the decoded control fields, or the media summary.
 */
export function describeEntry(e: TimelineEntry): string {
  if (e.command) {
    const args = e.command.args.filter((a) => a !== null && amfTag(a) !== 'undefined');
    const rest = e.summary && e.summary !== e.command.name ? e.summary : args.map(brief).join(' ');
    return rest ? `${e.command.name}  ${rest}` : e.command.name;
  }
  if (e.control) return describeControl(e.control);
  return e.summary ?? '';
}

/** Direction arrows: in (client to us) points right, out points left. */
export const ARROW = { in: '→', out: '←' } as const;
