#!/usr/bin/env node
// The `tceops` command (`npx tceops` in the repository finds it through the root package.json's bin). It runs the
// bundle, building it first when it is not there yet — on a fresh clone, npm links bins before anything is built.
// CommonJS (bin/package.json) and nothing required but fs and path: a CommonJS start is a few milliseconds quicker
// than an ES module's, and `tceops help` / `--help` / no arguments print the text the build saved from the bundle's
// own output (dist/help.json), so they load nothing else.
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, '..', 'dist');
const bundle = join(dist, 'tceops.js');

function fixedText(argv) {
  const topic =
    argv.length === 0 || (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h'))
      ? 'usage'
      : argv.length === 1 && argv[0] === 'help'
        ? 'help'
        : undefined;
  if (!topic) return undefined;
  try {
    return JSON.parse(readFileSync(join(dist, 'help.json'), 'utf8'))[topic];
  } catch {
    return undefined; // not built yet, or an older build: the bundle answers
  }
}

const text = existsSync(bundle) ? fixedText(process.argv.slice(2)) : undefined;
if (typeof text === 'string') {
  // `tceops help | head -1`: a reader that went away is not an error.
  process.stdout.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
  });
  process.stdout.write(text);
} else {
  if (!existsSync(bundle)) {
    const root = join(__dirname, '..', '..', '..');
    process.stderr.write('tceops is not built yet: building it (npm run build)…\n');
    const built = require('node:child_process').spawnSync(process.execPath, ['esbuild.mjs'], {
      cwd: root,
      stdio: ['ignore', 2, 2],
    });
    if (built.status !== 0 || !existsSync(bundle)) {
      process.stderr.write('tceops: the build failed; run `npm run build` in the repository to see why.\n');
      process.exit(1);
    }
  }
  import(require('node:url').pathToFileURL(bundle).href);
}
