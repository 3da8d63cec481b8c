/**
 * When each video frame of the preview reached the engine, by its FLV
 * timestamp: the host stamps each media chunk with its newest video frame's
 * arrival (MediaChunk.arrivedAt), and the frames before it in the same chunk
 * (only the late-join start has more than one) are placed back by their
 * timestamps. The preview looks up the frame it shows to say how far behind
 * what Intake received the picture is.
 */

/** Frames remembered; the oldest go first (a few seconds at 60 fps, far more than the preview holds). */
export const ARRIVALS_CAP = 512;

/** A ring of (timestamp ms, arrival epoch ms), in stream order. */
export class ArrivalLog {
  private readonly ts = new Float64Array(ARRIVALS_CAP);
  private readonly at = new Float64Array(ARRIVALS_CAP);
  private n = 0;
  private head = 0;
  private firstTs: number | null = null;

  /** Record a chunk's video frame timestamps (in order) and the arrival of its newest frame. */
  add(timestamps: readonly number[], arrivedAt: number | undefined): void {
    if (timestamps.length === 0 || arrivedAt === undefined || !Number.isFinite(arrivedAt)) return;
    const newest = timestamps[timestamps.length - 1];
    this.firstTs ??= timestamps[0];
    for (const t of timestamps) {
      // An earlier frame of the same chunk arrived no later than the newest, and no earlier than its timestamp says.
      const at = arrivedAt - Math.max(0, newest - t);
      const i = (this.head + this.n) % ARRIVALS_CAP;
      this.ts[i] = t;
      this.at[i] = at;
      if (this.n < ARRIVALS_CAP) this.n++;
      else this.head = (this.head + 1) % ARRIVALS_CAP;
    }
  }

  /** Arrival of the newest frame with a timestamp ≤ `ts` (the frame a player shows at `ts`), or null. */
  lookup(ts: number): number | null {
    for (let k = this.n - 1; k >= 0; k--) {
      const i = (this.head + k) % ARRIVALS_CAP;
      if (this.ts[i] <= ts) return this.at[i];
    }
    return null;
  }

  /** The first frame's timestamp ever recorded, or null. */
  first(): number | null {
    return this.firstTs;
  }
}
