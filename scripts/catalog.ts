/**
 * `npm run catalog`: regenerate packages/core/src/catalog/data/<service>-<version>.json from the TCE docs.
 *
 *   tsx scripts/catalog.ts [--seeds DIR] [--check]
 *
 * DIR defaults to ../shared/seeds next to the repository; every *.txt in it is read, in name order.
 * --check compares with the committed files instead of writing them (exit 1 when they differ).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocs } from './catalog/parse-docs.ts';
import type { ServiceCatalog } from '../packages/core/src/catalog/types.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'packages', 'core', 'src', 'catalog', 'data');

function usage(problem: string): never {
  console.error(`${problem}\nusage: npm run catalog -- [--seeds DIR] [--check]`);
  process.exit(2);
}

function options(args: string[]): { seeds: string; check: boolean } {
  let seeds = resolve(root, '..', 'shared', 'seeds');
  let check = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--check') check = true;
    else if (args[i] === '--seeds') {
      const dir = args[++i];
      if (!dir) usage('--seeds needs a directory');
      seeds = resolve(dir);
    } else usage(`unknown option ${args[i]}`);
  }
  return { seeds, check };
}

function summary(c: ServiceCatalog): string {
  const actions = Object.values(c.actions);
  return `${c.service} ${c.version}: ${actions.length} actions, ${Object.keys(c.structures).length} structures, ${c.commonErrors.length} common and ${c.serviceErrors?.length ?? 0} service error codes`;
}

const { seeds, check } = options(process.argv.slice(2));
if (!existsSync(seeds)) usage(`no docs at ${seeds}`);
const files = readdirSync(seeds)
  .filter((f) => f.endsWith('.txt'))
  .sort();
if (files.length === 0) usage(`no .txt files in ${seeds}`);

let catalogs: ServiceCatalog[];
try {
  catalogs = parseDocs(files.map((f) => readFileSync(join(seeds, f), 'utf8')));
} catch (e) {
  // The parser names the line; say which files it was reading.
  console.error(`could not read the docs in ${seeds} (${files.join(', ')}): ${(e as Error).message}`);
  process.exit(1);
}

let differs = 0;
const written = new Set<string>();
for (const catalog of catalogs) {
  const file = join(out, `${catalog.service}-${catalog.version}.json`);
  written.add(file);
  const text = `${JSON.stringify(catalog, null, 2)}\n`;
  if (check) {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (current !== text) {
      differs++;
      console.error(`${relative(root, file)} differs from what the docs give`);
    }
  } else {
    writeFileSync(file, text);
  }
  console.log(summary(catalog));
}
for (const f of readdirSync(out).filter((f) => f.endsWith('.json'))) {
  if (!written.has(join(out, f)))
    console.warn(`${f} is not in the docs any more: delete it and its import in index.ts`);
}
if (check && differs) console.error('run "npm run catalog" to regenerate');
process.exitCode = differs ? 1 : 0;
