#!/usr/bin/env node
// The `tceops` command (`npx tceops` in the repository finds it through the root package.json's bin). It runs a
// bundle, building it first when there is none yet — on a fresh clone, npm links bins before anything is built.
// CommonJS (bin/package.json), a few milliseconds quicker to start than an ES module. The build (esbuild.mjs) makes:
//   dist/help.json   what `tceops help`, `--help` and no arguments print, saved from the bundle's own output;
//   dist/cli.cjs     every command but the Slack app, one CommonJS file run with the V8 code cache the build saved
//                    beside it (cli.cjs.cache): Node 20 caches no compiled code of its own, so without it every
//                    command would compile its code again;
//   dist/tceops.js   every command, split into ES module chunks loaded as needed: `bot` and `start` (the Slack app).
const { existsSync, readFileSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');

const dist = join(__dirname, '..', 'dist');
const ESM_BUNDLE = join(dist, 'tceops.js');
const CJS_BUNDLE = join(dist, 'cli.cjs');
/** The commands only dist/tceops.js serves: dist/cli.cjs leaves the Slack app out. */
const SLACK_COMMANDS = ['bot', 'start'];

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

/**
 * Run a CommonJS file as require() would, compiled with the V8 code cache beside it (`<file>.cache`) when it was
 * saved for this very file. V8 itself only checks a cache's Node version, flags and the code's length (given another
 * file's cache it runs that file's code), so the cache starts with a line naming the SHA-256 of the file's bytes
 * (0.5 ms): a rebuilt or edited file never gets the old file's code, even at the same size and time (cp -p, tar).
 * With `saveCache` (the build), the cache is written at exit, holding what the run compiled.
 * Returns what became of the cache: 'used', 'stale' (made for another file), 'rejected' (by V8), 'none' or 'saving'.
 */
function runCommonJs(path, { saveCache = false } = {}) {
  const { writeFileSync } = require('node:fs');
  const { createHash } = require('node:crypto');
  const { createRequire, wrap } = require('node:module');
  const { Script } = require('node:vm');
  const file = resolve(path);
  const cacheFile = `${file}.cache`;
  const bytes = readFileSync(file);
  // A #! line is not JavaScript inside the wrapper; keep the length.
  const source = bytes.toString('utf8').replace(/^#!/, '//');
  const stamp = Buffer.from(`tceops code cache for sha256 ${createHash('sha256').update(bytes).digest('hex')}\n`);
  let cachedData;
  let state = saveCache ? 'saving' : 'none';
  if (!saveCache && existsSync(cacheFile)) {
    const saved = readFileSync(cacheFile);
    if (saved.subarray(0, stamp.length).equals(stamp)) cachedData = saved.subarray(stamp.length);
    else state = 'stale';
  }
  const script = new Script(wrap(source), { filename: file, cachedData });
  if (cachedData) state = script.cachedDataRejected ? 'rejected' : 'used';
  if (saveCache)
    process.once('exit', () => writeFileSync(cacheFile, Buffer.concat([stamp, script.createCachedData()])));
  const loaded = { exports: {}, id: file, filename: file };
  script.runInThisContext().call(loaded.exports, loaded.exports, createRequire(file), loaded, file, dirname(file));
  return state;
}

function build() {
  const root = join(__dirname, '..', '..', '..');
  process.stderr.write('tceops is not built yet: building it (npm run build)…\n');
  const built = require('node:child_process').spawnSync(process.execPath, ['esbuild.mjs'], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  if (built.status !== 0 || !existsSync(ESM_BUNDLE)) {
    process.stderr.write('tceops: the build failed; run `npm run build` in the repository to see why.\n');
    process.exit(1);
  }
}

function launch(argv) {
  const text = existsSync(ESM_BUNDLE) ? fixedText(argv) : undefined;
  if (typeof text === 'string') {
    // `tceops help | head -1`: a reader that went away is not an error.
    process.stdout.on('error', (error) => {
      if (error.code !== 'EPIPE') throw error;
    });
    process.stdout.write(text);
    return;
  }
  if (!existsSync(ESM_BUNDLE)) build();
  if (SLACK_COMMANDS.includes(argv[0]) || !existsSync(CJS_BUNDLE))
    import(require('node:url').pathToFileURL(ESM_BUNDLE).href);
  else runCommonJs(CJS_BUNDLE);
}

if (require.main === module) launch(process.argv.slice(2));
else module.exports = { runCommonJs };
