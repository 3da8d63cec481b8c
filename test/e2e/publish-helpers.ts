import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../support/cli.js';

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `intake-${prefix}-`));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface PublishOutcome {
  /** Video frames the publisher says it sent. */
  sent: number;
  code: number | null;
  log: string;
}

/**
 * ffmpeg (native rtmp): H.264 + AAC, `frames` video frames at 30 fps, as
 * fast as it encodes (`realtime`: at 30 fps). `source`: the lavfi video
 * source and its options before `size=` (default `testsrc=`; e.g.
 * `color=c=0xc02040:`). Sent count from its own `frame=`.
 */
export async function ffmpegPublish(url: string, frames: number, opts: { realtime?: boolean; size?: string; source?: string } = {}): Promise<PublishOutcome> {
  const secs = frames / 30;
  const r = await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-stats', '-nostdin',
    ...(opts.realtime ? ['-re'] : []),
    '-f', 'lavfi', '-i', `${opts.source ?? 'testsrc='}size=${opts.size ?? '320x240'}:rate=30:duration=${secs}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${secs}`,
    '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '60', '-c:a', 'aac', '-b:a', '64k',
    '-f', 'flv', url,
  ]);
  const m = [...r.stderr.matchAll(/frame=\s*(\d+)/g)].pop();
  return { sent: m ? Number(m[1]) : -1, code: r.code, log: r.stderr };
}

/** GStreamer: H.264 + AAC through flvmux into `sink` (rtmp2sink or librtmp's rtmpsink). Sent count = num-buffers. */
export async function gstPublish(sink: 'rtmp2sink' | 'rtmpsink', url: string, frames: number): Promise<PublishOutcome> {
  const pipeline = [
    'videotestsrc', `num-buffers=${frames}`, '!', 'video/x-raw,width=320,height=240,framerate=30/1', '!',
    'x264enc', 'tune=zerolatency', 'speed-preset=veryfast', 'key-int-max=60', '!', 'h264parse', '!',
    'flvmux', 'name=m', 'streamable=true', '!', sink, `location=${url}`,
    'audiotestsrc', `num-buffers=${Math.round((frames / 30) * 43)}`, '!', 'avenc_aac', '!', 'aacparse', '!', 'm.',
  ];
  const r = await run('gst-launch-1.0', ['-q', ...pipeline]);
  return { sent: r.code === 0 ? frames : -1, code: r.code, log: r.stdout + r.stderr };
}

/** The last `stats <path>` line's video/audio received/expected and percent. */
export function lastStats(output: string, streamPath: string): { video: [number, number, string]; audio: [number, number, string] } | null {
  const line = output
    .split('\n')
    .filter((l) => l.startsWith(`stats ${streamPath} `))
    .pop();
  if (!line) return null;
  const track = (name: string): [number, number, string] => {
    const m = new RegExp(`${name} \\S+(?: \\S+)?(?: Hz)? (\\d+)/(\\d+) (\\S+)`).exec(line);
    return m ? [Number(m[1]), Number(m[2]), m[3]] : [0, 0, '-'];
  };
  return { video: track('video'), audio: track('audio') };
}

/** The `recording finished FILE ... N video / M audio frames` line for a stream key. */
export function finishedRecording(output: string, key: string): { file: string; video: number; audio: number } | null {
  const re = new RegExp(`^recording finished (\\S+_${key}_\\S+\\.flv) .* (\\d+) video / (\\d+) audio frames`, 'm');
  const m = re.exec(output);
  return m ? { file: m[1], video: Number(m[2]), audio: Number(m[3]) } : null;
}
