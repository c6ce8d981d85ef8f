/**
 * Refusing JSON nested past the limit (64 levels): tceops' parseJson against the native JSON.parse of a flat document
 * of the same size (the baseline: what reading that many bytes costs anyway), in the same run, at three depths.
 * Linear cost keeps the ratio flat as the depth grows tenfold. (A unit test used to time this with a 200 ms bound; on
 * a loaded machine it failed, so the time is measured here and the unit test checks the refusal itself.)
 * Text with a risky number, or longer than 1 MiB, takes the scanning path, which stops at level 65 (far below 1×);
 * shorter plain text goes through the native parser first, whose cost on deep nesting grows faster than the text
 * (V8): that is the 20,000- and 200,000-level rows' ratio, bounded by the 1 MiB at which the scan takes over.
 * Run: npx tsx bench/json.bench.ts
 */
import { parseJson } from '../packages/core/src/api/json.ts';
import { percentile } from './lib.ts';

function timeOnce(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

const RUNS = 7;

export function runJsonBench(): { ratios: number[] } {
  console.log('\n## Refusing deep JSON (median and range over 7 runs)');
  const ratios: number[] = [];
  for (const depth of [20_000, 200_000, 2_000_000]) {
    for (const [name, middle] of [
      ['arrays', ''],
      ['arrays around a 17-digit number', '90071992547409931'],
    ] as const) {
      const deep = '['.repeat(depth) + middle + ']'.repeat(depth);
      // As many bytes, flat: `[0,0,...]`.
      const flat = `[${'0,'.repeat(Math.max(0, (deep.length - 3) / 2))}0]`;
      const ours: number[] = [];
      const base: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        base.push(timeOnce(() => JSON.parse(flat)));
        ours.push(
          timeOnce(() => {
            try {
              parseJson(deep);
            } catch {
              return;
            }
            throw new Error('a deep document was accepted');
          }),
        );
      }
      const ratio = percentile(ours, 50) / percentile(base, 50);
      ratios.push(ratio);
      const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
      console.log(
        `depth ${String(depth).padStart(9)}, ${name.padEnd(32)} refused in ${percentile(ours, 50).toFixed(2)} ms (${range(ours)}); ` +
          `JSON.parse of as many flat bytes ${percentile(base, 50).toFixed(2)} ms (${range(base)}); ratio ${ratio.toFixed(2)}×`,
      );
    }
  }
  return { ratios };
}

if (import.meta.url === `file://${process.argv[1]}`) runJsonBench();
