import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerStatus } from '../../app/contract/ui.js';
import { IntakeService } from '../../app/host/service.js';
import { ffmpegPublish, tempDir } from '../e2e/publish-helpers.js';
import { need } from '../support/tools.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function started() {
  const tmp = tempDir('move');
  cleanups.push(tmp.remove);
  const service = new IntakeService({
    settings: { host: '127.0.0.1', port: await freePort(), recordDir: tmp.dir, autoRecord: false },
    host: { transport: 'websocket', version: 'test', canOpenFolder: false },
  });
  cleanups.push(() => service.close());
  await service.start();
  expect(service.status.state).toBe('listening');
  const statuses: ServerStatus[] = [];
  const client = service.attach({ event: (name, p) => void (name === 'status' && statuses.push(p as ServerStatus)) });
  return { service, client, statuses, portA: service.status.port };
}

describe.skipIf(!need('ffmpeg'))('a new RTMP port while a stream is live', () => {
  it('opens the new port first and keeps the live stream on the old one until it ends', async () => {
    const { service, client, statuses, portA } = await started();
    const ends: string[] = [];
    let received = 0;
    service.currentEngine!.on('stream-end', (e) => ends.push(e.reason));
    service.currentEngine!.on('stream-stats', (s) => void (s.path === 'live/across' && (received = s.video.received)));
    // 5 s in real time: it is live across the change and must finish as ffmpeg meant to.
    const running = ffmpegPublish(`rtmp://127.0.0.1:${portA}/live/across`, 150, { realtime: true });
    await expect.poll(() => service.snapshot().streams.map((s) => s.path), { timeout: 10_000 }).toContain('live/across');

    const portB = await freePort();
    const res = (await client.handle('set-settings', { port: portB })) as { status: ServerStatus };
    expect(res.status).toMatchObject({ state: 'listening', port: portB, draining: { host: '127.0.0.1', port: portA, liveStreams: 1 } });
    expect(service.snapshot().logs.map((l) => l.message)).toContain(`1 live stream stays on port ${portA} until it ends; new publishers use port ${portB}`);

    // New publishers use the new port; the old one takes no newcomer.
    const second = await ffmpegPublish(`rtmp://127.0.0.1:${portB}/live/new`, 30);
    expect(second.code, second.log).toBe(0);
    const refused = await ffmpegPublish(`rtmp://127.0.0.1:${portA}/live/late`, 30);
    expect(refused.code).not.toBe(0);

    const first = await running;
    expect(first.code, first.log).toBe(0);
    expect(first.sent).toBe(150);
    expect(ends.some((r) => /shutting down/.test(r))).toBe(false);
    // Every frame ffmpeg sent arrived, on the old port, across the change.
    await expect.poll(() => received, { timeout: 5000 }).toBe(150);
    await expect.poll(() => service.status.draining, { timeout: 5000 }).toBeUndefined();
    expect(statuses.at(-1)).toMatchObject({ state: 'listening', port: portB });
    expect(statuses.at(-1)!.draining).toBeUndefined();
  });

  it('a port that is taken keeps the old one, says why, and keeps receiving there', async () => {
    const { service, client, portA } = await started();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    cleanups.push(() => void blocker.close());
    const taken = (blocker.address() as net.AddressInfo).port;
    const err = await client.handle('set-settings', { port: taken }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'config',
      message: `cannot listen on rtmp://127.0.0.1:${taken}: port ${taken} on 127.0.0.1 is already in use; still listening on rtmp://127.0.0.1:${portA}`,
    });
    expect(service.status).toMatchObject({ state: 'listening', port: portA });
    expect(service.settings.port).toBe(portA);
    const pub = await ffmpegPublish(`rtmp://127.0.0.1:${portA}/live/still`, 30);
    expect(pub.code, pub.log).toBe(0);
  });
});
