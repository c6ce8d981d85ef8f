#!/usr/bin/env node
// The `tceops` command (`npx tceops` in the repository finds it through the root package.json's bin). It runs the
// bundle, building it first when it is not there yet — on a fresh clone, npm links bins before anything is built.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/tceops.js', import.meta.url);
if (!existsSync(bundle)) {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  process.stderr.write('tceops is not built yet: building it (npm run build)…\n');
  const built = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (built.status !== 0 || !existsSync(bundle)) {
    process.stderr.write('tceops: the build failed; run `npm run build` in the repository to see why.\n');
    process.exit(1);
  }
}
await import(bundle.href);
