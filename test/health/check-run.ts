/**
 * Test support: `intake check --json` run while a publisher publishes, its
 * report, exit code and the findings it printed as they appeared.
 */
import type { HealthFinding } from '../../app/contract/health.js';
import { startIntake } from '../support/cli.js';

/** The report line of `intake check --json`. */
export interface Report {
  event: 'report';
  preset: string;
  errors: number;
  warnings: number;
  verdict: string;
  findings: HealthFinding[];
  encoder: Record<string, unknown>;
  capture: { video: { received: number; expected: number; skipped: number; segments: number; percent: number | null }; audio: { percent: number | null } };
}

/** Run `intake check --json` while `publish(url, port)` publishes; the report, the exit code and the findings printed as they appeared. */
export async function check(preset: string, seconds: number, publish: (url: string, port: number) => Promise<unknown>): Promise<{ report: Report; code: number | null; live: HealthFinding[] }> {
  const intake = await startIntake(['check', '--json', '--preset', preset, '--seconds', String(seconds)]);
  try {
    const publishing = publish(`rtmp://127.0.0.1:${intake.port}/live/health`, intake.port).catch(() => undefined);
    await intake.waitFor(/"event":"report"/, (seconds + 30) * 1000);
    // `check` exits by itself after its report: wait for that (a SIGINT in its last milliseconds would kill it mid-exit).
    if (intake.proc.exitCode === null) await new Promise((r) => intake.proc.once('exit', r));
    const code = await intake.stop();
    await publishing;
    const lines = intake.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { event: string });
    const report = lines.find((l) => l.event === 'report') as unknown as Report;
    const live = lines.filter((l) => l.event === 'finding') as unknown as HealthFinding[];
    return { report, code, live };
  } finally {
    await intake.stop();
  }
}
