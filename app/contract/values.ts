/**
 * The shapes of decoded protocol values as they cross into any UI: AMF values,
 * control messages and the timeline's message kinds. Defined here, not in the
 * codecs, so the contract depends on nothing; `app/amf/` and `app/rtmp/` use
 * these same types.
 */

/** Any value AMF0 or AMF3 can carry. `Uint8Array` is an AMF3 ByteArray. */
export type AmfValue = number | boolean | string | null | undefined | Date | AmfValue[] | AmfObject | Uint8Array;

/** An anonymous object, typed object, ECMA array or AMF3 associative array. */
export interface AmfObject {
  [key: string]: AmfValue;
}

/** A decoded protocol control message (RTMP types 1-6), as the timeline shows it. */
export type ControlMessage =
  | { kind: 'set-chunk-size'; chunkSize: number }
  | { kind: 'abort'; csid: number }
  | { kind: 'ack'; sequence: number }
  | { kind: 'window-ack-size'; size: number }
  | { kind: 'set-peer-bandwidth'; size: number; limitType: number }
  | { kind: 'user-control'; event: number; name: string; streamId?: number; bufferLength?: number; timestamp?: number };

/** The timeline's grouping of RTMP message types. */
export type MessageKind = 'control' | 'command' | 'data' | 'audio' | 'video' | 'other';

/**
 * A decoded AMF value as typed JSON (app/amf/amf-json.ts): numbers, booleans,
 * strings, null, anonymous objects and strict arrays as JSON has them; what
 * JSON would lose is a tagged object `{ $amf: type, ... }`: `undefined`,
 * `ecma-array` and `typed-object` (members in `value`), `date`, `byte-array`,
 * a non-finite `number`, and an `object` whose own keys include `$amf`.
 */
export type AmfJson = number | boolean | string | null | AmfJson[] | { [key: string]: AmfJson };
