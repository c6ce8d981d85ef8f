/** Where the catalog's files are found from: the sources wherever they are loaded from, not the caller's folder. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const index = fileURLToPath(new URL('../../src/catalog/index.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');

describe('catalog/files: finding the data', () => {
  it('works from `node -e` in another folder (node sets a global __filename there that ESM modules see)', function () {
    this.timeout(30_000);
    const elsewhere = mkdtempSync(join(tmpdir(), 'tceops-catalog-'));
    try {
      const script = `import(${JSON.stringify(index)}).then((c) => console.log(c.findAction('cvm', 'StopInstances')?.name))`;
      const run = spawnSync(process.execPath, ['--import', tsx, '-e', script], { cwd: elsewhere, encoding: 'utf8' });
      assert.equal(run.stderr, '');
      assert.equal(run.stdout.trim(), 'StopInstances');
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
