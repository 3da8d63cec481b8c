import { spawn } from 'node:child_process';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { artefact, launchChromium } from '../support/browser.js';
import { INTAKE_BIN } from '../support/cli.js';
import { need } from '../support/tools.js';
import { ffmpegPublish, tempDir } from './publish-helpers.js';

function listenFree(): Promise<net.Server> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}
const portOf = (s: net.Server): number => (s.address() as net.AddressInfo).port;

/**
 * The RTMP port is taken when Intake starts: the window must say so and let
 * the user pick another port, and then work on it — not crash.
 */
describe.skipIf(!need('ffmpeg', 'chromium'))('a taken RTMP port, in Chromium', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('shows why it is not listening, takes another port from the window, and receives on it', async () => {
    const blocker = await listenFree();
    cleanups.push(() => void blocker.close());
    const out = tempDir('port');
    cleanups.push(out.remove);
    const proc = spawn(process.execPath, [INTAKE_BIN, 'serve', '--port', String(portOf(blocker)), '--http-port', '0', '--out', out.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    cleanups.push(async () => {
      proc.kill('SIGINT');
      await exited;
    });
    let printed = '';
    proc.stdout.on('data', (b: Buffer) => (printed += b.toString()));
    await expect.poll(() => printed, { timeout: 15_000 }).toMatch(/^ui http:\/\/\S+/m);
    expect(printed).toMatch(/warning: .*already in use; pick another port in the UI/);
    const uiUrl = /^ui (http:\/\/\S+)/m.exec(printed)![1];

    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const page = await browser.context.newPage();
    await page.goto(uiUrl);
    const alert = page.locator('[data-testid="port-error"]');
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.innerText()).toContain(`port ${portOf(blocker)}`);
    await artefact(page, 'ui-port-in-use');

    const spare = await listenFree();
    const port = portOf(spare);
    await new Promise<void>((r) => spare.close(() => r()));
    await page.locator('[data-testid="port-input"]').fill(String(port));
    await page.locator('[data-testid="port-apply"]').click();
    // "Listening on …", not "Starting on …", which names the port too: the empty state changes with the listening status.
    await expect.poll(() => page.locator('[data-testid="server-status"]').innerText(), { timeout: 10_000 }).toContain(`Listening on rtmp://127.0.0.1:${port}`);
    expect(await page.locator('[data-testid="port-error"]').count()).toBe(0);
    expect(await page.locator('[data-testid="empty-state"]').innerText()).toContain(`rtmp://127.0.0.1:${port}/live`);

    const pub = await ffmpegPublish(`rtmp://127.0.0.1:${port}/live/moved`, 30);
    expect(pub.code).toBe(0);
    await page.locator('[data-testid="stream-item"][data-path="live/moved"]').waitFor({ timeout: 10_000 }).catch(() => {});
    await expect.poll(() => page.locator('[data-testid="protocol-step"][data-step="publish"]').getAttribute('data-state'), { timeout: 10_000 }).toBe('answered');
  });
});
