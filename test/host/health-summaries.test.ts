/**
 * The health summary rides only on the stats of a stream some window
 * follows (Engine.healthSummaries, set by the service), while the checks run
 * for every stream: a real ffmpeg publish at 22050 Hz raises its finding
 * whether or not anyone reads the summary, and the summary appears, with
 * that finding, once a window follows the stream.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamStats } from '../../app/contract/engine.js';
import type { UiBatch, UiEventName, UiEvents } from '../../app/contract/ui.js';
import { IntakeService } from '../../app/host/service.js';
import { ffmpegPublish, tempDir } from '../health/publishers.js';
import { need } from '../support/tools.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until<T>(what: string, get: () => T | undefined, ms = 20_000): Promise<T> {
  for (const end = Date.now() + ms; ; ) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!need('ffmpeg'))('health summaries for followed streams only', () => {
  it('leaves the summary out while no window follows the stream, keeps checking, and sends it once one does', async () => {
    const s = new IntakeService({
      settings: { host: '127.0.0.1', port: 0, recordDir: tempDir(), autoRecord: false },
      host: { transport: 'websocket', version: 'test', canOpenFolder: false },
    });
    cleanups.push(() => s.close());
    const { port } = await s.start();
    const batches: UiBatch[] = [];
    const client = s.attach({ event: <K extends UiEventName>(name: K, p: UiEvents[K]) => void (name === 'batch' && batches.push(p as UiBatch)) });
    await client.handle('follow', { connectionIds: [] });
    const engine = s.currentEngine!;
    const emitted: StreamStats[] = [];
    engine.on('stream-stats', (st) => emitted.push(st));

    const publishing = ffmpegPublish(`rtmp://127.0.0.1:${port}/live/sum`, { seconds: 8, audio: ['-ar', '22050'] });
    cleanups.push(() => publishing);
    // Not followed: stats without a summary, and the check still fires.
    const finding = await until('the sample-rate finding', () => engine.findings('live/sum', 'generic').find((f) => f.id === 'audio-sample-rate'));
    expect(finding.measured).toBe('22050 Hz');
    const before = emitted.filter((st) => st.path === 'live/sum');
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((st) => st.health === undefined)).toBe(true);

    // Followed: the next stats carry the summary, with the same finding, to the window too.
    const id = before[0].connectionId;
    await client.handle('follow', { connectionIds: [id] });
    const withHealth = await until('stats with a summary', () => emitted.find((st) => st.path === 'live/sum' && st.health));
    expect(withHealth.health!.findings.generic.map((f) => f.id)).toContain('audio-sample-rate');
    expect(withHealth.health!.encoder.sampleRate).toBe(22050);
    const sent = await until('a batch with the summary', () => batches.flatMap((b) => b.stats).find((st) => st.path === 'live/sum' && st.health));
    expect(sent.health!.findings.generic.find((f) => f.id === 'audio-sample-rate')!.count).toBeGreaterThanOrEqual(finding.count);
    await publishing;
  }, 60_000);
});
