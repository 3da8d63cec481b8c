import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { type RunningIntake, startIntake } from '../support/cli.js';
import { need } from '../support/tools.js';
import { ffmpegPublish, tempDir } from './publish-helpers.js';

/** Screenshots of this test, to be looked at (outside the repo). */
const SHOTS = path.join(os.tmpdir(), 'intake-window-state');

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * #8, "the window must not show a stale or false state", in Debian's
 * Chromium against `intake serve` with real ffmpeg publishers: a refused
 * publish and a killed publisher are listed and logged; a hung server
 * (SIGSTOP) and a killed one are shown as a lost connection, greyed, and the
 * page re-syncs when the server answers again or is started again.
 */
describe.skipIf(!need('ffmpeg', 'chromium'))('the window when things fail (Chromium, browser mode)', () => {
  let intake: RunningIntake;
  let httpPort: number;
  let uiUrl: string;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let out: ReturnType<typeof tempDir>;
  const ffmpegs: ChildProcess[] = [];
  const testId = (id: string): string => `[data-testid="${id}"]`;
  const text = (id: string): Promise<string> => page.locator(testId(id)).first().innerText();

  const serve = (): Promise<RunningIntake> => startIntake(['serve', '--http-port', String(httpPort), '--out', out.dir, '--auto-record']);

  /** ffmpeg publishing in real time until killed. */
  const endless = (key: string): ChildProcess => {
    const p = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-re', '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '30', '-c:a', 'aac', '-f', 'flv', `rtmp://127.0.0.1:${intake.port}/live/${key}`], { stdio: 'ignore' });
    ffmpegs.push(p);
    return p;
  };

  /** Both window sizes the app is laid out for. */
  async function shots(name: string): Promise<void> {
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const [w, h] of [[1440, 900], [1100, 700]]) {
      await page.setViewportSize({ width: w, height: h });
      await page.waitForTimeout(150);
      await page.screenshot({ path: path.join(SHOTS, `${name}-${w}x${h}.png`) });
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  }

  beforeAll(async () => {
    out = tempDir('window');
    httpPort = await freePort();
    intake = await serve();
    uiUrl = (await intake.waitFor(/^ui http:\/\//)).slice(3).trim();
    browser = await launchChromium();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    for (const p of ffmpegs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    await browser?.close();
    if (intake?.proc.signalCode === 'SIGSTOP' || intake?.proc.exitCode === null) intake.proc.kill('SIGCONT');
    await intake?.stop();
    out?.remove();
  });

  it('lists and logs a refused publish and a publisher killed mid-stream; a reload keeps the ended stream', async () => {
    await page.goto(uiUrl);
    await page.locator(testId('empty-state')).waitFor({ timeout: 15_000 });
    const killed = endless('cam');
    const live = page.locator(`${testId('stream-item')}[data-path="live/cam"]`);
    await live.waitFor({ timeout: 15_000 });
    await expect.poll(() => live.innerText(), { timeout: 10_000 }).toContain('REC');
    await expect.poll(() => live.locator(testId('stream-video')).innerText(), { timeout: 10_000 }).toMatch(/H\.264 · 640×360/);

    // The same key again: BadName, listed under the streams with its reason, and logged.
    const dup = await ffmpegPublish(`rtmp://127.0.0.1:${intake.port}/live/cam`, 30);
    expect(dup.code).not.toBe(0);
    const refused = page.locator(testId('refused-item'));
    await refused.waitFor({ timeout: 10_000 });
    expect(await refused.innerText()).toMatch(/live\/cam[\s\S]*NetStream\.Publish\.BadName: live\/cam is already being published/);
    await expect.poll(() => text('log-toggle'), { timeout: 10_000 }).toMatch(/[1-9]\d* warnings/);
    expect(await text('log-latest')).toContain('refused: NetStream.Publish.BadName');
    await page.waitForTimeout(1200);
    await shots('normal');

    // Killed mid-stream: the row stays, as it was, and says the connection dropped; the log says why.
    killed.kill('SIGKILL');
    const ended = page.locator(`${testId('stream-item')}[data-path="live/cam"][data-ended="true"]`);
    await ended.waitFor({ timeout: 10_000 });
    const end = ended.locator(testId('stream-end'));
    await expect.poll(() => end.innerText(), { timeout: 10_000 }).toMatch(/^Connection dropped mid-stream: (client closed the connection|connection reset by the client)/);
    expect(await end.getAttribute('data-end')).toBe('dropped');
    const row = await ended.innerText();
    expect(row).toMatch(/Lavf/);
    expect(row).toMatch(/H\.264 · 640×360/);
    expect(row).toMatch(/avg \d/);
    expect(row.split(/client closed the connection|connection reset by the client/).length).toBe(2);
    expect(await text('log-latest')).toMatch(/dropped mid-stream|recording/);
    await page.locator(testId('log-toggle')).click();
    expect(await page.locator('.log-drawer').innerText()).toMatch(/live\/cam: the publisher's connection dropped mid-stream, without FCUnpublish or deleteStream/);
    await page.locator(testId('log-toggle')).click();
    await shots('ended-row');

    // A reload keeps the ended stream (the snapshot carries it) with what it had.
    await page.reload();
    await ended.waitFor({ timeout: 10_000 });
    expect(await ended.locator(testId('stream-end')).innerText()).toMatch(/^Connection dropped mid-stream/);
    expect(await ended.innerText()).toMatch(/H\.264 · 640×360/);
  });

  it('a hung server (SIGSTOP) is shown as a lost connection within the heartbeat, greyed; the page re-syncs when it answers again', async () => {
    endless('hang');
    const live = page.locator(`${testId('stream-item')}[data-path="live/hang"]:not([data-ended])`);
    await live.waitFor({ timeout: 15_000 });
    await expect.poll(() => text('server-status')).toMatch(/^Listening on/);
    const stoppedAt = Date.now();
    intake.proc.kill('SIGSTOP');
    await page.locator(testId('link-lost')).waitFor({ timeout: 25_000 });
    const detectedMs = Date.now() - stoppedAt;
    console.log(`hung server shown as lost after ${detectedMs} ms`);
    expect(await text('server-status')).toMatch(/^Unknown: Intake not reachable/);
    expect(await page.locator(testId('server-status')).getAttribute('class')).not.toContain('tone-ok');
    expect(await text('live-count')).toBe('1 live when last known');
    expect(await page.locator('.app').getAttribute('data-stale')).toBe('true');
    await shots('lost');
    intake.proc.kill('SIGCONT');
    await page.locator(testId('link-lost')).waitFor({ state: 'detached', timeout: 20_000 });
    await expect.poll(() => text('server-status')).toMatch(/^Listening on/);
    expect(await page.locator('.app').getAttribute('data-stale')).toBeNull();
  });

  it('a killed server is shown as lost at once; started again, the page re-syncs to what is true now', async () => {
    intake.proc.kill('SIGKILL');
    await intake.stop();
    await page.locator(testId('link-lost')).waitFor({ timeout: 10_000 });
    expect(await text('server-status')).toMatch(/^Unknown: Intake not reachable \(last known: Listening/);
    intake = await serve();
    await page.locator(testId('link-lost')).waitFor({ state: 'detached', timeout: 20_000 });
    await expect.poll(() => text('server-status')).toBe(`Listening on rtmp://127.0.0.1:${intake.port}`);
    expect(await text('live-count')).toBe('0 live');
    expect(await page.locator(`${testId('stream-item')}:not([data-ended])`).count()).toBe(0);
    expect(await page.locator(testId('empty-state')).innerText()).toContain(`rtmp://127.0.0.1:${intake.port}/live`);
  });
});
