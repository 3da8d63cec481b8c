import type { ServerStatus } from '../contract/ui.js';

/**
 * Where the listener was before a port or host change, while live streams
 * that came in there go on: they are kept, not ended, and the UI can say
 * "N live streams stay on port X until they end". Forgotten once the last
 * of them ends (or the listener is restarted).
 */
export class OldAddress {
  private at: { host: string; port: number } | null = null;
  private readonly connectionIds = new Set<number>();

  /** The listener moved away from `from`; the connections publishing `live` stay there. */
  moved(from: { host: string; port: number }, live: Iterable<number>): void {
    for (const id of live) this.connectionIds.add(id);
    this.at = this.connectionIds.size > 0 ? from : null;
  }

  /** A stream ended; true when it was the last one on the old address. */
  ended(connectionId: number): boolean {
    if (!this.connectionIds.delete(connectionId) || this.connectionIds.size > 0) return false;
    this.at = null;
    return true;
  }

  clear(): void {
    this.connectionIds.clear();
    this.at = null;
  }

  /** For ServerStatus: the old address and how many live streams stay on it. */
  status(): Pick<ServerStatus, 'draining'> {
    return this.at ? { draining: { ...this.at, liveStreams: this.connectionIds.size } } : {};
  }
}

/** "2 live streams stay on port 1935 until they end" */
export function stayLine(n: number, port: number): string {
  return n === 1 ? `1 live stream stays on port ${port} until it ends` : `${n} live streams stay on port ${port} until they end`;
}
