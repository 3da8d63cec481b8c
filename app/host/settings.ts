import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_RECORD_FORMAT, RECORD_FORMATS, isRecordFormat } from '../contract/recording-format.js';
import type { AppSettings } from '../contract/ui.js';
import { UiError } from './ui-error.js';

/** The settings of a first launch: loopback, the standard RTMP port, no auto-record. */
export function defaultSettings(recordDir: string): AppSettings {
  return { host: '127.0.0.1', port: 1935, recordDir, autoRecord: false, recordFormat: DEFAULT_RECORD_FORMAT };
}

const HOSTNAME = /^[A-Za-z0-9.-]{1,253}$|^[0-9A-Fa-f:.]{2,45}$/;

/**
 * Check a settings change field by field (it comes from a UI: untrusted);
 * returns the fields to change or throws UiError('bad-request') naming the
 * field. Unknown fields are refused rather than silently kept.
 */
export function checkSettingsChange(change: unknown): Partial<AppSettings> {
  if (!change || typeof change !== 'object' || Array.isArray(change)) throw new UiError('bad-request', 'settings must be an object');
  const next: Partial<AppSettings> = {};
  for (const [k, v] of Object.entries(change as Record<string, unknown>)) {
    switch (k) {
      case 'host':
        if (typeof v !== 'string' || !HOSTNAME.test(v)) throw new UiError('bad-request', `host must be an IP address or host name, got ${JSON.stringify(v)}`);
        next.host = v;
        break;
      case 'port':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535) throw new UiError('bad-request', `port must be a whole number from 0 to 65535, got ${JSON.stringify(v)}`);
        next.port = v;
        break;
      case 'recordDir':
        if (typeof v !== 'string' || v.trim() === '') throw new UiError('bad-request', 'the recording folder must be a path');
        next.recordDir = path.resolve(v);
        break;
      case 'autoRecord':
        if (typeof v !== 'boolean') throw new UiError('bad-request', 'autoRecord must be true or false');
        next.autoRecord = v;
        break;
      case 'recordFormat':
        if (!isRecordFormat(v)) throw new UiError('bad-request', `recordFormat must be one of ${RECORD_FORMATS.join(', ')}, got ${JSON.stringify(v)}`);
        next.recordFormat = v;
        break;
      default:
        throw new UiError('bad-request', `unknown setting '${k}'`);
    }
  }
  return next;
}

/** `current` with a settings change applied; throws UiError('bad-request') as {@link checkSettingsChange} does. */
export function mergeSettings(current: AppSettings, change: unknown): AppSettings {
  return { ...current, ...checkSettingsChange(change) };
}

/** Settings from disk; a missing or unreadable file, or a bad field, falls back to the defaults for that field. */
export function loadSettings(file: string, defaults: AppSettings): AppSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return { ...defaults };
  }
  let s = { ...defaults };
  if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      try {
        s = mergeSettings(s, { [k]: v });
      } catch {
        // One bad field must not cost the user the others.
      }
    }
  }
  return s;
}

/** Write settings atomically (temporary file, then rename), so a crash never leaves half a file. */
export function saveSettings(file: string, s: AppSettings): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(s, null, 2)}\n`);
  fs.renameSync(tmp, file);
}
