#!/usr/bin/env node
// The `tceops` command npm links. npm links a bin when it installs, before `npm run build` creates the bundle, so
// the link points at this committed file, which runs the bundle — building it first when it is not there yet.
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
