import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { checkFolder } from '../../app/host/folder-check.js';
import { IntakeService } from '../../app/host/service.js';
import type { ServerStatus } from '../../app/contract/ui.js';
import { INTAKE_BIN, run } from '../support/cli.js';
import { tempDir } from '../e2e/publish-helpers.js';
import { opened, request, serveInProcess } from './ws-helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function temp(): string {
  const t = tempDir('folder');
  cleanups.push(t.remove);
  return t.dir;
}

/** A promise's outcome within `ms`, or 'hung'. */
function within<T>(p: Promise<T>, ms: number): Promise<T | 'hung'> {
  return Promise.race([p, new Promise<'hung'>((r) => setTimeout(() => r('hung'), ms).unref())]);
}

describe('a recording folder is checked when it is chosen', () => {
  it('says why a folder cannot be used, at once, without spinning on /proc', async () => {
    // Node's recursive mkdir spins for ever on this path (issue 8: it hung intake serve).
    const proc = await within(checkFolder('/proc/nope/rec').catch((e: Error) => e.message), 2000);
    expect(proc).toBe('cannot write recordings to /proc/nope/rec: ENOENT: /proc does not take new folders');
    expect(await checkFolder('/etc/passwd/rec').catch((e: Error) => e.message)).toBe('cannot write recordings to /etc/passwd/rec: ENOTDIR: /etc/passwd is a file, not a folder');
    expect(await checkFolder('a\0b').catch((e: Error) => e.message)).toMatch(/EINVAL: not a folder path/);
    const dir = path.join(temp(), 'a', 'b', 'c');
    expect(await checkFolder(dir)).toBe(dir);
    expect(fs.statSync(dir).isDirectory()).toBe(true);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('a bad folder at start is in the status; a folder picked in the dialog that works clears it', async () => {
    const good = temp();
    const service = new IntakeService({
      settings: { host: '127.0.0.1', port: 0, recordDir: '/etc/passwd/rec', autoRecord: false },
      host: { transport: 'electron', version: 'test', canOpenFolder: true },
      chooseFolder: async () => good,
    });
    cleanups.push(() => service.close());
    await service.start();
    expect(service.status.recordDirError).toEqual({ code: 'recorder', message: 'cannot write recordings to /etc/passwd/rec: ENOTDIR: /etc/passwd is a file, not a folder' });
    const statuses: ServerStatus[] = [];
    const client = service.attach({ event: (name, p) => void (name === 'status' && statuses.push(p as ServerStatus)) });
    // A folder nobody chose is refused, whatever it is.
    await expect(client.handle('set-settings', { recordDir: '/etc' })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/^\/etc is outside the recording folder chosen at start/) });
    expect(await client.handle('choose-folder', undefined)).toEqual({ path: good });
    const res = (await client.handle('set-settings', { recordDir: good })) as { settings: { recordDir: string }; status: ServerStatus };
    expect(res.settings.recordDir).toBe(good);
    expect(res.status.recordDirError).toBeUndefined();
    expect(statuses.at(-1)?.recordDirError).toBeUndefined();
    expect(service.status.state).toBe('listening');
  });

  it('within the folder chosen at start, a path that cannot be a folder is refused when set, and the server keeps answering', async () => {
    const s = await serveInProcess({}, cleanups);
    fs.writeFileSync(path.join(s.dir, 'file'), 'x');
    const ws = new WebSocket(s.wsUrl);
    cleanups.push(() => ws.terminate());
    await opened(ws);
    const bad = await within(request(ws, 1, 'set-settings', { recordDir: path.join(s.dir, 'file', 'rec') }), 4000);
    expect(bad).toMatchObject({ ok: false, error: { code: 'recorder', message: `cannot write recordings to ${path.join(s.dir, 'file', 'rec')}: ENOTDIR: ${path.join(s.dir, 'file')} is a file, not a folder` } });
    expect(s.service.settings.recordDir).toBe(s.dir);
    const sub = path.join(s.dir, 'evening');
    expect(await request(ws, 2, 'set-settings', { recordDir: sub })).toMatchObject({ ok: true, res: { settings: { recordDir: sub } } });
    expect(fs.statSync(sub).isDirectory()).toBe(true);
  });

  it('the CLI refuses a folder it cannot use with one line and exit 2, without hanging', async () => {
    for (const [cmd, dir] of [
      ['record', '/proc/nope/rec'],
      ['serve', '/proc/nope/rec'],
      ['serve', '/etc/passwd/rec'],
    ] as const) {
      const extra = cmd === 'serve' ? ['--http-port', '0'] : [];
      const r = await run(process.execPath, [INTAKE_BIN, cmd, '--out', dir, '--port', '0', ...extra], 10_000);
      expect(r.code, `${cmd} --out ${dir}: ${r.stdout}${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^intake: cannot write recordings to ${dir.replace(/\//g, '\\/')}: (ENOENT|ENOTDIR): .+\\n$`));
      expect(r.stdout).not.toMatch(/listening/);
    }
  });
});
