/**
 * The bench's input files, generated once into bench/work/ with ffmpeg and
 * described (frames, bytes, duration) in a .json cached next to each.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readFlvFile } from '../app/flv/flv-reader.js';
import { countFlv } from './flv-count.js';
import { ROOT, WORK } from './paths.js';

/** One generated input: H.264 1280x720 30 fps (libx264 ultrafast, GOP 60) + AAC 128k. */
export interface InputSpec {
  file: string;
  seconds: number;
  /** Video bitrate as ffmpeg takes it, e.g. '8M'. */
  videoRate: string;
  /** The generated file must be at least this large (bytes), or the run stops. */
  minBytes: number;
}

/** What an input holds. */
export interface InputInfo {
  file: string;
  videoFrames: number;
  videoTags: number;
  audioTags: number;
  bytes: number;
  mtimeMs: number;
  tags: number;
  /** Bytes of audio, video and data tag bodies (what `intake push` reports as bytes). */
  payloadBytes: number;
  durationS: number;
  mbitPerS: number;
}

/**
 * Ingest: ~8.2 Mbit/s for 600 s = ~612 MB. Why that large: a run shorter than
 * a second mostly measures start-up and JIT (a 60 MB push was over in 0.1 s).
 * With 306 MB, once Intake's socket reads got cheaper, its push took 0.75-0.9 s
 * and nginx-rtmp's 0.8-1.0 s, so the file doubled to keep every run above a
 * second on this machine (bench/RESULTS.md, "Reads into one shared buffer",
 * has the last figures at 306 MB); it also gives nginx enough CPU ticks
 * (1/100 s) to be measured to ~1 %.
 */
export const INGEST_INPUT: InputSpec = { file: path.join(WORK, 'ingest-720p30-8M-600s.flv'), seconds: 600, videoRate: '8M', minBytes: 600e6 };
/** Fan-in: 17 s at ~1.7 Mbit/s, so that 100 or 200 staggered streams leave a 15 s window with all of them live. */
export const FANIN_INPUT: InputSpec = { file: path.join(WORK, 'fanin-720p30-1.7M-17s.flv'), seconds: 17, videoRate: '1550k', minBytes: 0 };

function generate(spec: InputSpec, log: (s: string) => void): void {
  const tmp = `${spec.file}.tmp.flv`;
  log(`bench: generating ${path.relative(ROOT, spec.file)} (${spec.seconds} s, H.264 ${spec.videoRate} + AAC 128k) with ffmpeg...`);
  const rate = spec.videoRate;
  const bufsize = `${parseFloat(rate) * 2}${rate.replace(/[\d.]/g, '')}`;
  // prettier-ignore
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(spec.seconds),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '60',
    '-b:v', rate, '-maxrate', rate, '-bufsize', bufsize,
    '-c:a', 'aac', '-b:a', '128k', '-ac', '2',
    '-f', 'flv', tmp], { stdio: ['ignore', 'inherit', 'inherit'] });
  fs.renameSync(tmp, spec.file);
}

/** Generate the input unless present, and describe it. */
export function input(spec: InputSpec, log: (s: string) => void): InputInfo {
  fs.mkdirSync(WORK, { recursive: true });
  if (!fs.existsSync(spec.file)) generate(spec, log);
  const st = fs.statSync(spec.file);
  if (st.size < spec.minBytes) throw new Error(`${spec.file} is ${st.size} bytes, under the ${spec.minBytes} the bench needs: delete it to regenerate`);
  const metaFile = `${spec.file}.json`;
  if (fs.existsSync(metaFile)) {
    const m = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as InputInfo;
    if (m.bytes === st.size && m.mtimeMs === st.mtimeMs) return m;
  }
  const { tags } = readFlvFile(fs.readFileSync(spec.file));
  const c = countFlv(spec.file);
  let payloadBytes = 0;
  for (const t of tags) if (t.type === 8 || t.type === 9 || t.type === 18) payloadBytes += t.body.length;
  const durationS = (tags[tags.length - 1].timestamp - tags[0].timestamp) / 1000;
  const m: InputInfo = {
    file: path.relative(ROOT, spec.file),
    videoFrames: c.videoFrames,
    videoTags: c.videoTags,
    audioTags: c.audioTags,
    bytes: st.size,
    mtimeMs: st.mtimeMs,
    tags: tags.length,
    payloadBytes,
    durationS,
    mbitPerS: (st.size * 8) / durationS / 1e6,
  };
  fs.writeFileSync(metaFile, JSON.stringify(m, null, 2));
  return m;
}
