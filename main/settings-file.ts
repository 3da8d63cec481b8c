/**
 * Where the desktop app keeps its settings between launches, and what a
 * first launch starts with. The reading, checking and atomic writing live in
 * app/host/settings.ts, shared with the browser mode.
 */
import path from 'node:path';
import { app } from 'electron';
import { defaultSettings, loadSettings, saveSettings, type AppSettings } from '../app/index.js';

/** The settings file: settings.json in Electron's per-user data folder. */
export function settingsPath(): string {
  return path.join(app.getPath('userData'), 'settings.json');
}

/**
 * Where recordings go by default: an Intake folder in the user's Videos
 * folder, or Documents (or home) where the OS has no Videos folder
 * (app.getPath throws for a folder it cannot find).
 */
export function defaultRecordDir(): string {
  for (const name of ['videos', 'documents', 'home'] as const) {
    try {
      return path.join(app.getPath(name), 'Intake');
    } catch {
      // Try the next one.
    }
  }
  return path.join(app.getPath('userData'), 'recordings');
}

/** The settings of this launch: the file's, with defaults for what it lacks (a missing or corrupt file gives the defaults). */
export function loadAppSettings(file = settingsPath()): AppSettings {
  return loadSettings(file, defaultSettings(defaultRecordDir()));
}

/**
 * Keep settings on disk after a change. A failed write is logged, not
 * thrown: the change has been applied, and losing it at the next launch is
 * better than failing the request that made it.
 */
export function persistAppSettings(s: AppSettings, file = settingsPath()): void {
  try {
    saveSettings(file, s);
  } catch (err) {
    console.error(`intake: could not save settings to ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
