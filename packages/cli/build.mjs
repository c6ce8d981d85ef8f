// Builds the terminal's bundles into packages/cli/dist (or `dist`), for the launcher bin/tceops.js:
//   tceops.js + chunks/   every command, ES module chunks loaded as each command needs them (bot and start run it);
//   cli.cjs               every command but the Slack app, one minified CommonJS file, run with...
//   cli.cjs.cache         ...the V8 code cache saved from a dry-run call (Node 20 keeps no compiled code itself);
//   help.json             what `tceops help` and `--help` print, saved from the bundle's own output;
//   catalog/, chunks/catalog/   the API catalog, one JSON file per service version, beside what reads it.
// Run alone (`node packages/cli/build.mjs`) or from the root esbuild.mjs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { catalogDefine, copyCatalog } from '../../scripts/bundle-catalog.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const LAUNCHER = join(here, 'bin', 'tceops.js');

// The Slack app (2 MB of Bolt, Express and undici) stays out of cli.cjs; bot and start run tceops.js.
const slackLeftOut = {
  name: 'slack-left-out',
  setup(b) {
    b.onResolve({ filter: /^@tceops\/slack$/ }, () => ({ path: 'slack', namespace: 'slack-left-out' }));
    b.onLoad({ filter: /.*/, namespace: 'slack-left-out' }, () => ({
      contents:
        "export function slackMode() { throw new Error('the Slack app is in dist/tceops.js, not dist/cli.cjs'); }\n" +
        'export const runBot = slackMode;',
      loader: 'js',
    }));
  },
};

export async function buildCli({ dist = join(here, 'dist') } = {}) {
  const common = {
    absWorkingDir: here,
    bundle: true,
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    metafile: true,
    // Packages that load their own files at run time stay outside the bundle.
    external: ['pg-native'],
  };
  rmSync(dist, { recursive: true, force: true });

  // Split: the entry holds what every command needs, each command's code (the Slack app, the emulator, PostgreSQL's
  // client, the engine) is a chunk loaded when that command runs.
  const esm = await build({
    ...common,
    entryPoints: { tceops: 'src/bin.ts' },
    outdir: dist,
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    format: 'esm',
    // The API catalog is read from JSON files beside the chunk that loads it, one service at a time.
    define: catalogDefine,
    // Bundled CommonJS packages call require(); give each ESM chunk one under a name nothing else uses.
    banner: {
      js: "import { createRequire as __tceopsRequire } from 'node:module'; const require = __tceopsRequire(import.meta.url);",
    },
  });
  if (copyCatalog(esm.metafile, here).length === 0) throw new Error('no CLI chunk holds the catalog loader');

  // `tceops help` and `--help` print fixed text, saved from the bundle's own output.
  const say = (...args) => {
    const run = spawnSync(process.execPath, [join(dist, 'tceops.js'), ...args], { encoding: 'utf8', env: {} });
    if (run.status !== 0) throw new Error(`tceops ${args.join(' ')} failed: ${run.stderr}`);
    return run.stdout;
  };
  writeFileSync(join(dist, 'help.json'), JSON.stringify({ usage: say('--help'), help: say('help') }));

  // One CommonJS file, minified, without the Slack app: 0.9 MB that a command reads and keeps (0.3 MB of it undici's
  // pool, inlined: a CommonJS bundle inlines its import()s; compiled only when a process has sent 32 requests).
  const cjs = await build({
    ...common,
    entryPoints: ['src/bin.ts'],
    outfile: join(dist, 'cli.cjs'),
    format: 'cjs',
    minify: true,
    keepNames: true,
    define: { ...catalogDefine, 'import.meta.url': '__tceopsImportMetaUrl' },
    banner: { js: "const __tceopsImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [slackLeftOut],
  });
  if (copyCatalog(cjs.metafile, here).length === 0) throw new Error('cli.cjs holds no catalog loader');

  // Its code cache: what a command compiles, saved by the launcher's own loader from a dry run of a call (policy,
  // store, catalog, plan; nothing sent) in a throwaway home.
  const home = mkdtempSync(join(tmpdir(), 'tceops-build-'));
  const load = `require(${JSON.stringify(LAUNCHER)}).runCommonJs(${JSON.stringify(join(dist, 'cli.cjs'))}, { saveCache: true })`;
  // With -e, process.argv[1] is the first word after the code: a placeholder, so the command is argv.slice(2).
  const run = spawnSync(
    process.execPath,
    ['-e', load, 'tceops', 'call', 'cvm', 'DescribeInstances', '--Limit', '20', '--dry-run'],
    {
      encoding: 'utf8',
      env: {
        HOME: home,
        TCEOPS_STORE: `file:${join(home, 'store')}`,
        TCE_ENDPOINT: 'http://127.0.0.1:9',
        TENCENTCLOUD_SECRET_ID: 'AKIDBUILDONLY',
        TENCENTCLOUD_SECRET_KEY: 'build-only',
        TENCENTCLOUD_REGION: 'ap-guangzhou',
      },
    },
  );
  rmSync(home, { recursive: true, force: true });
  if (run.status !== 0 || !existsSync(join(dist, 'cli.cjs.cache')))
    throw new Error(`saving the code cache failed: ${run.stderr}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildCli();
