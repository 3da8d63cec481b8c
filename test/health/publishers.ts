/**
 * Test support for the health tests: misconfigured publishers on purpose.
 * ffmpeg with the option under test, a proxy that pauses the stream, and a
 * publisher that replays an ffmpeg FLV with its timestamps changed (a reset,
 * a jump, frames skipped), paced in real time.
 */
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { RtmpPublisher } from '../../app/client/publisher.js';
import { readFlvFile } from '../../app/flv/flv-reader.js';
import { run } from '../support/cli.js';

export interface FfmpegOptions {
  /** Extra video options (after the defaults, so they override them). */
  video?: string[];
  /** Extra audio options. */
  audio?: string[];
  /** Options before the audio input (e.g. -itsoffset 1). */
  audioInput?: string[];
  noAudio?: boolean;
  /** Pace in real time (-re); default true. */
  realtime?: boolean;
  seconds?: number;
  size?: string;
}

/** ffmpeg's arguments for a test stream: testsrc2 320x240 at 30 fps, x264 ultrafast, GOP 2 s, no B-frames, AAC 48 kHz stereo 128k. */
export function ffmpegArgs(url: string, o: FfmpegOptions = {}): string[] {
  const re = o.realtime === false ? [] : ['-re'];
  const t = String(o.seconds ?? 8);
  const audioIn = o.noAudio ? [] : [...re, ...(o.audioInput ?? []), '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'];
  const audioOut = o.noAudio ? ['-an'] : ['-c:a', 'aac', '-b:a', '128k', '-ac', '2', ...(o.audio ?? [])];
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    ...re, '-f', 'lavfi', '-i', `testsrc2=size=${o.size ?? '320x240'}:rate=30`, ...audioIn, '-t', t,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '60', '-bf', '0',
    '-b:v', '1000k', '-maxrate', '1000k', '-bufsize', '1000k', ...(o.video ?? []),
    ...audioOut, '-f', 'flv', url,
  ];
}

/** Publish with ffmpeg; resolves when it exits (a broken pipe when the check stops first is expected). */
export async function ffmpegPublish(url: string, o: FfmpegOptions = {}): Promise<void> {
  await run('ffmpeg', ffmpegArgs(url, o), 60_000);
}

/** A fresh temporary folder. */
export const tempDir = (): string => mkdtempSync(path.join(os.tmpdir(), 'intake-health-'));

/** An FLV of `seconds` of the default test stream, written by ffmpeg (no -re). */
export async function encodeFlv(dir: string, seconds: number): Promise<string> {
  const file = path.join(dir, `test-${seconds}s.flv`);
  const r = await run('ffmpeg', ['-y', ...ffmpegArgs(file, { seconds, realtime: false })]);
  if (r.code !== 0) throw new Error(`ffmpeg could not write ${file}: ${r.stderr}`);
  return file;
}

/**
 * Replays an FLV file as a live publisher: each tag at its own time (real
 * time), its timestamp as `retime` says (null: not sent, as an encoder that
 * skipped it).
 */
export async function replayFlv(url: string, file: string, retime: (ts: number, type: number) => number | null): Promise<void> {
  const { tags } = readFlvFile(await readFile(file));
  const key = url.slice(url.lastIndexOf('/') + 1);
  const pub = await RtmpPublisher.publish(url);
  const start = Date.now();
  try {
    for (const tag of tags) {
      const wait = start + tag.timestamp - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (tag.type === 18) {
        await pub.media(18, 0, Buffer.from(tag.body));
        continue;
      }
      const ts = retime(tag.timestamp, tag.type);
      if (ts !== null) await pub.media(tag.type, ts >>> 0, Buffer.from(tag.body));
    }
    await pub.unpublish(key);
  } catch {
    await pub.close();
  }
}

/**
 * A TCP proxy to `targetPort` that forwards the publisher's bytes, but holds
 * them for `pauseMs` once, `afterMs` after the connection opened: the
 * receiver sees nothing, then a burst (a stalled network).
 */
export async function pausingProxy(targetPort: number, afterMs: number, pauseMs: number): Promise<{ port: number; close(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
    sockets.add(client).add(upstream);
    upstream.on('data', (b: Buffer) => client.write(b));
    let held: Buffer[] | null = null;
    setTimeout(() => {
      held = [];
      setTimeout(() => {
        for (const b of held ?? []) upstream.write(b);
        held = null;
      }, pauseMs);
    }, afterMs);
    client.on('data', (b: Buffer) => (held ? held.push(b) : upstream.write(b)));
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}
