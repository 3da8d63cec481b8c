/** Entries a ring holds before it first grows. */
const INITIAL_ENTRIES = 16;

/**
 * A bounded ring of numbers in a Float64Array: pushing overwrites the
 * oldest once `capacity` entries are held. Why typed arrays: the analyser
 * keeps a GOP and a per-second history for every stream, and a plain array
 * that is shifted or spliced allocates and leaves garbage. Why it grows (by
 * doubling, up to `capacity`) instead of allocating its capacity up front:
 * a stream's 10-minute history was 64 kB of typed arrays from its first
 * second, 6.4 MB for 100 publishers before any of them had 20 s of it
 * (fan-in RSS, bench/RESULTS.md); growing costs a few copies in a stream's
 * first 10 minutes and nothing per push after.
 */
export class NumberRing {
  private values: Float64Array;
  private head = 0;
  /** Entries held (≤ capacity). */
  length = 0;
  /** Entries ever pushed. */
  total = 0;

  constructor(readonly capacity: number) {
    this.values = new Float64Array(Math.min(capacity, INITIAL_ENTRIES));
  }

  push(v: number): void {
    if (this.length === this.values.length && this.length < this.capacity) this.grow();
    const size = this.values.length;
    this.values[(this.head + this.length) % size] = v;
    if (this.length < size) this.length++;
    else this.head = (this.head + 1) % size;
    this.total++;
  }

  /** The i-th oldest entry held (0 = oldest). */
  at(i: number): number {
    return this.values[(this.head + i) % this.values.length];
  }

  /** Twice the room (at most `capacity`), the entries held moved to its start in order. */
  private grow(): void {
    const next = new Float64Array(Math.min(this.capacity, this.values.length * 2));
    for (let i = 0; i < this.length; i++) next[i] = this.at(i);
    this.values = next;
    this.head = 0;
  }

  /** The newest entry, or NaN when empty. */
  latest(): number {
    return this.length ? this.at(this.length - 1) : Number.NaN;
  }

  clear(): void {
    this.head = 0;
    this.length = 0;
    this.summaryAt = -1;
  }

  private summaryAt = -1;
  private summaryCache: { min: number; median: number; max: number; latest: number } | null = null;
  private sorted: Float64Array | null = null;

  /**
   * min, median, max and latest of the entries held. Why cached: a stats
   * event asks every second, a GOP ring changes every few seconds, and the
   * sort of 256 entries was a third of a snapshot's cost.
   */
  summary(): { min: number; median: number; max: number; latest: number } | null {
    if (this.length === 0) return null;
    if (this.summaryAt === this.total) return this.summaryCache;
    if (!this.sorted || this.sorted.length < this.length) this.sorted = new Float64Array(this.values.length);
    const sorted = this.sorted.subarray(0, this.length);
    for (let i = 0; i < this.length; i++) sorted[i] = this.at(i);
    sorted.sort();
    this.summaryAt = this.total;
    this.summaryCache = { min: sorted[0], median: sorted[this.length >> 1], max: sorted[this.length - 1], latest: this.latest() };
    return this.summaryCache;
  }
}

/** Several parallel rings: one record per push, a field per ring (a struct of arrays). */
export class RecordRing<K extends string> {
  readonly fields: Record<K, NumberRing>;
  /** The field names and their rings in the same order. Why arrays: `for...in` over the fields on each push cost more than the pushes themselves. */
  private readonly names: readonly K[];
  private readonly rings: NumberRing[];

  constructor(
    readonly capacity: number,
    names: readonly K[],
  ) {
    this.names = [...names];
    this.rings = this.names.map(() => new NumberRing(capacity));
    this.fields = Object.fromEntries(this.names.map((n, i) => [n, this.rings[i]])) as Record<K, NumberRing>;
  }

  get length(): number {
    return this.rings[0].length;
  }

  push(record: Record<K, number>): void {
    for (let i = 0; i < this.rings.length; i++) this.rings[i].push(record[this.names[i]]);
  }

  /** The last `n` records as objects (for a snapshot: allocates, once per second at most). */
  last(n: number): Record<K, number>[] {
    const len = this.length;
    const out: Record<K, number>[] = [];
    for (let i = Math.max(0, len - n); i < len; i++) {
      const r = {} as Record<K, number>;
      for (let k = 0; k < this.rings.length; k++) r[this.names[k]] = this.rings[k].at(i);
      out.push(r);
    }
    return out;
  }
}
