/**
 * The one full collection after start-up (app/util/gc.ts
 * collectWhenListening): the CLI, which keeps the young generation small,
 * runs it once shortly after its engine listens; an engine in a program that
 * did not ask for it (a library user, the tests) never collects on its own.
 * Read off V8's own trace (`--trace-gc`), where a collection the program asked
 * for carries the reason "testing".
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningIntake, startIntake } from '../support/cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const asked = (out: string): string[] => out.split('\n').filter((l) => /Mark-Compact.*\btesting\b/.test(l));

describe('one full collection after the engine listens', () => {
  let rx: RunningIntake | null = null;
  let dir = '';
  afterEach(async () => {
    await rx?.stop();
    rx = null;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('intake record: once, after the listening line, and not again', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-gc-'));
    rx = await startIntake(['record', '--out', dir], { nodeArgs: ['--trace-gc'] });
    const listenedAt = rx.output().indexOf('listening rtmp://');
    await rx.waitFor(/Mark-Compact.*\btesting\b/, 5000);
    expect(rx.output().indexOf(asked(rx.output())[0])).toBeGreaterThan(listenedAt);
    await new Promise((r) => setTimeout(r, 1000));
    expect(asked(rx.output())).toHaveLength(1);
  });

  it('an engine alone (no keepYoungGenerationSmall): none', async () => {
    const script = `
      const { Engine } = await import(${JSON.stringify(path.join(ROOT, 'dist/app/index.js'))});
      const e = new Engine({ port: 0 });
      await e.start();
      await new Promise((r) => setTimeout(r, 800));
      await e.stop();
      console.log('stopped');`;
    const child = spawn(process.execPath, ['--trace-gc', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, out).toBe(0);
    expect(out).toContain('stopped');
    expect(asked(out)).toEqual([]);
  });
});
