// Bundles each runnable into one file, so it starts fast and ships without the workspace.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { catalogDefine, copyCatalog } from './scripts/bundle-catalog.mjs';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

// The CLI is split: the entry holds what every command needs, and each command's code (the Slack app, the emulator,
// PostgreSQL's client, the engine) is a chunk loaded when that command runs, so `tceops help` starts in a blink.
rmSync('packages/cli/dist', { recursive: true, force: true });
const cli = await build({
  ...common,
  entryPoints: { tceops: 'packages/cli/src/bin.ts' },
  outdir: 'packages/cli/dist',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  format: 'esm',
  // The API catalog is read from JSON files beside the chunk that loads it, one service at a time.
  define: catalogDefine,
  metafile: true,
  // Packages that load their own files at run time stay outside the bundle.
  external: ['pg-native'],
  // Bundled CommonJS packages call require(); give each ESM chunk one under a name nothing else uses.
  banner: {
    js: "import { createRequire as __tceopsRequire } from 'node:module'; const require = __tceopsRequire(import.meta.url);",
  },
});
if (copyCatalog(cli.metafile).length === 0) throw new Error('no CLI chunk holds the catalog loader');
// `tceops help` and `tceops --help` print fixed text: saved here from the bundle's own output, the launcher
// (packages/cli/bin/tceops.js) prints it without loading the bundle.
{
  const say = (...args) => {
    const run = spawnSync(process.execPath, ['packages/cli/dist/tceops.js', ...args], { encoding: 'utf8', env: {} });
    if (run.status !== 0) throw new Error(`tceops ${args.join(' ')} failed: ${run.stderr}`);
    return run.stdout;
  };
  writeFileSync('packages/cli/dist/help.json', JSON.stringify({ usage: say('--help'), help: say('help') }));
}

// Every command but the Slack app (bot, start) again, as one minified CommonJS file: the launcher runs it with a V8
// code cache (Node 20 caches no compiled code itself, and compiling is most of a command's start). Without the Slack
// app (2 MB of Bolt, Express and undici) it is 0.6 MB, so a command reads and keeps little.
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
const cjs = await build({
  ...common,
  entryPoints: ['packages/cli/src/bin.ts'],
  outfile: 'packages/cli/dist/cli.cjs',
  format: 'cjs',
  minify: true,
  keepNames: true,
  define: { ...catalogDefine, 'import.meta.url': '__tceopsImportMetaUrl' },
  banner: { js: "const __tceopsImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  metafile: true,
  external: ['pg-native'],
  plugins: [slackLeftOut],
});
if (copyCatalog(cjs.metafile).length === 0) throw new Error('dist/cli.cjs holds no catalog loader');
// The code cache: what a command compiles, saved from one run of the launcher's own loader — a dry run of a call
// (policy, store, catalog, plan; nothing sent) in a throwaway home.
{
  const home = mkdtempSync(join(tmpdir(), 'tceops-build-'));
  const load = "require('./packages/cli/bin/tceops.js').runCommonJs('packages/cli/dist/cli.cjs', { saveCache: true })";
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
  if (run.status !== 0 || !existsSync('packages/cli/dist/cli.cjs.cache'))
    throw new Error(`saving the code cache failed: ${run.stderr}`);
}

// ---- VS Code extension (packages/vscode) -------------------------------------------------------------------------
// CommonJS with `vscode` left to the host; the settings live in packages/vscode/build.mjs, which also builds alone.
{
  const { buildVscode } = await import('./packages/vscode/build.mjs');
  await buildVscode({ tests: false });
}
// ---- end VS Code extension ---------------------------------------------------------------------------------------
