/**
 * A default OBS stream (Debian's obs-studio, headless under xvfb-run, a
 * throw-away config: 1280×720 at 30 fps, a colour source, the stock simple
 * output: x264 CBR 2500 kbit/s, keyframe interval auto, AAC 160 kbit/s)
 * through `intake check --json`: no errors under Generic.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HealthFinding } from '../../app/contract/health.js';
import { startIntake } from '../support/cli.js';
import { need } from '../support/tools.js';
import { tempDir } from './publishers.js';

/** OBS's config folder with one profile streaming to `url`, first-run wizard off. */
function obsConfig(url: string): string {
  const home = tempDir();
  const cfg = path.join(home, '.config', 'obs-studio');
  mkdirSync(path.join(cfg, 'basic', 'profiles', 'Intake'), { recursive: true });
  mkdirSync(path.join(cfg, 'basic', 'scenes'), { recursive: true });
  writeFileSync(path.join(cfg, 'global.ini'), '[General]\nFirstRun=false\nEnableAutoUpdates=false\nConfirmOnExit=false\n\n[Basic]\nProfile=Intake\nProfileDir=Intake\nSceneCollection=Intake\nSceneCollectionFile=Intake\n');
  writeFileSync(path.join(cfg, 'basic', 'profiles', 'Intake', 'basic.ini'), '[General]\nName=Intake\n\n[Video]\nBaseCX=1280\nBaseCY=720\nOutputCX=1280\nOutputCY=720\nFPSType=0\nFPSCommon=30\n');
  writeFileSync(path.join(cfg, 'basic', 'profiles', 'Intake', 'service.json'), JSON.stringify({ type: 'rtmp_custom', settings: { server: url, key: 'obs', use_auth: false } }));
  const color = { id: 'color_source_v3', versioned_id: 'color_source_v3', name: 'Color', uuid: '8f1c1f4e-0000-4000-8000-000000000002', settings: { color: 4278190335, width: 1280, height: 720 } };
  const scene = { id: 'scene', versioned_id: 'scene', name: 'Scene', uuid: '8f1c1f4e-0000-4000-8000-000000000001', settings: { items: [{ name: 'Color', id: 1, visible: true }], id_counter: 1 } };
  writeFileSync(path.join(cfg, 'basic', 'scenes', 'Intake.json'), JSON.stringify({ current_scene: 'Scene', current_program_scene: 'Scene', name: 'Intake', scene_order: [{ name: 'Scene' }], sources: [scene, color] }));
  return home;
}

describe.skipIf(!need('obs', 'xvfb-run'))('a default OBS stream', () => {
  it('gives no errors under Generic (keyframe interval auto shows as a warning)', async () => {
    const intake = await startIntake(['check', '--json', '--preset', 'generic', '--seconds', '8']);
    let obs: ChildProcess | null = null;
    try {
      const home = obsConfig(`rtmp://127.0.0.1:${intake.port}/live`);
      // Its own process group, so the test stops xvfb-run, Xvfb and OBS together.
      obs = spawn('xvfb-run', ['-a', 'obs', '--startstreaming', '--minimize-to-tray', '--disable-shutdown-check', '--multi'], {
        env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') },
        stdio: 'ignore',
        detached: true,
      });
      await intake.waitFor(/"event":"report"/, 60_000);
      const report = JSON.parse(intake.output().split('\n').find((l) => l.includes('"event":"report"'))!) as { errors: number; findings: HealthFinding[]; encoder: Record<string, unknown>; capture: { video: { percent: number } } };
      expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(report.errors).toBe(0);
      if (intake.proc.exitCode === null) await new Promise((r) => intake.proc.once('exit', r));
      expect(await intake.stop()).toBe(0);
      // What OBS's defaults are, as measured: x264 High, B-frames, CBR near 2500 kbit/s, 48 kHz stereo AAC.
      expect(report.encoder).toMatchObject({ videoCodec: expect.stringMatching(/^avc1\.64/), width: 1280, height: 720, sampleRate: 48000, channels: 2, rateControl: 'CBR', videoDeclaredKbps: 2500 });
      expect(report.capture.video.percent).toBe(100);
    } finally {
      if (obs?.pid) {
        try {
          process.kill(-obs.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      await intake.stop();
    }
  }, 90_000);
});
