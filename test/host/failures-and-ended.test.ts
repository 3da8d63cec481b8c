import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RtmpPublisher } from '../../app/client/publisher.js';
import { ENDED_STREAMS_CAP } from '../../app/contract/ui.js';
import { IntakeService } from '../../app/host/service.js';
import { ffmpegPublish, tempDir } from '../e2e/publish-helpers.js';
import { need } from '../support/tools.js';

/**
 * #8, "failures are silent": a refused publish, a publisher killed
 * mid-stream and a connection that closed abnormally each reach the log
 * with their reason, and the ended streams survive into the snapshot (a
 * reload), with what they had and how they ended. Real ffmpeg publishers
 * against the real service.
 */
const services: IntakeService[] = [];
const procs: ChildProcess[] = [];
const dirs: (() => void)[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  await Promise.all(services.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) d();
});

async function started(): Promise<{ s: IntakeService; url: (key: string) => string }> {
  const tmp = tempDir('fail');
  dirs.push(tmp.remove);
  const s = new IntakeService({ settings: { host: '127.0.0.1', port: 0, recordDir: tmp.dir, autoRecord: false }, host: { transport: 'websocket', version: 'test', canOpenFolder: false } });
  services.push(s);
  await s.start();
  return { s, url: (key) => `rtmp://127.0.0.1:${s.status.port}/live/${key}` };
}

/** ffmpeg publishing a test pattern in real time until killed. */
function endlessFfmpeg(url: string): ChildProcess {
  const p = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-re', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=30', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '30', '-f', 'flv', url], { stdio: 'ignore' });
  procs.push(p);
  return p;
}

async function until(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const warnings = (s: IntakeService): string[] => s.snapshot().logs.filter((l) => l.level === 'warn' || l.level === 'error').map((l) => l.message);

describe.skipIf(!need('ffmpeg'))('failures are logged, and ended streams are kept (real ffmpeg)', () => {
  it('a duplicate key is refused with BadName and logged; the live stream keeps going', async () => {
    const { s, url } = await started();
    endlessFfmpeg(url('dup'));
    await until(() => s.snapshot().streams.length === 1, 'the first publisher');
    const second = await ffmpegPublish(url('dup'), 30);
    expect(second.code).not.toBe(0);
    expect(warnings(s)).toContainEqual('publish of "live/dup" refused: NetStream.Publish.BadName: live/dup is already being published');
    expect(s.snapshot().streams.map((x) => x.path)).toEqual(['live/dup']);
  });

  it('a publisher killed mid-stream: a warning with the reason, and the stream kept as ended, with its encoder, stats and close, in the snapshot', async () => {
    const { s, url } = await started();
    const ff = endlessFfmpeg(url('killed'));
    await until(() => (s.snapshot().stats[0]?.video.received ?? 0) > 30, 'a second of video');
    ff.kill('SIGKILL');
    await until(() => s.snapshot().ended.length === 1 && s.snapshot().ended[0].closed !== undefined, 'the end and the close');
    expect(warnings(s).find((w) => w.includes("live/killed: the publisher's connection dropped mid-stream"))).toMatch(/without FCUnpublish or deleteStream \((client closed the connection|connection reset by the client)/);
    const [e] = s.snapshot().ended;
    expect(e.info).toMatchObject({ path: 'live/killed', encoder: expect.stringMatching(/^Lavf/) });
    expect(e.stats?.video).toMatchObject({ codec: expect.stringMatching(/^avc1\./), width: 320, height: 240 });
    expect(e.stats!.video.received).toBeGreaterThan(30);
    expect(e.reason).not.toBe('FCUnpublish');
    expect(e.closed?.by).toBe('client');
  });

  it('a clean stop is no warning, and says which command ended it', async () => {
    const { s, url } = await started();
    const pub = await ffmpegPublish(url('clean'), 30);
    expect(pub.code).toBe(0);
    await until(() => s.snapshot().ended.length === 1 && s.snapshot().ended[0].closed !== undefined, 'the end and the close');
    expect(['FCUnpublish', 'deleteStream']).toContain(s.snapshot().ended[0].reason);
    expect(warnings(s)).toEqual([]);
  });

  it('a connection reset mid-handshake is logged as an abnormal close with its reason', async () => {
    const { s } = await started();
    const sock = net.connect(s.status.port, '127.0.0.1');
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.write(Buffer.alloc(700, 3)); // C0 and part of C1
    await until(() => s.snapshot().connections[0]?.steps.some((x) => x.id === 'handshake') ?? false, 'the accept');
    await new Promise((r) => setTimeout(r, 100));
    sock.resetAndDestroy();
    await until(() => warnings(s).some((w) => w.startsWith('connection closed abnormally')), 'the warning');
    expect(warnings(s).find((w) => w.startsWith('connection closed abnormally'))).toMatch(/connection reset by the client|bytes of an incomplete/);
  });
});

describe('the ended streams of the snapshot are bounded', () => {
  it(`keeps the last ${ENDED_STREAMS_CAP}, oldest first, and a key live again leaves the list`, async () => {
    const { s, url } = await started();
    for (let i = 1; i <= ENDED_STREAMS_CAP + 5; i++) {
      const pub = await RtmpPublisher.publish(url(`k${i}`));
      await pub.unpublish(`k${i}`);
    }
    await until(() => s.snapshot().ended.some((e) => e.info.path === `live/k${ENDED_STREAMS_CAP + 5}`), 'the last end');
    const ended = s.snapshot().ended.map((e) => e.info.path);
    expect(ended).toHaveLength(ENDED_STREAMS_CAP);
    expect(ended[0]).toBe('live/k6');
    expect(ended[ended.length - 1]).toBe(`live/k${ENDED_STREAMS_CAP + 5}`);
    const again = await RtmpPublisher.publish(url('k6'));
    await until(() => s.snapshot().streams.length === 1, 'k6 live again');
    expect(s.snapshot().ended.map((e) => e.info.path)).not.toContain('live/k6');
    await again.close();
  });
});
