#!/usr/bin/env node
// @ts-check
/**
 * `npm run bench`: Intake side by side with nginx-rtmp as the reference receiver.
 *
 *   node bench/run.js [--reps 5] [--only ingest,fanin,inproc] [--streams 100] [--no-results]
 *   node bench/run.js --profile      one profiled Intake run per scenario (node --cpu-prof), top 15 self time
 *
 * Plain JavaScript (ES modules, // @ts-check) run by plain node against dist/
 * (build first: npx tsc -b tsconfig.app.json); it measures a copy of bin/ +
 * dist/ taken at its start (bench/work/snapshot), so a rebuild by someone else
 * mid-run changes nothing. Linux only (/proc). Inputs are
 * generated once into bench/work/ with ffmpeg and reused; every process the
 * bench starts is stopped by it, also on error and Ctrl-C. Only 127.0.0.1.
 *
 * Units: MB = 10^6 bytes and GB = 10^9 bytes of FLV tag payload pushed (what
 * `intake push` reports), except RSS: MB = 2^20 bytes. CPU = utime + stime
 * (+ cutime + cstime) over the receiver's process tree, from /proc/PID/stat.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BENCH_DIR, CLK_TCK, Child, ROOT, SNAPSHOT, WORK, countFlv, distModule, emptyDir, intakeBin, killAll, killAllSync, median, reapedChildrenCpuSeconds, sleep } from './lib.js';
import { NGINX_RTMP_MODULE, shebangFlags, startReceiver } from './receivers.js';
import { topSelf } from './prof-top.js';

// ---------------------------------------------------------------- options

const argv = process.argv.slice(2);
/** @param {string} name */
const flag = (name) => argv.includes(`--${name}`);
/** @param {string} name @param {string} dflt */
const option = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const REPS = Number(option('reps', '5'));
const ONLY = new Set(option('only', 'ingest,fanin,inproc').split(','));
const STREAMS = Number(option('streams', '100'));
const PROFILE = flag('profile');
const WRITE_RESULTS = !flag('no-results') && !PROFILE;
if (!Number.isInteger(REPS) || REPS < 1) throw new Error('--reps must be a positive integer');

const CHUNK_SIZES = [4096, 128];
const INGEST_SECONDS = 300; // ~8.2 Mbit/s -> ~300 MB: enough CPU ticks (1/100 s) for nginx's share to be measured to ~1 %
const FANIN_SECONDS = 17; // 100 streams staggered over 2 s -> a 15 s window with all of them live
const FANIN_STAGGER_MS = 20;
const INGEST_FILE = path.join(WORK, `ingest-720p30-8M-${INGEST_SECONDS}s.flv`);
const FANIN_FILE = path.join(WORK, `fanin-720p30-1.7M-${FANIN_SECONDS}s.flv`);
const TARGETS = { ingestCpu4096: 1.5, ingestCpu128: 0.5, faninCpu: 2, faninRssMB: 100 };

const command = process.env.npm_lifecycle_event === 'bench' ? `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}` : `node bench/run.js${argv.length ? ` ${argv.join(' ')}` : ''}`;

// ---------------------------------------------------------------- cleanup on every way out

let stopping = false;
for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    console.error(`\nbench: ${sig}, stopping every process it started`);
    void killAll().finally(() => process.exit(130));
  });
}
process.on('exit', killAllSync);

/** @param {string} s */
const log = (s) => process.stderr.write(`${s}\n`);

// ---------------------------------------------------------------- environment

function checkBuild() {
  const dist = path.join(ROOT, 'dist', 'app');
  if (!fs.existsSync(path.join(dist, 'engine.js'))) throw new Error('dist/ is not built: run `npx tsc -b tsconfig.app.json` first');
  /** @type {string[]} */
  const stale = [];
  /** @param {string} dir */
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) {
        const js = path.join(dist, path.relative(path.join(ROOT, 'app'), p)).replace(/\.ts$/, '.js');
        if (!fs.existsSync(js) || fs.statSync(js).mtimeMs < fs.statSync(p).mtimeMs) stale.push(path.relative(ROOT, p));
      }
    }
  };
  walk(path.join(ROOT, 'app'));
  if (stale.length) log(`bench: WARNING: dist/ is older than ${stale.join(', ')}; the bench measures dist/ (rebuild with npx tsc -b tsconfig.app.json)`);
  if (!fs.existsSync(NGINX_RTMP_MODULE)) throw new Error(`${NGINX_RTMP_MODULE} is missing (apt-get install libnginx-mod-rtmp)`);
}

function machine() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const mhz = /^cpu MHz\s*:\s*(.*)$/m.exec(cpuinfo)?.[1];
  const nginx = execFileSync('sh', ['-c', 'nginx -v 2>&1'], { encoding: 'utf8' }).trim();
  const modVersion = (() => {
    try {
      return execFileSync('dpkg-query', ['-W', '-f=${Version}', 'libnginx-mod-rtmp'], { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  const ffmpeg = execFileSync('ffmpeg', ['-version'], { encoding: 'utf8' }).split('\n')[0];
  return {
    nproc: os.availableParallelism(),
    cpu: `${model}${mhz ? ` (${Math.round(Number(mhz))} MHz)` : ''}`,
    memGB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    nginx: `${nginx.replace(/^nginx version: /, '')}, libnginx-mod-rtmp ${modVersion}`,
    ffmpeg: ffmpeg.replace(/ Copyright.*/, ''),
    clkTck: CLK_TCK,
  };
}

/** What was measured: the commit, whether app/ differs from it, and when dist/ was last built (read-only git). */
function provenance() {
  /** @param {string[]} args */
  const git = (args) => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  let newest = 0;
  /** @param {string} dir */
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.js')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  walk(path.join(ROOT, 'dist', 'app'));
  const dirty = git(['status', '--porcelain', '--', 'app']).split('\n').filter(Boolean).length;
  return { commit: git(['rev-parse', '--short', 'HEAD']) || 'unknown', appChanges: dirty, distBuilt: new Date(newest).toISOString() };
}

/**
 * Copy bin/intake.js and dist/app into bench/work/snapshot and measure that copy
 * (children inherit INTAKE_DIST), so that a rebuild of dist/ by someone else
 * during the run cannot change what is measured.
 */
function snapshot() {
  fs.rmSync(SNAPSHOT, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, 'dist', 'app'), path.join(SNAPSHOT, 'dist', 'app'), { recursive: true });
  fs.mkdirSync(path.join(SNAPSHOT, 'bin'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'bin', 'intake.js'), path.join(SNAPSHOT, 'bin', 'intake.js'));
  fs.writeFileSync(path.join(SNAPSHOT, 'package.json'), '{ "type": "module" }\n');
  process.env.INTAKE_DIST = path.join(SNAPSHOT, 'dist');
}

/** @type {typeof import('../dist/app/flv/flv-reader.js').readFlvFile} */
let readFlvFile;

// ---------------------------------------------------------------- inputs

/**
 * @param {string} file
 * @param {number} seconds
 * @param {string} videoRate e.g. 8M
 */
function generate(file, seconds, videoRate) {
  const tmp = `${file}.tmp.flv`;
  log(`bench: generating ${path.relative(ROOT, file)} (${seconds} s, H.264 ${videoRate} + AAC 128k) with ffmpeg...`);
  const bufsize = `${parseFloat(videoRate) * 2}${videoRate.replace(/[\d.]/g, '')}`;
  execFileSync(
    'ffmpeg',
    // prettier-ignore
    ['-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
      '-t', String(seconds),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '60',
      '-b:v', videoRate, '-maxrate', videoRate, '-bufsize', bufsize,
      '-c:a', 'aac', '-b:a', '128k', '-ac', '2',
      '-f', 'flv', tmp],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  fs.renameSync(tmp, file);
}

/**
 * Generate the file unless present, and describe it (cached next to it).
 * @param {string} file
 * @param {number} seconds
 * @param {string} videoRate
 */
function input(file, seconds, videoRate) {
  if (!fs.existsSync(file)) generate(file, seconds, videoRate);
  const st = fs.statSync(file);
  const metaFile = `${file}.json`;
  if (fs.existsSync(metaFile)) {
    const m = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
    if (m.bytes === st.size && m.mtimeMs === st.mtimeMs) return m;
  }
  const { tags } = readFlvFile(fs.readFileSync(file));
  const c = countFlv(readFlvFile, file);
  let payload = 0;
  for (const t of tags) if (t.type === 8 || t.type === 9 || t.type === 18) payload += t.body.length;
  const durationS = (tags[tags.length - 1].timestamp - tags[0].timestamp) / 1000;
  const m = { file: path.relative(ROOT, file), ...c, bytes: st.size, mtimeMs: st.mtimeMs, tags: tags.length, payloadBytes: payload, durationS, mbitPerS: (st.size * 8) / durationS / 1e6 };
  fs.writeFileSync(metaFile, JSON.stringify(m, null, 2));
  return m;
}

// ---------------------------------------------------------------- ingest

/**
 * One publisher pushes the large file as fast as the socket takes it.
 * @param {'intake' | 'nginx'} name
 * @param {number} chunkSize
 * @param {any} src
 * @param {string} [profileDir]
 */
async function ingestRun(name, chunkSize, src, profileDir) {
  const rx = await startReceiver(name, { profileDir });
  try {
    const key = `ingest${chunkSize}`;
    const endedBefore = rx.endedStreams();
    const cpu0 = rx.cpu();
    const reaped0 = reapedChildrenCpuSeconds();
    const t0 = performance.now();
    const pusher = new Child('pusher', process.execPath, [intakeBin(), 'push', INGEST_FILE, `${rx.url}/${key}`, '--chunk-size', String(chunkSize)]);
    const code = await pusher.exited;
    const wallPusher = (performance.now() - t0) / 1000;
    const pusherCpu = reapedChildrenCpuSeconds() - reaped0;
    if (code !== 0) throw new Error(`pusher exited with ${code}${pusher.tail()}`);
    const m = /^pushed (\d+) tags \((\d+) video, (\d+) audio\), (\d+) bytes in ([\d.]+) s/.exec(pusher.lines.find((l) => l.startsWith('pushed ')) ?? '');
    if (!m) throw new Error(`pusher did not report${pusher.tail()}`);
    const bytes = Number(m[4]);
    const seconds = Number(m[5]);
    await rx.waitEnded(endedBefore + 1);
    const cpu = rx.cpu() - cpu0;
    const rss = rx.peakRss();
    await rx.stop();
    const files = rx.recordings();
    let frames = 0;
    for (const f of files) frames += countFlv(readFlvFile, f).videoFrames;
    emptyDir(rx.recDir);
    return {
      receiver: name,
      chunkSize,
      bytes,
      seconds,
      mbps: bytes / seconds / 1e6,
      cpu,
      cpuPerGB: cpu / (bytes / 1e9),
      rssMB: rss.sumMB,
      rssMaxMB: rss.maxMB,
      processes: rss.processes,
      frames,
      expected: src.videoFrames,
      capture: frames / src.videoFrames,
      sentVideoTags: Number(m[2]),
      pusherCpu,
      pusherWall: wallPusher,
    };
  } catch (err) {
    await rx.stop().catch(() => {});
    throw err;
  }
}

// ---------------------------------------------------------------- fan-in

/**
 * STREAMS publishers of the ~1.7 Mbit/s file in real time, from one pusher process.
 * @param {'intake' | 'nginx'} name
 * @param {any} src
 * @param {string} [profileDir]
 */
async function faninRun(name, src, profileDir) {
  const rx = await startReceiver(name, { profileDir });
  try {
    const endedBefore = rx.endedStreams();
    const reaped0 = reapedChildrenCpuSeconds();
    const all0 = rx.cpu();
    /** @type {{ cpu: number, t: number } | null} */
    let w0 = null;
    /** @type {{ cpu: number, t: number } | null} */
    let w1 = null;
    const pusher = new Child('fanin-pusher', process.execPath, [
      path.join(BENCH_DIR, 'fanin-pusher.js'),
      FANIN_FILE,
      rx.url,
      String(STREAMS),
      '--stagger-ms',
      String(FANIN_STAGGER_MS),
      '--chunk-size',
      '4096',
    ]);
    pusher.lineListeners.push((l) => {
      if (l === 'window-start') w0 = { cpu: rx.cpu(), t: performance.now() };
      else if (l === 'window-end') w1 = { cpu: rx.cpu(), t: performance.now() };
    });
    const code = await pusher.exited;
    const pusherCpu = reapedChildrenCpuSeconds() - reaped0;
    if (code !== 0) throw new Error(`fan-in pusher exited with ${code}${pusher.tail()}`);
    const report = JSON.parse(pusher.lines[pusher.lines.length - 1]);
    if (!w0 || !w1) throw new Error(`fan-in pusher did not report its window${pusher.tail()}`);
    const win0 = /** @type {{ cpu: number, t: number }} */ (w0);
    const win1 = /** @type {{ cpu: number, t: number }} */ (w1);
    await rx.waitEnded(endedBefore + STREAMS);
    const cpuAll = rx.cpu() - all0;
    const rss = rx.peakRss();
    await rx.stop();
    const files = rx.recordings();
    const perStream = files.map((f) => countFlv(readFlvFile, f).videoFrames / src.videoFrames);
    while (perStream.length < STREAMS) perStream.push(0);
    emptyDir(rx.recDir);
    const windowS = (win1.t - win0.t) / 1000;
    return {
      receiver: name,
      windowS,
      cpuPct: ((win1.cpu - win0.cpu) / windowS) * 100,
      cpuAll,
      rssMB: rss.sumMB,
      rssMaxMB: rss.maxMB,
      recordings: files.length,
      captureMin: Math.min(...perStream),
      captureMean: perStream.reduce((a, b) => a + b, 0) / perStream.length,
      pusherCpuPct: (report.windowCpuSeconds / report.windowSeconds) * 100,
      pusherCpu,
      pusherMaxLagMs: report.maxLagMs,
      pusherConnectMs: report.connectMs,
      pusherRssMB: report.peakRssMB,
    };
  } catch (err) {
    await rx.stop().catch(() => {});
    throw err;
  }
}

// ---------------------------------------------------------------- capture for the in-process bench

/**
 * The client->server bytes of one `intake push` session at `chunkSize`, through a
 * recording TCP proxy in front of an Intake receiver. Reused when present.
 * @param {number} chunkSize
 * @param {any} src
 */
async function capture(chunkSize, src) {
  const file = path.join(WORK, `capture-c${chunkSize}.bin`);
  if (fs.existsSync(file) && fs.existsSync(`${file}.json`)) {
    const m = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8'));
    if (m.source?.bytes === src.bytes && m.source?.mtimeMs === src.mtimeMs) return file;
  }
  log(`bench: capturing a chunk-size ${chunkSize} publish session into ${path.relative(ROOT, file)}...`);
  const rx = await startReceiver('intake');
  /** @type {Buffer[]} */
  const bufs = [];
  /** @type {number[]} */
  const segments = [];
  /** @type {Set<net.Socket>} */
  const sockets = new Set();
  const upstreamPort = Number(/:(\d+)\/live$/.exec(rx.url)?.[1]);
  const proxy = net.createServer((client) => {
    const up = net.connect({ host: '127.0.0.1', port: upstreamPort });
    sockets.add(client).add(up);
    client.on('data', (b) => {
      bufs.push(b);
      segments.push(b.length);
    });
    client.pipe(up);
    up.pipe(client);
    client.on('error', () => up.destroy());
    up.on('error', () => client.destroy());
    client.on('close', () => up.end());
    up.on('close', () => client.end());
  });
  try {
    await new Promise((resolve) => proxy.listen({ host: '127.0.0.1', port: 0 }, () => resolve(undefined)));
    const port = /** @type {net.AddressInfo} */ (proxy.address()).port;
    const pusher = new Child('pusher', process.execPath, [intakeBin(), 'push', INGEST_FILE, `rtmp://127.0.0.1:${port}/live/capture`, '--chunk-size', String(chunkSize)]);
    if ((await pusher.exited) !== 0) throw new Error(`capture pusher failed${pusher.tail()}`);
    await rx.waitEnded(1);
  } finally {
    for (const s of sockets) s.destroy();
    proxy.close();
    await rx.stop().catch(() => {});
    emptyDir(rx.recDir);
  }
  fs.writeFileSync(file, Buffer.concat(bufs));
  fs.writeFileSync(`${file}.json`, JSON.stringify({ chunkSize, segments, codedVideoFrames: src.videoFrames, source: { bytes: src.bytes, mtimeMs: src.mtimeMs } }));
  return file;
}

// ---------------------------------------------------------------- formatting

/** @param {number} x @param {number} [d] */
const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
/** @param {number} x */
const pct = (x) => (Number.isFinite(x) ? `${(x * 100).toFixed(x === 1 ? 0 : 2)}%` : 'n/a');
/**
 * @param {string[]} head
 * @param {(string | number)[][]} rows
 */
function table(head, rows) {
  const align = head.map((h) => (h.startsWith('<') ? '---' : '---:'));
  const clean = head.map((h) => h.replace(/^</, ''));
  return [`| ${clean.join(' | ')} |`, `|${align.join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

// ---------------------------------------------------------------- main

async function profile() {
  const dir = path.join(WORK, 'prof');
  emptyDir(dir);
  const ingestSrc = input(INGEST_FILE, INGEST_SECONDS, '8M');
  const faninSrc = input(FANIN_FILE, FANIN_SECONDS, '1550k');
  const out = [];
  for (const cs of CHUNK_SIZES) {
    const sub = path.join(dir, `ingest-c${cs}`);
    const r = await ingestRun('intake', cs, ingestSrc, sub);
    out.push({ title: `ingest, chunk size ${cs} (CPU ${f(r.cpu)} s, ${f(r.cpuPerGB)} s/GB under the profiler)`, sub });
  }
  const sub = path.join(dir, 'fanin');
  const r = await faninRun('intake', faninSrc, sub);
  out.push({ title: `fan-in, ${STREAMS} streams (CPU ${f(r.cpuPct, 1)} % of a core under the profiler)`, sub });
  for (const o of out) {
    const prof = fs.readdirSync(o.sub).find((x) => x.endsWith('.cpuprofile'));
    if (!prof) throw new Error(`no profile in ${o.sub}`);
    const top = topSelf(path.join(o.sub, prof), 15);
    console.log(`\n### Intake profile: ${o.title}\n\n${path.relative(ROOT, path.join(o.sub, prof))}: ${f(top.totalMs, 0)} ms sampled (not idle)\n`);
    console.log(table(['#', 'self ms', 'self %', '<function', '<where'], top.rows.map((x, i) => [i + 1, f(x.selfMs, 1), f(x.pct, 1), x.name, x.where])));
  }
}

async function main() {
  checkBuild();
  fs.mkdirSync(WORK, { recursive: true });
  const prov = provenance();
  snapshot();
  ({ readFlvFile } = /** @type {typeof import('../dist/app/flv/flv-reader.js')} */ (await import(distModule('app/flv/flv-reader.js'))));
  if (PROFILE) return profile();
  const started = Date.now();
  const mach = machine();
  const ingestSrc = input(INGEST_FILE, INGEST_SECONDS, '8M');
  const faninSrc = input(FANIN_FILE, FANIN_SECONDS, '1550k');
  log(`bench: ingest input ${ingestSrc.file}: ${f(ingestSrc.bytes / 1e6, 1)} MB, ${f(ingestSrc.durationS, 1)} s, ${f(ingestSrc.mbitPerS)} Mbit/s, ${ingestSrc.videoFrames} video frames`);
  log(`bench: fan-in input ${faninSrc.file}: ${f(faninSrc.bytes / 1e6, 1)} MB, ${f(faninSrc.durationS, 1)} s, ${f(faninSrc.mbitPerS)} Mbit/s, ${faninSrc.videoFrames} video frames`);

  /** @type {(Awaited<ReturnType<typeof ingestRun>> & { rep: number })[][]} */
  const ingest = [];
  /** @type {(Awaited<ReturnType<typeof faninRun>> & { rep: number })[][]} */
  const fanin = [];
  for (let rep = 1; rep <= REPS; rep++) {
    /** @type {('intake' | 'nginx')[]} */
    const order = rep % 2 ? ['intake', 'nginx'] : ['nginx', 'intake'];
    if (ONLY.has('ingest')) {
      for (const cs of CHUNK_SIZES) {
        const pair = [];
        for (const name of order) {
          const r = await ingestRun(name, cs, ingestSrc);
          log(`bench: rep ${rep} ingest c${cs} ${name}: ${f(r.mbps, 0)} MB/s, ${f(r.cpu)} s CPU (${f(r.cpuPerGB)} s/GB), peak RSS ${f(r.rssMB, 1)} MB, capture ${pct(r.capture)}, pusher ${f(r.pusherCpu)} s CPU`);
          pair.push({ rep, ...r });
        }
        ingest.push(pair);
      }
    }
    if (ONLY.has('fanin')) {
      const pair = [];
      for (const name of order) {
        const r = await faninRun(name, faninSrc);
        log(`bench: rep ${rep} fan-in ${name}: ${f(r.cpuPct, 1)} % CPU over ${f(r.windowS, 1)} s, peak RSS ${f(r.rssMB, 1)} MB, capture min ${pct(r.captureMin)} (${r.recordings} recordings), pusher ${f(r.pusherCpuPct, 1)} %, max lag ${r.pusherMaxLagMs} ms`);
        pair.push({ rep, ...r });
      }
      fanin.push(pair);
    }
  }

  /** @type {any[]} */
  let inproc = [];
  if (ONLY.has('inproc')) {
    const files = [];
    for (const cs of CHUNK_SIZES) files.push(await capture(cs, ingestSrc));
    log('bench: in-process engine replay...');
    const child = new Child('inproc', process.execPath, [path.join(BENCH_DIR, 'inproc.js'), ...files, '--iterations', '5']);
    if ((await child.exited) !== 0) throw new Error(`inproc failed${child.tail()}`);
    inproc = child.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  }
  const minutes = (Date.now() - started) / 60000;
  const provEnd = provenance();
  const rebuilt = provEnd.distBuilt !== prov.distBuilt;
  if (rebuilt) log(`bench: note: dist/ was rebuilt during the run (${prov.distBuilt} -> ${provEnd.distBuilt}); the run measured its snapshot of the ${prov.distBuilt} build`);

  // ------------------------------------------------------------ report
  const md = [];
  md.push('# Intake vs nginx-rtmp: benchmark results');
  md.push('');
  md.push(`Produced by \`${command}\` on ${new Date(started).toISOString()} (${f(minutes, 1)} min). Generated by bench/run.js; rerun it rather than editing this file.`);
  md.push('');
  md.push('## Machine');
  md.push('');
  md.push(`- CPU: ${mach.cpu}, nproc ${mach.nproc}, ${mach.memGB} GB RAM, ${mach.kernel}`);
  md.push(`- node ${mach.node}; nginx ${mach.nginx}; ${mach.ffmpeg}`);
  md.push(`- /proc CPU times in ticks of 1/${mach.clkTck} s`);
  md.push(`- Intake: commit ${prov.commit}${prov.appChanges ? ` with ${prov.appChanges} uncommitted change(s) under app/` : ''}, dist/ built ${prov.distBuilt}, measured from a copy taken at the start of the run (bench/work/snapshot)${rebuilt ? `; dist/ was rebuilt during the run (${provEnd.distBuilt}), which did not affect it` : ''}`);
  md.push('');
  md.push('## Method');
  md.push('');
  md.push(
    [
      `- Receivers: Intake = \`bin/intake.js record --out bench/work/rec-intake --port 0\`, run as \`intake\` runs it, with the node flags of its shebang (${shebangFlags(path.join(ROOT, 'bin', 'intake.js')).join(' ') || 'none'}) (from the snapshot of bin/ + dist/); nginx-rtmp = nginx with master + 1 worker, \`record all\` to bench/work/rec-nginx (config in bench/work/nginx/nginx.conf). Both record every publish; each is started fresh for every measurement and stopped after it.`,
      `- CPU: utime + stime (+ cutime + cstime) summed over the receiver's process tree from /proc/PID/stat, sampled after the receiver is idle and again once the stream(s) have ended and the receiver is idle again (for fan-in: over the window only). Peak RSS: **sum** of VmHWM over the tree (Intake: 1 process; nginx: master + worker); MB here = 2^20 bytes.`,
      `- Publisher: always our own pusher (\`node bin/intake.js push FILE URL --chunk-size N\` for ingest; \`bench/fanin-pusher.js\`, one process with ${STREAMS} RtmpPublisher connections, for fan-in). Pusher CPU is its whole-process CPU (cutime of the bench across its exit).`,
      `- Ingest input: ${ingestSrc.file}, ${f(ingestSrc.bytes / 1e6, 1)} MB, ${f(ingestSrc.durationS, 1)} s of 1280x720 30 fps H.264 (libx264 ultrafast, 8 Mbit/s, GOP 60) + AAC 128k, ${f(ingestSrc.mbitPerS)} Mbit/s, ${ingestSrc.videoFrames} coded video frames; pushed as fast as the socket takes it. MB/s and CPU s/GB are per 10^6 / 10^9 bytes of FLV tag payload pushed (${ingestSrc.payloadBytes} bytes), MB/s over the pusher's own wall time of the push.`,
      `- Fan-in input: ${faninSrc.file}, ${f(faninSrc.bytes / 1e6, 1)} MB, ${f(faninSrc.durationS, 1)} s, ${f(faninSrc.mbitPerS)} Mbit/s, ${faninSrc.videoFrames} coded video frames. ${STREAMS} publishers connect, then each starts in real time, publisher i at +${FANIN_STAGGER_MS}·i ms; the CPU window runs from when all ${STREAMS} are sending to when the first one has sent its last tag (every stream live throughout). CPU % = CPU seconds / window seconds × 100 (100 % = one core).`,
      `- Capture: coded video frames (not sequence headers or end-of-sequence) in the recording, counted with readFlvFile, ÷ coded video frames in the input; fan-in: the minimum over the ${STREAMS} recordings (a missing recording counts as 0).`,
      `- Interleaving: each repetition runs both receivers back to back, Intake first in odd repetitions and nginx first in even ones. Ratios are intake ÷ nginx within a repetition; the medians below are medians of those per-repetition ratios.`,
    ].join('\n'),
  );

  const verdicts = [];
  if (ingest.length) {
    md.push('');
    md.push('## Ingest (one publisher, as fast as possible)');
    md.push('');
    md.push(
      table(
        ['rep', 'chunk', '<receiver', 'MB/s', 'CPU s', 'CPU s/GB', 'peak RSS MB', 'capture', 'pusher CPU s', 'push s'],
        ingest.flat().map((r) => [r.rep, r.chunkSize, r.receiver, f(r.mbps, 0), f(r.cpu), f(r.cpuPerGB), f(r.rssMB, 1), `${pct(r.capture)} (${r.frames}/${r.expected})`, f(r.pusherCpu), f(r.seconds)]),
      ),
    );
    md.push('');
    md.push('Ratios intake ÷ nginx per repetition, and their median:');
    md.push('');
    const rows = [];
    for (const cs of CHUNK_SIZES) {
      const pairs = ingest.filter((p) => p[0].chunkSize === cs).map((p) => ({ intake: /** @type {any} */ (p.find((x) => x.receiver === 'intake')), nginx: /** @type {any} */ (p.find((x) => x.receiver === 'nginx')) }));
      /** @param {string} k */
      const ratios = (k) => pairs.map((p) => p.intake[k] / p.nginx[k]);
      const target = cs === 4096 ? TARGETS.ingestCpu4096 : TARGETS.ingestCpu128;
      const cpuR = ratios('cpuPerGB');
      const mCpu = median(cpuR);
      rows.push([cs, 'CPU s/GB', ...cpuR.map((x) => f(x, 3)), `**${f(mCpu, 3)}**`, `≤ ${target}`, mCpu <= target ? 'PASS' : 'FAIL']);
      const mb = ratios('mbps');
      rows.push([cs, 'MB/s', ...mb.map((x) => f(x)), `**${f(median(mb))}**`, '', '']);
      const rs = ratios('rssMB');
      rows.push([cs, 'peak RSS', ...rs.map((x) => f(x)), `**${f(median(rs))}**`, '', '']);
      verdicts.push(`ingest CPU/GB at chunk ${cs}: median ratio ${f(mCpu, 3)} (target ≤ ${target}): ${mCpu <= target ? 'PASS' : 'FAIL'}`);
    }
    md.push(table(['chunk', '<metric', ...Array.from({ length: REPS }, (_, i) => `rep ${i + 1}`), 'median', 'target', '<verdict'], rows));
    md.push('');
    md.push('Medians of the raw numbers:');
    md.push('');
    const mrows = [];
    for (const cs of CHUNK_SIZES) {
      for (const name of ['intake', 'nginx']) {
        const rs = ingest.flat().filter((r) => r.chunkSize === cs && r.receiver === name);
        mrows.push([cs, name, f(median(rs.map((r) => r.mbps)), 0), f(median(rs.map((r) => r.cpuPerGB))), f(median(rs.map((r) => r.rssMB)), 1), pct(Math.min(...rs.map((r) => r.capture))), f(median(rs.map((r) => r.pusherCpu)))]);
      }
    }
    md.push(table(['chunk', '<receiver', 'MB/s', 'CPU s/GB', 'peak RSS MB', 'capture (min)', 'pusher CPU s'], mrows));
  }
  if (fanin.length) {
    md.push('');
    md.push(`## Fan-in (${STREAMS} real-time publishers, one pusher process)`);
    md.push('');
    md.push(
      table(
        ['rep', '<receiver', 'window s', 'CPU %', 'CPU s (whole session)', 'peak RSS MB', 'recordings', 'capture min', 'pusher CPU %', 'pusher CPU s (total)', 'pusher max lag ms'],
        fanin.flat().map((r) => [r.rep, r.receiver, f(r.windowS, 1), f(r.cpuPct, 1), f(r.cpuAll), f(r.rssMB, 1), r.recordings, pct(r.captureMin), f(r.pusherCpuPct, 1), f(r.pusherCpu), f(r.pusherMaxLagMs, 1)]),
      ),
    );
    const pairs = fanin.map((p) => ({ intake: /** @type {any} */ (p.find((x) => x.receiver === 'intake')), nginx: /** @type {any} */ (p.find((x) => x.receiver === 'nginx')) }));
    const cpuR = pairs.map((p) => p.intake.cpuPct / p.nginx.cpuPct);
    const rssR = pairs.map((p) => p.intake.rssMB / p.nginx.rssMB);
    const mCpu = median(cpuR);
    const intakeRss = median(pairs.map((p) => p.intake.rssMB));
    const maxIntakeRss = Math.max(...pairs.map((p) => p.intake.rssMB));
    md.push('');
    md.push(
      table(
        ['<metric', ...Array.from({ length: REPS }, (_, i) => `rep ${i + 1}`), 'median', 'target', '<verdict'],
        [
          ['CPU % ratio intake ÷ nginx', ...cpuR.map((x) => f(x, 3)), `**${f(mCpu, 3)}**`, `≤ ${TARGETS.faninCpu}`, mCpu <= TARGETS.faninCpu ? 'PASS' : 'FAIL'],
          ['peak RSS ratio intake ÷ nginx', ...rssR.map((x) => f(x)), `**${f(median(rssR))}**`, '', ''],
          ['Intake peak RSS MB', ...pairs.map((p) => f(p.intake.rssMB, 1)), `**${f(intakeRss, 1)}**`, `< ${TARGETS.faninRssMB} (every rep)`, maxIntakeRss < TARGETS.faninRssMB ? 'PASS' : 'FAIL'],
          ['nginx peak RSS MB', ...pairs.map((p) => f(p.nginx.rssMB, 1)), `**${f(median(pairs.map((p) => p.nginx.rssMB)), 1)}**`, '', ''],
          ['Intake CPU %', ...pairs.map((p) => f(p.intake.cpuPct, 1)), `**${f(median(pairs.map((p) => p.intake.cpuPct)), 1)}**`, '', ''],
          ['nginx CPU %', ...pairs.map((p) => f(p.nginx.cpuPct, 1)), `**${f(median(pairs.map((p) => p.nginx.cpuPct)), 1)}**`, '', ''],
        ],
      ),
    );
    verdicts.push(`fan-in CPU: median ratio ${f(mCpu, 3)} (target ≤ ${TARGETS.faninCpu}): ${mCpu <= TARGETS.faninCpu ? 'PASS' : 'FAIL'}`);
    verdicts.push(`fan-in Intake peak RSS: max ${f(maxIntakeRss, 1)} MB over the repetitions (target < ${TARGETS.faninRssMB}): ${maxIntakeRss < TARGETS.faninRssMB ? 'PASS' : 'FAIL'}`);
  }
  const intakeCaptures = [...ingest.flat().filter((r) => r.receiver === 'intake').map((r) => r.capture), ...fanin.flat().filter((r) => r.receiver === 'intake').map((r) => r.captureMin)];
  const nginxCaptures = [...ingest.flat().filter((r) => r.receiver === 'nginx').map((r) => r.capture), ...fanin.flat().filter((r) => r.receiver === 'nginx').map((r) => r.captureMin)];
  if (intakeCaptures.length) {
    const ok = intakeCaptures.every((c) => c === 1);
    verdicts.push(`capture 100% in every Intake run (${intakeCaptures.length} runs, lowest ${pct(Math.min(...intakeCaptures))}): ${ok ? 'PASS' : 'FAIL'}; nginx lowest ${pct(Math.min(...nginxCaptures))}`);
  }
  if (inproc.length) {
    md.push('');
    md.push('## Engine in-process, no sockets (replay of a captured publish session)');
    md.push('');
    md.push(
      'Client→server bytes of one `intake push` of the ingest file, captured by a TCP proxy in front of Intake and replayed in the read sizes the proxy saw. MB/s = 10^6 wire bytes per second of wall time; median of 5 timed passes after one warm-up (3 passes for +record). *decoder*: `ChunkDecoder` alone on the bytes after C0/C1/C2; *pipeline*: `Engine` → `Connection` (handshake, decoder, acks) → `Session` → `LiveStream` through a fake socket, no recording; *+record*: the same with the `FlvRecorder` writing to bench/work, timed until the file is finalised.',
    );
    md.push('');
    md.push(
      table(
        ['chunk', 'capture MB', 'reads (mean KB)', 'decoder MB/s', 'pipeline MB/s', '+record MB/s', 'video frames (decoder / pipeline / record / expected)', '<decoder passes MB/s'],
        inproc.map((r) => [
          r.chunkSize,
          f(r.bytes / 1e6, 1),
          `${r.reads} (${f(r.bytes / r.reads / 1024, 1)})`,
          f(r.decoder.medianMBps, 0),
          f(r.pipeline.medianMBps, 0),
          f(r.record.medianMBps, 0),
          `${r.decoder.videoFrames} / ${r.pipeline.videoFrames} / ${r.record.videoFrames} / ${r.expectedVideo}`,
          r.decoder.mbps.map((/** @type {number} */ x) => f(x, 0)).join(', '),
        ]),
      ),
    );
  }
  md.push('');
  md.push('## Targets');
  md.push('');
  for (const v of verdicts) md.push(`- ${v}`);
  md.push('');
  const text = md.join('\n');
  console.log(text);
  if (WRITE_RESULTS) {
    fs.writeFileSync(path.join(BENCH_DIR, 'RESULTS.md'), text);
    log('bench: wrote bench/RESULTS.md');
  }
}

try {
  await main();
  await killAll();
} catch (err) {
  console.error(`bench: ${/** @type {Error} */ (err).stack ?? err}`);
  await killAll();
  process.exitCode = 1;
}
// Make sure nothing keeps the process alive (child pipes, timers).
await sleep(10);
