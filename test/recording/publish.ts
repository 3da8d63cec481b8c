/** Test support: real publishers for the recording tests, and reading Intake's recording lines. */
import type { RunningIntake } from '../support/cli.js';
import { run } from '../support/cli.js';
import { type PublishOutcome, gstPublish } from '../e2e/publish-helpers.js';

export const FPS = 30;

/** ffmpeg: H.264 with three B-frames (`-bf 3`) + AAC 48 kHz, `frames` frames as fast as it encodes. */
export async function ffmpegBframes(url: string, frames: number, extra: string[] = [], gop = 30): Promise<PublishOutcome> {
  const secs = frames / FPS;
  const r = await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-stats', '-nostdin', ...extra,
    '-f', 'lavfi', '-i', `testsrc2=size=320x240:rate=${FPS}:duration=${secs}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${secs}`,
    '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', String(gop), '-keyint_min', String(gop), '-bf', '3', '-c:a', 'aac', '-b:a', '64k',
    '-f', 'flv', url,
  ]);
  const m = [...r.stderr.matchAll(/frame=\s*(\d+)/g)].pop();
  return { sent: m ? Number(m[1]) : -1, code: r.code, log: r.stderr };
}

/** The publishers every format is tested with. */
export const PUBLISHERS = [
  { name: 'ffmpeg -bf 3', bframes: true, tools: ['ffmpeg'], publish: (url: string, n: number) => ffmpegBframes(url, n) },
  { name: 'gst rtmp2sink', bframes: false, tools: ['gst-launch-1.0', 'gst:rtmp2sink', 'gst:x264enc', 'gst:avenc_aac'], publish: (url: string, n: number) => gstPublish('rtmp2sink', url, n) },
  { name: 'gst rtmpsink', bframes: false, tools: ['gst-launch-1.0', 'gst:rtmpsink', 'gst:x264enc', 'gst:avenc_aac'], publish: (url: string, n: number) => gstPublish('rtmpsink', url, n) },
] as const;

export interface EndedRecording {
  state: string;
  file: string;
  video: number;
  audio: number;
  line: string;
}

/** Waits for `recording finished|failed FILE ...` of a stream key (text output of `intake record`). */
export async function recordingEnded(intake: RunningIntake, key: string, timeoutMs = 30_000): Promise<EndedRecording> {
  const line = await intake.waitFor(new RegExp(`^recording (finished|failed) \\S+_${key}_\\S+ `), timeoutMs);
  const m = /^recording (\w+) (\S+) .* (\d+) video \/ (\d+) audio frames/.exec(line)!;
  return { state: m[1], file: m[2], video: Number(m[3]), audio: Number(m[4]), line };
}
