/** Characters that are safe in a file name on every OS we ship to. */
function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_').slice(0, 80) || '_';
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** `<app>_<key>_<local date-time>.<ext>`, e.g. `live_obs_2026-11-21_14-03-07.mp4`. */
export function recordingFileName(app: string, key: string, at: Date, attempt = 0, ext = 'flv'): string {
  const dt = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}_${pad(at.getHours())}-${pad(at.getMinutes())}-${pad(at.getSeconds())}`;
  return `${safe(app)}_${safe(key)}_${dt}${attempt > 0 ? `-${attempt + 1}` : ''}.${ext}`;
}
