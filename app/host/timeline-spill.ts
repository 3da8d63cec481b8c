import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TIMELINE_PAGE_MAX } from '../contract/limits.js';
import type { TimelineMoment, TimelinePage, UiRequests } from '../contract/ui.js';
import type { TimelineStore } from './timeline-store.js';

/**
 * The temporary folder the service's timeline stores spill to: made on
 * first use (a short session never touches the disk), removed when the
 * service closes and, failing that, when the process exits.
 */
export class TimelineSpill {
  private made: string | null = null;
  private readonly onExit = (): void => this.remove();

  /** The folder, made now if need be (throws when the OS cannot make it; the store then drops and counts). */
  dir(): string {
    if (this.made === null) {
      this.made = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-timeline-'));
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
