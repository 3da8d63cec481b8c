/** Bytes of an AMF3 ByteArray shown in the UI; the rest is counted, not copied. */
const BYTES_SHOWN = 32;

/**
 * A copy of a decoded value that JSON carries without loss of meaning, so the
 * WebSocket and Electron's structured clone deliver the same thing: Dates
 * become ISO strings, byte arrays become `{bytes, hex}`, undefined and
 * non-finite numbers become null. Plain values come back as they are.
 */
export function jsonSafe(value: unknown, depth = 0): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (depth > 64) return '[too deep]';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) {
    return { bytes: value.length, hex: Buffer.from(value.subarray(0, BYTES_SHOWN)).toString('hex') + (value.length > BYTES_SHOWN ? '…' : '') };
  }
  if (Array.isArray(value)) return value.map((v) => jsonSafe(v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = jsonSafe(v, depth + 1);
    return out;
  }
  return String(value);
}
