import fs from 'node:fs';
import net from 'node:net';
import type { TimelineEntry } from '../../app/contract/engine.js';
import type { TimelinePage, UiBatch, UiEventName, UiEvents } from '../../app/contract/ui.js';
import { IntakeService } from '../../app/host/service.js';
import { tempDir } from '../e2e/publish-helpers.js';

/** A real ffmpeg publish session (client-to-server bytes), replayed over TCP by the tests. */
export const SESSION = fs.readFileSync(new URL('../fixtures/sessions/ffmpeg-h264-aac.bin', import.meta.url));

/**
 * An IntakeService whose timeline keeps no chunk in memory (every range comes
 * from the spill file), fed SESSION over TCP in `parts` writes `gapMs` apart
 * (so the clock moves within the session); resolves once the connection has
 * closed, with the messages its UI received. `cleanups` gets what stops it.
 */
export async function publishFixture(cleanups: (() => Promise<void> | void)[], opts: { parts?: number; gapMs?: number } = {}): Promise<{ s: IntakeService; messages: TimelineEntry[]; connectionId: number }> {
  const tmp = tempDir('svc-tl');
  const s = new IntakeService({
    settings: { host: '127.0.0.1', port: 0, recordDir: tmp.dir, autoRecord: false },
    host: { transport: 'websocket', version: 'test', canOpenFolder: false },
    timelineStore: { memoryChunks: 0 },
  });
  cleanups.push(tmp.remove, () => s.close());
  const { port } = await s.start();
  const batches: UiBatch[] = [];
  const client = s.attach({ event: <K extends UiEventName>(name: K, p: UiEvents[K]) => void (name === 'batch' && batches.push(p as UiBatch)) });
  const closed = new Promise<void>((resolve) => s.currentEngine!.on('connection-close', () => resolve()));
  const sock = net.connect(port, '127.0.0.1');
  sock.on('data', () => {});
  await new Promise((r) => sock.once('connect', r));
  const parts = opts.parts ?? 1;
  for (let i = 0; i < parts; i++) {
    sock.write(SESSION.subarray(Math.floor((i * SESSION.length) / parts), Math.floor(((i + 1) * SESSION.length) / parts)));
    if (i < parts - 1) await new Promise((r) => setTimeout(r, opts.gapMs ?? 0));
  }
  sock.end();
  await closed;
  // The batches trail the store by a flush or two, longer on a loaded machine:
  // wait until they carry every message the host counted, not a fixed time.
  const messages = (): TimelineEntry[] => batches.flatMap((b) => b.messages);
  for (const deadline = Date.now() + 10_000; ; ) {
    const got = messages();
    if (got.length) {
      const page = (await client.handle('timeline', { connectionId: got[0].connectionId, from: 0, count: 1 })) as TimelinePage;
      if (got.length >= page.total) break;
    }
    if (Date.now() > deadline) throw new Error(`the UI batches carried ${got.length} messages 10 s after the connection closed, fewer than the host counted`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const all = messages();
  return { s, messages: all, connectionId: all[0].connectionId };
}
