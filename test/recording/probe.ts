/**
 * Test support: what ffprobe 5.1 reads in a recording, packet by packet, and
 * the checks every recording must pass whatever its container.
 */
import { run } from '../support/cli.js';

export interface ProbedStream {
  index: number;
  type: 'video' | 'audio' | string;
  codec: string;
  /** Packets in file (decode) order. */
  packets: { pts: number; dts: number | null; key: boolean; duration: number | null }[];
}

export interface Probe {
  streams: ProbedStream[];
  /** ffprobe's complaints (must be empty). */
  errors: string;
  format: { startTime: number | null; duration: number | null; bitRate: number | null };
}

const num = (v: string | undefined): number | null => (v === undefined || v === 'N/A' ? null : Number(v));

/** `ffprobe -show_packets -show_streams -show_format` of a file. */
export async function probe(file: string): Promise<Probe> {
  const r = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=index,codec_type,codec_name:packet=stream_index,pts_time,dts_time,duration_time,flags:format=start_time,duration,bit_rate', '-of', 'json', file]);
  const j = JSON.parse(r.stdout || '{}') as {
    streams?: { index: number; codec_type: string; codec_name: string }[];
    packets?: { stream_index: number; pts_time?: string; dts_time?: string; duration_time?: string; flags: string }[];
    format?: { start_time?: string; duration?: string; bit_rate?: string };
  };
  const streams: ProbedStream[] = (j.streams ?? []).map((s) => ({ index: s.index, type: s.codec_type, codec: s.codec_name, packets: [] }));
  for (const p of j.packets ?? []) {
    streams.find((s) => s.index === p.stream_index)?.packets.push({ pts: num(p.pts_time) ?? Number.NaN, dts: num(p.dts_time), key: p.flags.startsWith('K'), duration: num(p.duration_time) });
  }
  const f = j.format ?? {};
  return { streams, errors: r.stderr.trim(), format: { startTime: num(f.start_time), duration: num(f.duration), bitRate: num(f.bit_rate) } };
}

/** The first stream of a kind. */
export function streamOf(p: Probe, type: 'video' | 'audio'): ProbedStream | undefined {
  return p.streams.find((s) => s.type === type);
}

/** Presentation span of a stream's packets plus one frame: what the stream lasts. */
export function presentedSeconds(s: ProbedStream, frameSeconds: number): number {
  const pts = s.packets.map((p) => p.pts);
  return Math.max(...pts) + frameSeconds - Math.min(...pts);
}

/** What the whole file presents: from its earliest presentation time to the end (pts + duration) of its latest, over every stream. */
export function fileSpan(p: Probe): number {
  const packets = p.streams.flatMap((s) => s.packets);
  return Math.max(...packets.map((q) => q.pts + (q.duration ?? 0))) - Math.min(...packets.map((q) => q.pts));
}

/** The earliest timestamp of any packet (decode time where the container has one, else presentation). */
export function earliest(p: Probe): number {
  return Math.min(...p.streams.flatMap((s) => s.packets.map((q) => q.dts ?? q.pts)));
}

/** Whether presentation times, sorted, are evenly spaced frames (display order holds every frame once). */
export function displayOrderGaps(s: ProbedStream, frameSeconds: number): number[] {
  const pts = s.packets.map((p) => p.pts).sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < pts.length; i++) {
    const g = pts[i] - pts[i - 1];
    if (Math.abs(g - frameSeconds) > frameSeconds / 2) gaps.push(i);
  }
  return gaps;
}
