/**
 * Benchmark harness: every benchmark prints one JSON object per line,
 * {"name","p50_ms","p95_ms","ops_per_s","n"} (see BENCHMARKS.md).
 */
export type BenchResult = { name: string; p50_ms: number; p95_ms: number; ops_per_s: number; n: number };

const round = (x: number) => Math.round(x * 1000) / 1000;

export function summarise(name: string, samplesMs: number[]): BenchResult {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const total = sorted.reduce((s, x) => s + x, 0);
  return {
    name,
    p50_ms: round(at(0.5)),
    p95_ms: round(at(0.95)),
    ops_per_s: round(total > 0 ? (sorted.length * 1000) / total : 0),
    n: sorted.length,
  };
}

/** Runs `fn` `warmup` times unmeasured, then `n` times measured. */
export async function measure(
  name: string,
  fn: () => unknown,
  opts: { n?: number; warmup?: number } = {},
): Promise<BenchResult> {
  const n = opts.n ?? 50;
  for (let i = 0; i < (opts.warmup ?? 5); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) await timed(fn, samples);
  return summarise(name, samples);
}

/** Calls `fn` and adds how long it took, in ms, to `into`. */
async function timed(fn: () => unknown, into: number[]) {
  const t0 = performance.now();
  await fn();
  into.push(performance.now() - t0);
}

/**
 * Runs two functions in turns on the same i — `a(i)` then `b(i)`, or the other way round, in a fixed
 * pseudo-random order (not by the parity of i, which would tie the order to the input when inputs
 * rotate) — `warmup` times unmeasured, then `n` times measured: their ratio is not skewed by what
 * the machine did during one of two separate runs, and neither always runs on the other's garbage.
 */
export async function measurePair(
  names: [string, string],
  a: (i: number) => unknown,
  b: (i: number) => unknown,
  opts: { n?: number; warmup?: number } = {},
): Promise<[BenchResult, BenchResult]> {
  const n = opts.n ?? 50;
  for (let i = 0; i < (opts.warmup ?? 5); i++) {
    await a(i);
    await b(i);
  }
  const sa: number[] = [];
  const sb: number[] = [];
  for (let i = 0; i < n; i++) {
    const first: [() => unknown, number[]] = [() => a(i), sa];
    const second: [() => unknown, number[]] = [() => b(i), sb];
    const order = (Math.imul(i + 1, 0x9e3779b1) >>> 16) & 1 ? [first, second] : [second, first];
    for (const [fn, into] of order) await timed(fn, into);
  }
  return [summarise(names[0], sa), summarise(names[1], sb)];
}

export const print = (r: BenchResult) => process.stdout.write(`${JSON.stringify(r)}\n`);
