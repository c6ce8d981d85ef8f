/**
 * The catalog in a bundle: the CLI's ESM bundle (split into chunks) and the extension's CommonJS one read the JSON
 * files copied beside the output that holds the loader, and nothing else; a bundle whose files are missing fails
 * loudly instead of knowing no actions.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
// @ts-expect-error: a build script in plain JavaScript, no declarations
import { catalogDefine, copyCatalog } from '../../scripts/bundle-catalog.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = `
import { findAction, loadedCatalogs } from ${JSON.stringify(join(root, 'packages/core/src/catalog/index.ts'))};
const a = findAction('cfs', 'DescribeCfsFileSystems', '2019-07-19');
console.log(JSON.stringify({ action: a.name, version: a.version, loaded: loadedCatalogs() }));
`;

describe('scripts/bundle-catalog: the catalog beside a bundle', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tceops-bundle-catalog-'));
    writeFileSync(join(dir, 'entry.ts'), ENTRY);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (file: string) => spawnSync(process.execPath, [file], { encoding: 'utf8' });

  for (const format of ['esm', 'cjs'] as const) {
    it(`${format}: reads one service's file from catalog/ beside the output, none of it compiled in`, async () => {
      const outdir = join(dir, format);
      const result = await build({
        entryPoints: { main: join(dir, 'entry.ts') },
        bundle: true,
        platform: 'node',
        format,
        ...(format === 'esm' ? { splitting: true, chunkNames: 'chunks/[name]-[hash]' } : {}),
        outdir,
        outExtension: { '.js': format === 'esm' ? '.mjs' : '.cjs' },
        define: catalogDefine,
        metafile: true,
        logLevel: 'silent',
      });
      assert.ok(
        Object.values(result.metafile.outputs).every((o) =>
          Object.keys(o.inputs).every((input) => !input.includes('catalog/data/')),
        ),
        'no catalog JSON is compiled into the bundle',
      );
      const folders = copyCatalog(result.metafile, process.cwd()) as string[];
      assert.equal(folders.length, 1);
      assert.ok(readdirSync(folders[0]!).includes('cfs-2019-07-19.json'));
      const ok = run(join(outdir, `main.${format === 'esm' ? 'mjs' : 'cjs'}`));
      assert.equal(ok.status, 0, ok.stderr);
      assert.deepEqual(JSON.parse(ok.stdout), {
        action: 'DescribeCfsFileSystems',
        version: '2019-07-19',
        loaded: ['cfs-2019-07-19'],
      });
      // Without its files the bundle says so (ENOENT), rather than answering "unknown action".
      rmSync(folders[0]!, { recursive: true });
      const missing = run(join(outdir, `main.${format === 'esm' ? 'mjs' : 'cjs'}`));
      assert.notEqual(missing.status, 0);
      assert.match(missing.stderr, /ENOENT.*cfs-2019-07-19\.json/);
    });
  }
});
