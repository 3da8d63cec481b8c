/**
 * The engine in-process, without sockets: replays captured publish sessions
 * (the client->server bytes of a real `intake push` session, in the read
 * sizes the capture proxy saw) and reports MB/s (10^6 bytes of wire input
 * per second of wall time) for
 *
 *   decoder   ChunkDecoder alone, on the bytes after the handshake
 *             (C0+C1+C2 = 1 + 1536 + 1536 bytes skipped); Set Chunk Size applied
 *   pipeline  the whole server path: Engine -> Connection (handshake, chunk
 *             decoder, acks) -> Session -> LiveStream (tag parsing, counters,
 *             GOP cache), fed through a fake socket, no recording
 *   +record   the same plus the recorder writing to bench/work/rec-inproc,
 *             timed until the recording is finalised (yields to the event loop
 *             every 16 reads so the writes can proceed)
 *
 *   node --import tsx bench/inproc.ts CAPTURE.bin [CAPTURE.bin ...] [--iterations 5]
 *
 * Each CAPTURE.bin has a CAPTURE.bin.json next to it (a CaptureMeta).
 * Prints one JSON line (an InprocResult) per capture. Measures the engine of
 * the dist/ in use (the snapshot's under run.ts).
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type * as Index from '../app/index.js';
import type * as ChunkDecoderModule from '../app/rtmp/chunk-decoder.js';
import { emptyDir, isCodedVideoFrame } from './flv-count.js';
import { WORK, distModule } from './paths.js';
import { median } from './table.js';

/** What capture() in scenarios.ts writes next to a capture. */
export interface CaptureMeta {
  segments: number[];
  chunkSize: number;
  codedVideoFrames: number;
  source: { bytes: number; mtimeMs: number };
}

/** MB/s of each timed pass, their median, and the video frames the last pass saw. */
export interface PassResult {
  mbps: number[];
  medianMBps: number;
  videoFrames: number;
}

/** One line of output. */
export interface InprocResult {
  capture: string;
  chunkSize: number;
  bytes: number;
  reads: number;
  expectedVideo: number;
  decoder: PassResult;
  pipeline: PassResult;
  record: PassResult;
}

const HANDSHAKE_BYTES = 1 + 1536 + 1536;

/** The capture as the reads the proxy saw: subarrays of one buffer, less `skip` bytes at the front. */
function segmentsOf(all: Buffer, lengths: number[], skip: number): Buffer[] {
  const out = [];
  let pos = 0;
  for (const len of lengths) {
    const start = Math.max(pos, skip);
    const end = pos + len;
    if (end > start) out.push(all.subarray(start, end));
    pos = end;
  }
  return out;
}

function decoderPass(ChunkDecoder: typeof ChunkDecoderModule.ChunkDecoder, segs: Buffer[]): { seconds: number; video: number } {
  let video = 0;
  const dec = new ChunkDecoder((m) => {
    if (m.typeId === 1) dec.setChunkSize(m.payload.readUInt32BE(0) & 0x7fffffff);
    else if (m.typeId === 9 && isCodedVideoFrame(m.payload)) video++;
  });
  const t = performance.now();
  for (const s of segs) dec.push(s);
  return { seconds: (performance.now() - t) / 1000, video };
}

/** Just enough of net.Socket for the engine's connection. */
class FakeSocket extends EventEmitter {
  remoteAddress = '127.0.0.1';
  remotePort = 1;
  bytesWritten = 0;
  paused = false;
  setNoDelay(): void {}
  setTimeout(): void {}
  /** Backpressure from a recording behind the disk: the feed loop waits for resume(). */
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    this.emit('resume');
  }
  write(b: Buffer): boolean {
    this.bytesWritten += b.length;
    return true;
  }
  end(cb?: () => void): void {
    cb?.();
  }
  destroy(): void {}
}

async function pipelinePass(engine: Index.Engine, segs: Buffer[], record: boolean): Promise<{ seconds: number; video: number }> {
  let video = -1;
  const finished = record
    ? new Promise((resolve) => {
        const off = engine.on('recording', (r) => {
          if (r.state !== 'recording') {
            off();
            resolve(r);
          }
        });
      })
    : Promise.resolve(null);
  const offStats = engine.on('stream-stats', (s) => {
    video = record ? s.recordedVideoFrames : s.video.received;
  });
  const sock = new FakeSocket();
  const t = performance.now();
  // Engine.accept takes any peer stream: the same path a listener's socket takes, limit included.
  engine.accept(sock);
  for (let i = 0; i < segs.length; i++) {
    if (sock.paused) await new Promise((r) => sock.once('resume', r));
    sock.emit('data', segs[i]);
    if (record && (i & 15) === 15) await new Promise((r) => setImmediate(r));
  }
  sock.emit('end');
  await finished;
  const seconds = (performance.now() - t) / 1000;
  offStats();
  return { seconds, video };
}

async function passes(n: number, bytes: number, pass: () => Promise<{ seconds: number; video: number }>): Promise<PassResult> {
  const mbps: number[] = [];
  let videoFrames = 0;
  for (let i = 0; i < n; i++) {
    const r = await pass();
    mbps.push(bytes / r.seconds / 1e6);
    videoFrames = r.video;
  }
  return { mbps, medianMBps: median(mbps), videoFrames };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { iterations: { type: 'string', default: '5' } } });
  const iterations = Number(values.iterations);
  const { ChunkDecoder } = (await import(distModule('app/rtmp/chunk-decoder.js'))) as typeof ChunkDecoderModule;
  const { Engine } = (await import(distModule('app/index.js'))) as typeof Index;
  const recDir = path.join(WORK, 'rec-inproc');
  for (const file of positionals) {
    const meta = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as CaptureMeta;
    const all = fs.readFileSync(file);
    const full = segmentsOf(all, meta.segments, 0);
    const afterHs = segmentsOf(all, meta.segments, HANDSHAKE_BYTES);

    decoderPass(ChunkDecoder, afterHs); // warm-up
    const decoder = await passes(iterations, all.length - HANDSHAKE_BYTES, async () => decoderPass(ChunkDecoder, afterHs));

    const engine = new Engine({ port: 0 });
    await pipelinePass(engine, full, false); // warm-up
    const pipeline = await passes(iterations, all.length, () => pipelinePass(engine, full, false));
    await engine.stop();

    emptyDir(recDir);
    const recEngine = new Engine({ port: 0, recordDir: recDir, autoRecord: true });
    await recEngine.ready();
    const record = await passes(Math.min(iterations, 3), all.length, async () => {
      const r = await pipelinePass(recEngine, full, true);
      emptyDir(recDir);
      return r;
    });
    await recEngine.stop();
    const result: InprocResult = { capture: path.basename(file), chunkSize: meta.chunkSize, bytes: all.length, reads: meta.segments.length, expectedVideo: meta.codedVideoFrames, decoder, pipeline, record };
    console.log(JSON.stringify(result));
  }
  fs.rmSync(recDir, { recursive: true, force: true });
}

await main();
