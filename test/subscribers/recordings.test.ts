import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readFlvFile } from '../../app/flv/flv-reader.js';
import { LiveStream } from '../../app/streams/live-stream.js';
import { Recordings } from '../../app/subscribers/recordings.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function stream(): LiveStream {
  return new LiveStream(
    { path: 'live/t', app: 'live', key: 't', connectionId: 1, remoteAddress: '127.0.0.1', publishType: 'live', startedAt: 0 },
    { step: () => {}, updated: () => {}, ended: () => {}, log: () => {}, now: () => 0, gopCache: false },
  );
}

/**
 * The Mediabunny modules a fresh Node process resolves while it runs `code`
 * (with `Engine` from the built engine, dist/): a resolve hook, in Node's
 * loader thread, reports every module it resolves.
 */
function mediabunnyModules(code: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-load-'));
  dirs.push(dir);
  const hook = path.join(dir, 'hook.mjs');
  fs.writeFileSync(
    hook,
    `import { register } from 'node:module';\nregister('data:text/javascript,export async function resolve(s, c, n) { const r = await n(s, c); process._rawDebug("RESOLVED " + r.url); return r; }');\n`,
  );
  const script = `const { Engine } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/app/index.js')).href)});\n${code}\nconsole.log('done');`;
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(hook).href, '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  expect(r.stdout, r.stderr).toContain('done');
  const resolved = r.stderr.split('\n').filter((l) => l.startsWith('RESOLVED '));
  expect(resolved.some((l) => l.includes('/dist/app/engine.js'))).toBe(true);
  return resolved.filter((l) => l.includes('/node_modules/mediabunny/'));
}

describe('Recordings', () => {
  it('a receiver that records FLV only never loads the MP4/MKV muxer (Mediabunny); one that may record MP4 has it loaded before it listens', () => {
    expect(mediabunnyModules(`const e = new Engine({ port: 0, recordFormats: ['flv'] }); await e.start(); await e.stop();`)).toEqual([]);
    expect(mediabunnyModules(`const e = new Engine({ port: 0 }); await e.start(); await e.stop();`).length).toBeGreaterThan(0);
  });

  it('refuses a format the receiver was not made for, with a config error, and records the one it was', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-recs-'));
    dirs.push(dir);
    const updates: string[] = [];
    const recs = new Recordings({ dir, auto: false, format: 'flv', formats: ['flv'], maxBacklog: 1 << 20, onUpdate: (i) => updates.push(i.state) });
    await recs.ready();
    const s = stream();
    expect(() => recs.start(s, 'mp4')).toThrow(expect.objectContaining({ code: 'config', message: expect.stringContaining('records flv only, not mp4') }));
    const info = recs.start(s);
    expect(info.format).toBe('flv');
    s.media(9, 0, Buffer.from('1701000000aa', 'hex'));
    s.end('done');
    await recs.closeAll();
    const { tags } = readFlvFile(fs.readFileSync(info.file));
    expect(tags.map((t) => t.type)).toEqual([18, 9]);
    expect(updates.at(-1)).toBe('finished');
  });
});
