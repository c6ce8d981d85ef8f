// The API catalog in a bundle (esbuild.mjs, packages/vscode/build.mjs): its JSON files are not compiled into the
// JavaScript but copied, minified, into a `catalog/` folder next to each output file that holds the catalog's
// loader (packages/core/src/catalog/files.ts), which reads only the service a command uses.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const DATA = fileURLToPath(new URL('../packages/core/src/catalog/data/', import.meta.url));
const LOADER = /core[\\/]src[\\/]catalog[\\/]files\.ts$/;

/** esbuild `define`: where the loader looks, relative to the output file it ends up in. */
export const catalogDefine = { __TCEOPS_CATALOG_DIR__: JSON.stringify('./catalog/') };

/**
 * Copy the catalog next to every output of `metafile` (paths relative to `workingDir`) that holds the loader.
 * Returns the folders written.
 */
export function copyCatalog(metafile, workingDir = process.cwd()) {
  const files = readdirSync(DATA).filter((name) => name.endsWith('.json'));
  const folders = [];
  for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
    if (!Object.keys(inputs).some((input) => LOADER.test(input))) continue;
    const folder = join(dirname(resolve(workingDir, output)), 'catalog');
    mkdirSync(folder, { recursive: true });
    for (const name of files)
      writeFileSync(join(folder, name), JSON.stringify(JSON.parse(readFileSync(join(DATA, name), 'utf8'))));
    folders.push(folder);
  }
  return folders;
}
