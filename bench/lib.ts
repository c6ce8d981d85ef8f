/** Small timing helpers shared by the benchmarks: warm up, run a fixed count, report per-op time and ratios. */

export interface Measure {
  name: string;
  ops: number;
  ms: number;
  perOpUs: number;
  opsPerSec: number;
}

export async function measure(name: string, ops: number, fn: (i: number) => unknown): Promise<Measure> {
  for (let i = 0; i < Math.min(200, ops); i++) await fn(i);
  const t0 = performance.now();
  for (let i = 0; i < ops; i++) await fn(i);
  const ms = performance.now() - t0;
  return { name, ops, ms, perOpUs: (ms * 1000) / ops, opsPerSec: (ops * 1000) / ms };
}

export function measureSync(name: string, ops: number, fn: (i: number) => unknown): Measure {
  for (let i = 0; i < Math.min(1000, ops); i++) fn(i);
  const t0 = performance.now();
  for (let i = 0; i < ops; i++) fn(i);
  const ms = performance.now() - t0;
  return { name, ops, ms, perOpUs: (ms * 1000) / ops, opsPerSec: (ops * 1000) / ms };
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export function report(title: string, rows: Measure[]): void {
  console.log(`\n## ${title}`);
  for (const r of rows)
    console.log(
      `${r.name.padEnd(44)} ${r.perOpUs.toFixed(1).padStart(9)} µs/op ${Math.round(r.opsPerSec).toString().padStart(9)} ops/s`,
    );
}
