import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { UiBatch, UiEventName, UiEvents } from '../../app/contract/ui.js';
import { FlvReader } from '../../app/flv/flv-reader.js';
import { IntakeService } from '../../app/host/service.js';
import { ffmpegPublish, tempDir } from '../e2e/publish-helpers.js';
import { need } from '../support/tools.js';

/** A UI that records everything the service sends it, with arrival times. */
function recordingSink() {
  const events: { name: UiEventName; payload: unknown; at: number }[] = [];
  return {
    events,
    sink: { event: <K extends UiEventName>(name: K, payload: UiEvents[K]) => void events.push({ name, payload, at: Date.now() }) },
    batches: () => events.filter((e) => e.name === 'batch').map((e) => e.payload as UiBatch),
    of: <K extends UiEventName>(name: K) => events.filter((e) => e.name === name).map((e) => e.payload as UiEvents[K]),
  };
}

const services: IntakeService[] = [];
const dirs: (() => void)[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) d();
});

function newService(extra: Partial<ConstructorParameters<typeof IntakeService>[0]> = {}) {
  const tmp = tempDir('svc');
  dirs.push(tmp.remove);
  const s = new IntakeService({
    settings: { host: '127.0.0.1', port: 0, recordDir: tmp.dir, autoRecord: false },
    host: { transport: 'websocket', version: 'test', canOpenFolder: false },
    ...extra,
  });
  services.push(s);
  return { s, dir: tmp.dir };
}

describe('IntakeService: settings and the listener', () => {
  it('reports a taken port as an error status, not a rejection, and recovers on another port', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const persisted: unknown[] = [];
      const { s } = newService({ persist: (x) => persisted.push(x) });
      await s.updateSettings({ port: taken });
      expect(s.status.state).toBe('error');
      expect(s.status.error?.code).toBe('config');
      expect(s.status.error?.message).toMatch(new RegExp(`port ${taken} .*already in use`));
      const ui = recordingSink();
      const client = s.attach(ui.sink);
      const res = (await client.handle('set-settings', { port: 0 })) as { status: { state: string; port: number } };
      expect(res.status.state).toBe('listening');
      expect(res.status.port).toBeGreaterThan(0);
      expect(ui.of('status').map((x) => x.state)).toEqual(['stopped', 'starting', 'listening']);
      expect(ui.of('settings')).toHaveLength(1);
      expect(persisted).toHaveLength(2);
    } finally {
      blocker.close();
    }
  });

  it('refuses bad settings and unknown requests with a code', async () => {
    const { s } = newService();
    await s.start();
    const client = s.attach(recordingSink().sink);
    await expect(client.handle('set-settings', { port: 70000 })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(client.handle('set-settings', { colour: 'red' })).rejects.toMatchObject({ code: 'bad-request', message: "unknown setting 'colour'" });
    await expect(client.handle('rm -rf', {})).rejects.toMatchObject({ code: 'bad-request' });
    await expect(client.handle('preview', { path: 'live/none' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(client.handle('open-folder', {})).rejects.toMatchObject({ code: 'unsupported' });
    await expect(client.handle('open-external', { url: 'file:///etc/passwd' })).rejects.toMatchObject({ code: 'bad-request' });
  });
});

describe.skipIf(!need('ffmpeg'))('IntakeService with ffmpeg publishing', () => {
  it('batches events at most ~10 times a second, keeps the steps and timeline, and feeds a preview', async () => {
    const { s } = newService();
    const status = await s.start();
    const ui = recordingSink();
    const client = s.attach(ui.sink);
    const url = `rtmp://127.0.0.1:${status.port}/live/svc`;
    const publishing = ffmpegPublish(url, 90, { realtime: true });

    // Preview as soon as the stream exists.
    let previewId: number | null = null;
    for (let i = 0; i < 100 && previewId === null; i++) {
      await new Promise((r) => setTimeout(r, 50));
      if (s.snapshot().streams.some((x) => x.path === 'live/svc')) previewId = ((await client.handle('preview', { path: 'live/svc' })) as { previewId: number }).previewId;
    }
    expect(previewId).not.toBeNull();
    const out = await publishing;
    expect(out.code).toBe(0);
    await new Promise((r) => setTimeout(r, 300));

    // Batching: over the ~3 s of real-time publishing, never two batches closer than the interval.
    const times = ui.events.filter((e) => e.name === 'batch').map((e) => e.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(95);
    const messages = ui.batches().flatMap((b) => b.messages);
    expect(messages.length).toBeGreaterThan(200);
    expect(ui.batches().length).toBeLessThan(messages.length / 5);

    // Every inbound command, in ffmpeg's order, and the steps answered.
    const cmds = messages.filter((m) => m.direction === 'in' && m.kind === 'command').map((m) => m.command?.name);
    expect(cmds.slice(0, 5)).toEqual(['connect', 'releaseStream', 'FCPublish', 'createStream', 'publish']);
    const steps = s.snapshot().connections[0].steps;
    for (const id of ['tcp-accept', 'handshake', 'connect', 'create-stream', 'publish']) {
      expect(steps.find((x) => x.id === id)?.state, id).toMatch(/received|answered/);
    }
    expect(steps.find((x) => x.id === 'publish')?.state).toBe('answered');

    // Media: batched FLV bytes (far fewer sends than tags) that parse as one FLV stream ending where ffmpeg ended.
    const media = ui.of('media');
    expect(media.every((m) => m.previewId === previewId)).toBe(true);
    const reader = new FlvReader();
    const tags: { type: number }[] = [];
    for (const m of media) for (const t of reader.push(Buffer.from(m.data))) tags.push(t);
    const videoTags = tags.filter((t) => t.type === 9).length;
    expect(videoTags).toBeGreaterThan(60);
    expect(media.length).toBeLessThan(tags.length / 2);
    expect(ui.of('preview-end')).toEqual([{ previewId, reason: expect.any(String) }]);
    client.detach();
  });
});
