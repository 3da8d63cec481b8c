import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TimelineSpill, sweepOrphans } from '../../app/host/timeline-spill.js';

/** The id of a process that has run and ended (so no process has it, barring reuse). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('timeline spill folders', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-spill-test-'));
  afterEach(() => {
    for (const n of fs.readdirSync(tmp)) fs.rmSync(path.join(tmp, n), { recursive: true, force: true });
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('sweeps the folder a killed Intake left behind, and only that one', () => {
    const dead = deadPid();
    const orphan = path.join(tmp, `intake-timeline-${dead}-abc123`);
    fs.mkdirSync(orphan);
    fs.writeFileSync(path.join(orphan, '7.ring'), Buffer.alloc(4096));
    // A running process's folder (this one's parent: alive), an unrelated folder and a file named like a folder stay.
    const live = path.join(tmp, `intake-timeline-${process.ppid}-def456`);
    const other = path.join(tmp, 'intake-timeline-notapid');
    const file = path.join(tmp, `intake-timeline-${dead}-file`);
    fs.mkdirSync(live);
    fs.mkdirSync(other);
    fs.writeFileSync(file, '');

    const spill = new TimelineSpill(tmp);
    const mine = spill.dir();
    expect(fs.existsSync(orphan)).toBe(false);
    for (const kept of [live, other, file, mine]) expect(fs.existsSync(kept)).toBe(true);
    expect(path.basename(mine)).toMatch(new RegExp(`^intake-timeline-${process.pid}-`));
    // Another store of this same process (a second service) never sweeps a sibling's folder.
    expect(sweepOrphans(tmp)).toBe(0);
    expect(fs.existsSync(mine)).toBe(true);
    spill.remove();
    expect(fs.existsSync(mine)).toBe(false);
  });

  it('a process killed with SIGKILL while spilling leaves a folder that the next one removes', () => {
    // The built engine (test/global-setup.ts builds dist/), in a process of its own that dies without its exit handler.
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `
      const { TimelineSpill } = await import(${JSON.stringify(path.resolve('dist/app/host/timeline-spill.js'))});
      const fs = await import('node:fs');
      const dir = new TimelineSpill(${JSON.stringify(tmp)}).dir();
      fs.writeFileSync(dir + '/1.ring', 'x');
      process.stdout.write(dir);
      process.kill(process.pid, 'SIGKILL');
    `], { encoding: 'utf8' });
    expect(r.signal).toBe('SIGKILL');
    const left = r.stdout;
    expect(fs.existsSync(left)).toBe(true);
    new TimelineSpill(tmp).dir();
    expect(fs.existsSync(left)).toBe(false);
  });
});
