import type { ConnectionClosed, ProtocolStep, RecordingInfo, StreamStats, TimelineEntry, TrackStats } from '../contract/engine.js';
import type { AmfJson } from '../contract/values.js';
// The UI's units (SI: kB, MB; kbit/s, Mbit/s), so a number reads the same in the terminal and the window.
import { formatBitrate, formatBytes, percentFigure } from '../contract/format.js';

/** A compact JSON of a detail object for one log line, binary fields summarised. */
export function compact(v: unknown, max = 240): string {
  const s = JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? `<${x.length} bytes>` : x));
  if (s === undefined) return '';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function formatStep(s: ProtocolStep): string {
  const parts = [`#${s.connectionId}`, `+${s.atMs.toFixed(1)}ms`, s.label, s.state];
  if (s.reply) parts.push(`-> ${s.reply}`);
  if (s.detail && Object.keys(s.detail).length) parts.push(compact(s.detail));
  return parts.join('  ');
}

function track(name: string, t: TrackStats): string {
  if (t.received === 0 && !t.codec) return `${name} none`;
  // Floored like the window's figure, so the CLI and the UI never disagree on a capture short of 100 %.
  const figure = percentFigure(t.capturePercent);
  const pct = figure === null ? '-' : `${figure}%`;
  const dims = t.width ? ` ${t.width}x${t.height}` : t.sampleRate ? ` ${t.sampleRate} Hz` : '';
  return `${name} ${t.codec ?? '?'}${dims} ${t.received}/${t.expected} ${pct} ${t.fps} fps ${formatBitrate(t.bitrate)}`;
}

export function formatStats(s: StreamStats): string {
  const parts = [`stats ${s.path}`, `up ${(s.uptimeMs / 1000).toFixed(0)}s`, track('video', s.video), track('audio', s.audio)];
  for (const [k, t] of Object.entries(s.extraTracks)) parts.push(track(k, t));
  if (s.recording) parts.push(`rec ${formatBytes(s.recording.bytes)} ${s.recordedVideoFrames} frames`);
  return parts.join(' | ');
}

export function formatClose(c: ConnectionClosed): string {
  const err = c.error ? ` [${c.error.code}]` : '';
  return `#${c.connectionId}  +${c.atMs.toFixed(1)}ms  closed by ${c.by}: ${c.reason}${err}  (${formatBytes(c.bytesIn)} in, ${formatBytes(c.bytesOut)} out)`;
}

export function formatRecording(r: RecordingInfo): string {
  const err = r.error ? `: ${r.error.message}` : '';
  return `recording ${r.state} ${r.file} ${formatBytes(r.bytes)} ${(r.durationMs / 1000).toFixed(1)}s ${r.videoFrames} video / ${r.audioFrames} audio frames${err}`;
}

/**
 * A typed-JSON AMF value (app/amf/amf-json.ts) as text that keeps its type:
 * `undefined`, `ECMA array {"duration":4}`, `Date(2024-…)`, a typed
 * object's class name before its members; JSON's own types as JSON.
 */
export function amfText(v: AmfJson): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(amfText).join(',')}]`;
  const members = (o: AmfJson): string => {
    if (o === null || typeof o !== 'object' || Array.isArray(o)) return amfText(o);
    return `{${Object.entries(o).map(([k, x]) => `${JSON.stringify(k)}:${amfText(x)}`).join(',')}}`;
  };
  switch (v.$amf) {
    case 'undefined':
      return 'undefined';
    case 'number':
      return String(v.value);
    case 'date':
      return `Date(${String(v.value)})`;
    case 'byte-array':
      return `ByteArray(${String(v.bytes)} bytes)`;
    case 'ecma-array':
      return `ECMA array ${members(v.value)}`;
    case 'typed-object':
      return `${String(v.className)} ${members(v.value)}`;
    case 'object':
      return members(v.value);
    case undefined:
      return members(v);
    default:
      return `${String(v.$amf)}`;
  }
}

/** The chunk formats and count of a timeline entry, as " fmt=0,3 chunks=5" (empty when not recorded). */
function chunkText(e: TimelineEntry): string {
  return e.chunks === undefined ? '' : ` fmt=${(e.chunkFormats ?? []).join(',')} chunks=${e.chunks}`;
}

export function formatMessage(e: TimelineEntry): string {
  const arrow = e.direction === 'in' ? '<-' : '->';
  const args = e.command ? amfText(e.command.args) : '';
  const what = e.command
    ? `${e.command.name}${e.summary ? ` ${e.summary}` : ''} ${args.length > 160 ? `${args.slice(0, 159)}…` : args}`
    : e.control
      ? compact(e.control, 160)
      : (e.summary ?? '');
  return `#${e.connectionId}  +${e.atMs.toFixed(1)}ms  ${arrow} ${e.typeName}  csid=${e.csid} sid=${e.streamId} ts=${e.timestamp} len=${e.length}${chunkText(e)}  ${what}`;
}
