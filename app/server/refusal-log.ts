/** How long refusals from one address are gathered into one line. */
const WINDOW_MS = 1000;
/** Addresses tracked at once; refusals from further ones are gathered under one key. */
const MAX_ADDRESSES = 256;

/**
 * Says each refused or evicted connection without one log line per socket:
 * a flood of 1,000 connections would otherwise push every other line out of
 * the log (it keeps 500). The first from an address is said at once; the
 * rest within a second are counted and said as one line when it ends.
 */
export class RefusalLog {
  private readonly pending = new Map<string, { count: number; last: string }>();

  constructor(private readonly log: (message: string) => void) {}

  say(address: string, message: string): void {
    const key = this.pending.has(address) || this.pending.size < MAX_ADDRESSES ? address : '*';
    const p = this.pending.get(key);
    if (p) {
      p.count++;
      p.last = message;
      return;
    }
    this.log(message);
    this.pending.set(key, { count: 0, last: message });
    setTimeout(() => {
      const done = this.pending.get(key)!;
      this.pending.delete(key);
      const from = key === '*' ? 'other addresses' : key;
      if (done.count > 0) this.log(`${done.count} more from ${from} in the last ${WINDOW_MS / 1000} s, the last: ${done.last}`);
    }, WINDOW_MS).unref();
  }
}
