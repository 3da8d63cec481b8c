import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TIMELINE_PAGE_MAX } from '../contract/limits.js';
import type { TimelineMoment, TimelinePage, UiRequests } from '../contract/ui.js';
import type { TimelineStore } from './timeline-store.js';

/** Spill folders are named for the process that made them: `intake-timeline-<pid>-XXXXXX`. */
const SPILL_PREFIX = 'intake-timeline-';
const OWNED = /^intake-timeline-(\d+)-/;

/** Whether a process with this id runs (EPERM: it does, as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the spill folders of this user's Intake processes that no longer
 * run: a process killed with SIGKILL (or a crash of Node itself) never runs
 * its exit handler, and its folder, up to 64 MB a connection, would stay in
 * the temporary folder for good. Only folders named with a process id that
 * is gone and owned by this user are touched. Returns how many went.
 */
export function sweepOrphans(tmp = os.tmpdir()): number {
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(tmp);
  } catch {
    return 0;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const m = OWNED.exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    const dir = path.join(tmp, name);
    try {
      const st = fs.lstatSync(dir);
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      removed++;
    } catch {
      // Gone meanwhile, or not ours to remove: leave it.
    }
  }
  return removed;
}

/**
 * The temporary folder the service's timeline stores spill to: made on
 * first use (a short session never touches the disk), removed when the
 * service closes and, failing that, when the process exits; the folders of
 * processes that could not (killed) are swept when the next one is made.
 */
export class TimelineSpill {
  private made: string | null = null;
  private readonly onExit = (): void => this.remove();

  constructor(private readonly tmp = os.tmpdir()) {}

  /** The folder, made now if need be (throws when the OS cannot make it; the store then drops and counts). */
  dir(): string {
    if (this.made === null) {
      sweepOrphans(this.tmp);
      this.made = fs.mkdtempSync(path.join(this.tmp, `${SPILL_PREFIX}${process.pid}-`));
      process.once('exit', this.onExit);
    }
    return this.made;
  }

  /** Remove the folder and everything in it. */
  remove(): void {
    if (this.made === null) return;
    fs.rmSync(this.made, { recursive: true, force: true });
    this.made = null;
    process.removeListener('exit', this.onExit);
  }
}

/** The `timeline` request's answer from a store: the range asked for (the newest entries without `from`), never more than TIMELINE_PAGE_MAX. */
export function timelinePage(store: TimelineStore, range: UiRequests['timeline']['req']): TimelinePage {
  const count = Math.min(range.count ?? TIMELINE_PAGE_MAX, TIMELINE_PAGE_MAX);
  const from = Math.max(range.from ?? store.total - count, store.dropped, 0);
  return { connectionId: store.connectionId, from, total: store.total, dropped: store.dropped, counts: { ...store.counts }, entries: store.range(from, count) };
}

/** The `timeline-at` request's answer from a store: the message nearest `atMs`, or null when that moment is no longer held. */
export function timelineMoment(store: TimelineStore, atMs: number): TimelineMoment {
  const index = store.indexAt(atMs);
  const entry = index === null ? null : (store.range(index, 1)[0] ?? null);
  return { connectionId: store.connectionId, atMs, index, entry, total: store.total, dropped: store.dropped };
}
