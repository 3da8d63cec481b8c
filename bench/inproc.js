// @ts-check
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
 *   +record   the same plus the FlvRecorder writing to bench/work/rec-inproc,
 *             timed until the recording is finalised (yields to the event loop
 *             every 16 reads so the writes can proceed)
 *
 *   node bench/inproc.js CAPTURE.bin [CAPTURE.bin ...] [--iterations 5]
 *
 * Each CAPTURE.bin has a CAPTURE.bin.json next to it: { segments: [lengths], chunkSize, codedVideoFrames }.
 * Prints one JSON line per capture. Run it under `node --cpu-prof` to profile.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { WORK, distModule, emptyDir, isCodedVideoFrame, median } from './lib.js';

const { ChunkDecoder } = /** @type {typeof import('../dist/app/rtmp/chunk-decoder.js')} */ (await import(distModule('app/rtmp/chunk-decoder.js')));
const { Engine } = /** @type {typeof import('../dist/app/engine.js')} */ (await import(distModule('app/engine.js')));

const argv = process.argv.slice(2);
const itIdx = argv.indexOf('--iterations');
const iterations = itIdx >= 0 ? Number(argv[itIdx + 1]) : 5;
const captures = argv.filter((a, i) => !a.startsWith('--') && (itIdx < 0 || i !== itIdx + 1));
const HANDSHAKE_BYTES = 1 + 1536 + 1536;

/**
 * The capture as the reads the proxy saw: subarrays of one buffer.
 * @param {Buffer} all
 * @param {number[]} lengths
 * @param {number} skip bytes to drop from the front
 */
function segmentsOf(all, lengths, skip) {
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

/** @param {Buffer[]} segs */
function decoderPass(segs) {
  let messages = 0;
  let video = 0;
  const dec = new ChunkDecoder((m) => {
    messages++;
    if (m.typeId === 1) dec.setChunkSize(m.payload.readUInt32BE(0) & 0x7fffffff);
    else if (m.typeId === 9 && isCodedVideoFrame(m.payload)) video++;
  });
  const t = performance.now();
  for (const s of segs) dec.push(s);
  return { seconds: (performance.now() - t) / 1000, messages, video };
}

/** Just enough of net.Socket for Connection. */
class FakeSocket extends EventEmitter {
  remoteAddress = '127.0.0.1';
  remotePort = 1;
  bytesWritten = 0;
  paused = false;
  setNoDelay() {}
  setTimeout() {}
  /** Backpressure from a recording behind the disk: the feed loop waits for resume(). */
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
    this.emit('resume');
  }
  /** @param {Buffer} b */
  write(b) {
    this.bytesWritten += b.length;
    return true;
  }
  /** @param {() => void} [cb] */
  end(cb) {
    cb?.();
  }
  destroy() {}
}

/**
 * @param {import('../dist/app/engine.js').Engine} engine
 * @param {Buffer[]} segs
 * @param {boolean} record
 */
async function pipelinePass(engine, segs, record) {
  /** @type {number} */
  let video = -1;
  const onStats = (/** @type {import('../dist/app/contract/index.js').StreamStats} */ s) => {
    video = record ? s.recordedVideoFrames : s.video.received;
  };
  /** @type {Promise<unknown>} */
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
  const offStats = engine.on('stream-stats', onStats);
  const sock = new FakeSocket();
  const t = performance.now();
  /** @type {any} */ (engine).accept(sock);
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

const recDir = path.join(WORK, 'rec-inproc');
for (const file of captures) {
  const meta = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8'));
  const all = fs.readFileSync(file);
  const full = segmentsOf(all, meta.segments, 0);
  const afterHs = segmentsOf(all, meta.segments, HANDSHAKE_BYTES);
  const chunkBytes = all.length - HANDSHAKE_BYTES;
  const result = { capture: path.basename(file), chunkSize: meta.chunkSize, bytes: all.length, reads: meta.segments.length, expectedVideo: meta.codedVideoFrames, decoder: {}, pipeline: {}, record: {} };

  // Decoder alone: one warm-up pass, then `iterations` timed passes.
  decoderPass(afterHs);
  const dec = [];
  let decVideo = 0;
  for (let i = 0; i < iterations; i++) {
    const r = decoderPass(afterHs);
    dec.push(chunkBytes / r.seconds / 1e6);
    decVideo = r.video;
  }
  result.decoder = { mbps: dec, medianMBps: median(dec), videoFrames: decVideo };

  const engine = new Engine({ port: 0 });
  await pipelinePass(engine, full, false);
  const pipe = [];
  let pipeVideo = 0;
  for (let i = 0; i < iterations; i++) {
    const r = await pipelinePass(engine, full, false);
    pipe.push(all.length / r.seconds / 1e6);
    pipeVideo = r.video;
  }
  result.pipeline = { mbps: pipe, medianMBps: median(pipe), videoFrames: pipeVideo };
  await engine.stop();

  emptyDir(recDir);
  const recEngine = new Engine({ port: 0, recordDir: recDir, autoRecord: true });
  const rec = [];
  let recVideo = 0;
  for (let i = 0; i < Math.min(iterations, 3); i++) {
    const r = await pipelinePass(recEngine, full, true);
    rec.push(all.length / r.seconds / 1e6);
    recVideo = r.video;
    emptyDir(recDir);
  }
  await recEngine.stop();
  result.record = { mbps: rec, medianMBps: median(rec), videoFrames: recVideo };
  console.log(JSON.stringify(result));
}
fs.rmSync(recDir, { recursive: true, force: true });
