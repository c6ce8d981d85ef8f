/**
 * Where the catalog's JSON files are, and reading one. Each service version is its own file, read (synchronously,
 * once) when that service is first used: a command on CVM parses CVM's catalog, not every service's.
 * In the sources the files are ./data/; a bundle copies them next to the output file that holds this module and
 * says where with __TCEOPS_CATALOG_DIR__ (esbuild `define`, scripts/bundle-catalog.mjs).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

declare const __TCEOPS_CATALOG_DIR__: string | undefined;

/** Every service version, in the order listings show them (a test checks this is exactly what data/ holds). */
export const CATALOG_FILES = ['cvm-2017-03-12', 'cfs-2018-04-16', 'cfs-2019-07-19', 'csm-2021-09-15'] as const;

function catalogDir(): URL {
  // This file's URL: ESM has import.meta.url; CommonJS (the extension's bundle, where esbuild leaves import.meta
  // empty) has __filename. Not __filename first: `node -e` and the REPL set a global one ("[eval]") seen by ESM too.
  const here = typeof import.meta.url === 'string' ? import.meta.url : pathToFileURL(__filename).href;
  return new URL(typeof __TCEOPS_CATALOG_DIR__ === 'string' ? __TCEOPS_CATALOG_DIR__ : './data/', here);
}

/** The parsed JSON of one file of CATALOG_FILES. */
export function readCatalogFile(name: (typeof CATALOG_FILES)[number]): unknown {
  return JSON.parse(readFileSync(new URL(`${name}.json`, catalogDir()), 'utf8'));
}
