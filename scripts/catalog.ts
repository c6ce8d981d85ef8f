/**
 * `npm run catalog`: regenerate packages/core/src/catalog/data/*.json from the TCE docs.
 * Usage: tsx scripts/catalog.ts [--seeds DIR] [--check]   (--check compares instead of writing)
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocs } from '../packages/core/src/catalog/parse-docs.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const seedsAt = args.indexOf('--seeds');
const seeds = seedsAt >= 0 ? resolve(args[seedsAt + 1] ?? '') : resolve(root, '..', 'shared', 'seeds');
const check = args.includes('--check');
const out = join(root, 'packages', 'core', 'src', 'catalog', 'data');

const files = readdirSync(seeds)
  .filter((f) => f.endsWith('.txt'))
  .sort();
const catalogs = parseDocs(files.map((f) => readFileSync(join(seeds, f), 'utf8')));
let differs = 0;
for (const catalog of catalogs) {
  const file = join(out, `${catalog.service}-${catalog.version}.json`);
  const text = `${JSON.stringify(catalog, null, 2)}\n`;
  if (check) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {}
    if (current !== text) {
      differs++;
      console.error(`${file} differs from what the docs give`);
    }
  } else {
    writeFileSync(file, text);
  }
  console.log(
    `${catalog.service} ${catalog.version}: ${Object.keys(catalog.actions).length} actions, ${Object.keys(catalog.structures).length} structures, ${catalog.commonErrors.length} common errors`,
  );
}
process.exitCode = differs ? 1 : 0;
