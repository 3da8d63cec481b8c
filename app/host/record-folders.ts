import path from 'node:path';
import { isLoopback } from '../util/hosts.js';
import { checkFolder } from './folder-check.js';
import { UiError } from './ui-error.js';

/**
 * What one attached UI may change beyond the harmless settings. A page on
 * the WebSocket is anyone who can reach the port (on loopback, any local
 * process: it need not send an Origin), so it gets none of these unless it
 * presented the token printed by `intake serve`; the desktop window, whose
 * every request main/ checks comes from our own page, gets them.
 */
export interface SessionGrants {
  /** May move the RTMP listener beyond loopback (0.0.0.0, a LAN address). */
  listenBeyondLoopback: boolean;
}

/** A page without the token. */
export const PAGE_GRANTS: SessionGrants = { listenBeyondLoopback: false };
/** The desktop window, or a page that presented the token. */
export const TRUSTED_GRANTS: SessionGrants = { listenBeyondLoopback: true };

/** Refuse a listen address beyond loopback unless the session may choose one. */
export function checkListenHost(host: string, grants: SessionGrants): void {
  if (!isLoopback(host) && !grants.listenBeyondLoopback) {
    throw new UiError('bad-request', `listening on ${host}, beyond this machine, needs the token: open the URL with ?token= that intake serve printed`);
  }
}

/**
 * The folders a UI may record to: the one the user chose at start (the
 * CLI's --out, the settings file) and any picked in the desktop's folder
 * dialog, each with everything inside it. Why a list and not any path: a
 * request can come from any local process, and a recording folder is where
 * Intake writes files named by the publisher's key, so a page must not
 * point it at /etc or a home folder's dotfiles.
 */
export class RecordFolders {
  private readonly roots = new Set<string>();

  constructor(chosenAtStart: string) {
    this.allow(chosenAtStart);
  }

  /** A folder the user chose themselves (at start, or in the desktop's dialog). */
  allow(dir: string): void {
    this.roots.add(path.resolve(dir));
  }

  /** Whether `dir` is a chosen folder or inside one. */
  permits(dir: string): boolean {
    const abs = path.resolve(dir);
    for (const root of this.roots) if (abs === root || abs.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) return true;
    return false;
  }

  /**
   * `dir` as the new recording folder: within the chosen ones, and usable
   * (made if missing, writable), checked now rather than at the first
   * Record. Resolves with the absolute path; rejects with why not.
   */
  async choose(dir: string): Promise<string> {
    if (!this.permits(dir)) {
      const roots = [...this.roots].join(', ');
      throw new UiError('bad-request', `${path.resolve(dir)} is outside the recording folder chosen at start (${roots}): pick it with Choose… in the desktop app, or start intake serve with --out`);
    }
    return checkFolder(dir);
  }
}
