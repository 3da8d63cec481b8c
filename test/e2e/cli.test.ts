import fs from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { decodeAmf0All } from '../../app/amf/amf0.js';
import { checkFlags, parseArgs } from '../../app/cli/args.js';
import { readFlvFile } from '../../app/flv/flv-reader.js';
import { INTAKE_BIN, probeFrames, run, startIntake } from '../support/cli.js';
import { need } from '../support/tools.js';
import { ffmpegPublish, tempDir } from './publish-helpers.js';

const intake = (...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> => run(process.execPath, [INTAKE_BIN, ...args], 20_000);

describe('intake CLI arguments', () => {
  it('parses options before and after the command, inline values and flags', () => {
    const a = parseArgs(['--json', 'record', '--out=/tmp/x', '--port', '0', 'extra']);
    expect(a.command).toBe('record');
    expect(a.positional).toEqual(['extra']);
    expect(Object.fromEntries(a.flags)).toEqual({ json: true, out: '/tmp/x', port: '0' });
    expect(() => checkFlags(a, 'record')).not.toThrow();
    expect(() => checkFlags(a, 'push')).toThrow("unknown option --json for 'push'");
    expect(parseArgs(['record', '--port', '-1']).flags.get('port')).toBe('-1');
    expect(() => parseArgs(['record', '--out', '--port', '0'])).toThrow('--out needs a value');
    expect(() => parseArgs(['push', 'a.flv', '--chunk-size'])).toThrow('--chunk-size needs a value');
  });

  it('bad arguments give one clear line and a non-zero exit', async () => {
    for (const [args, re] of [
      [['record'], /record needs --out DIR/],
      [['record', '--out', '/tmp/x', '--port', 'abc'], /--port must be a port number/],
      [['record', '--out', '/tmp/x', '--port', '70000'], /--port must be a port number/],
      [['record', '--out', '/tmp/x', '--bogus', '1'], /unknown option --bogus/],
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['record', '--out'], /--out needs a value/],
    ] as const) {
      const r = await intake(...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).not.toBe(0);
      expect(r.stderr).toMatch(re);
      expect(r.stderr.trim().split('\n')[0]).toMatch(/^intake: /);
    }
  });

  it('a port in use is one clear line and exit 2', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    const tmp = tempDir('busy');
    try {
      const r = await intake('record', '--out', tmp.dir, '--port', String(port));
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(`intake: cannot listen on rtmp://127.0.0.1:${port}: port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
      tmp.remove();
    }
  });

  it('an unwritable folder is one clear line and exit 2', async () => {
    const tmp = tempDir('ro');
    const file = `${tmp.dir}/not-a-dir`;
    fs.writeFileSync(file, 'x');
    try {
      const r = await intake('record', '--out', `${file}/sub`, '--port', '0');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^intake: cannot write recordings to .*not-a-dir\/sub: (ENOTDIR|EEXIST)/);
    } finally {
      tmp.remove();
    }
  });

  it('listening beyond loopback is said, with the addresses to publish to', async () => {
    const { startIntake } = await import('../support/cli.js');
    const wide = await startIntake(['inspect', '--host', '0.0.0.0']);
    try {
      await wide.waitFor(/^publish to rtmp:\/\/127\.0\.0\.1:\d+\/live\/<key>$/);
      expect(wide.output()).toMatch(/^warning: listening on 0\.0\.0\.0, beyond this machine: anyone who can reach it can publish$/m);
    } finally {
      expect(await wide.stop()).toBe(0);
    }
    expect(wide.output()).toMatch(/^SIGINT: stopping$/m);
  });

  it('help', async () => {
    const r = await intake('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/record --out DIR/);
  });
});

describe.skipIf(!need('ffmpeg', 'ffprobe'))('intake record and inspect with ffmpeg', () => {
  it('SIGTERM mid-stream finalises the recording (duration and filesize in its metadata) and exits 0', async () => {
    const tmp = tempDir('sigterm');
    const rec = await startIntake(['record', '--out', tmp.dir, '--format', 'flv']);
    try {
      const pub = ffmpegPublish(`rtmp://127.0.0.1:${rec.port}/live/term`, 300, { realtime: true });
      await rec.waitFor(/^stats live\/term .* video \S+ \S+ [1-9]\d+\//);
      expect(await rec.stop('SIGTERM')).toBe(0);
      await pub;
      const file = fs.readdirSync(tmp.dir).find((f) => f.startsWith('live_term_'))!;
      expect(file).toMatch(/^live_term_\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d\.flv$/);
      const path = `${tmp.dir}/${file}`;
      const probe = await probeFrames(path);
      expect(probe.errors).toBe('');
      const { tags } = readFlvFile(fs.readFileSync(path));
      const [name, meta] = decodeAmf0All(tags[0].body) as [string, Record<string, number>];
      expect(name).toBe('onMetaData');
      expect(meta.filesize).toBe(fs.statSync(path).size);
      const lastTs = tags[tags.length - 1].timestamp;
      expect(meta.duration).toBe(lastTs / 1000);
      expect(meta.duration).toBeGreaterThan(0.5);
      expect(meta.width).toBe(320);
    } finally {
      await rec.stop('SIGKILL');
      tmp.remove();
    }
  });

  it('SIGKILL leaves a recording readable up to its last complete tag', async () => {
    const tmp = tempDir('sigkill');
    const rec = await startIntake(['record', '--out', tmp.dir, '--format', 'flv']);
    try {
      const pub = ffmpegPublish(`rtmp://127.0.0.1:${rec.port}/live/kill`, 300, { realtime: true });
      await rec.waitFor(/^stats live\/kill .*rec [1-9][\d.]* kB/);
      await new Promise((r) => setTimeout(r, 700));
      expect(await rec.stop('SIGKILL')).toBe(null);
      await pub;
      const file = fs.readdirSync(tmp.dir).find((f) => f.startsWith('live_kill_'))!;
      const bytes = fs.readFileSync(`${tmp.dir}/${file}`);
      const { tags, truncatedTail } = readFlvFile(bytes);
      expect(truncatedTail).toBe(0);
      const video = tags.filter((t) => t.type === 9).length;
      expect(video).toBeGreaterThan(10);
      const probe = await probeFrames(`${tmp.dir}/${file}`);
      expect(probe.errors).toBe('');
      expect(probe.video).toBe(video - 1); // the AVC sequence header is a tag, not a packet
    } finally {
      tmp.remove();
    }
  });

  it('record --json prints steps, stats and the finished recording as JSON lines', async () => {
    const tmp = tempDir('json');
    const rec = await startIntake(['record', '--out', tmp.dir, '--json', '--format', 'flv']);
    try {
      const out = await ffmpegPublish(`rtmp://127.0.0.1:${rec.port}/live/js`, 60);
      expect(out.code, out.log).toBe(0);
      await rec.waitFor(/"event":"recording".*"state":"finished"/);
      const lines = rec.output().split('\n');
      expect(lines[0]).toMatch(/^listening rtmp:\/\/127\.0\.0\.1:\d+$/);
      const events = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      const last = events.filter((e) => e.event === 'stream-stats').pop() as { video: { received: number; expected: number } };
      expect([last.video.received, last.video.expected]).toEqual([out.sent, out.sent]);
      const done = events.find((e) => e.event === 'recording' && e.state === 'finished') as { videoFrames: number; file: string };
      expect(done.videoFrames).toBe(out.sent);
      expect(fs.existsSync(done.file)).toBe(true);
    } finally {
      await rec.stop();
      tmp.remove();
    }
  });

  it('inspect --json prints the timeline: every command in order, both directions', async () => {
    const ins = await startIntake(['inspect', '--json']);
    try {
      const out = await ffmpegPublish(`rtmp://127.0.0.1:${ins.port}/live/look`, 30);
      expect(out.code, out.log).toBe(0);
      await ins.waitFor(/"event":"connection-close"/);
      const events = ins
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { event: string; direction?: string; command?: { name: string }; typeName?: string });
      const commands = events.filter((e) => e.event === 'message' && e.command).map((e) => `${e.direction} ${e.command!.name}`);
      expect(commands).toEqual([
        'in connect',
        'out _result',
        'in releaseStream',
        'out _result',
        'in FCPublish',
        'out onFCPublish',
        'in createStream',
        'out _result',
        'in publish',
        'out onStatus',
        'in @setDataFrame',
        'in FCUnpublish',
        'out onFCUnpublish',
        'in deleteStream',
      ]);
      const video = events.filter((e) => e.event === 'message' && e.typeName === 'Video').length;
      expect(video).toBe(32); // 30 frames, the sequence header and ffmpeg's end-of-sequence
    } finally {
      await ins.stop();
    }
  });
});
