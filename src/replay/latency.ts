// A fixed-size latency histogram (log-spaced buckets, ~2 % wide): percentiles over millions of
// samples in constant memory.
const PER_OCTAVE = 32;
const BUCKETS = PER_OCTAVE * 40;

export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  private n = 0;
  max = 0;

  add(us: number): void {
    const v = Math.max(0, us);
    const i = Math.min(BUCKETS - 1, Math.floor(Math.log2(1 + v) * PER_OCTAVE));
    this.counts[i]! += 1;
    this.n += 1;
    if (v > this.max) this.max = v;
  }

  get count(): number {
    return this.n;
  }

  /** The upper edge of the bucket holding the q-quantile (0 without samples). */
  quantile(q: number): number {
    if (this.n === 0) return 0;
    const rank = Math.ceil(q * this.n);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.max, 2 ** ((i + 1) / PER_OCTAVE) - 1);
    }
    return this.max;
  }
}
