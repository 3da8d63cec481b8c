import { spawnSync } from 'node:child_process';

const INSTALL: Record<string, string> = {
  ffmpeg: 'apt-get install ffmpeg',
  ffprobe: 'apt-get install ffmpeg',
  'gst-launch-1.0': 'apt-get install gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav',
  nginx: 'apt-get install nginx libnginx-mod-rtmp',
  chromium: 'apt-get install chromium (Debian; never npx playwright install)',
  '/usr/bin/chromium': 'apt-get install chromium (Debian; never npx playwright install)',
};

/** Whether a command is on PATH. */
export function hasTool(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Whether a GStreamer element exists (gst-inspect-1.0 knows it). */
export function hasGstElement(name: string): boolean {
  return hasTool('gst-inspect-1.0') && spawnSync('gst-inspect-1.0', ['--exists', name], { stdio: 'ignore' }).status === 0;
}

/**
 * The tools a test needs: under CI a missing one is a failure that says what
 * to install; elsewhere the test is skipped with that message. Use as
 * `describe.skipIf(!need('ffmpeg'))(...)`: returns false (skip) when missing
 * outside CI, throws inside CI.
 */
export function need(...tools: string[]): boolean {
  const missing = tools.filter((t) => (t.startsWith('gst:') ? !hasGstElement(t.slice(4)) : !hasTool(t)));
  if (missing.length === 0) return true;
  const how = [...new Set(missing.map((t) => (t.startsWith('gst:') ? INSTALL['gst-launch-1.0'] : (INSTALL[t] ?? `install ${t}`))))].join('; ');
  const msg = `missing ${missing.join(', ')}: ${how}`;
  if (process.env.CI) throw new Error(msg);
  console.warn(`skipping: ${msg}`);
  return false;
}
