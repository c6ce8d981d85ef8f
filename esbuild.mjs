// Bundles each runnable into one file, so it starts fast and ships without the workspace.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
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

// ---- VS Code extension (packages/vscode) -------------------------------------------------------------------------
// CommonJS with `vscode` left to the host; the settings live in packages/vscode/build.mjs, which also builds alone.
{
  const { buildVscode } = await import('./packages/vscode/build.mjs');
  await buildVscode({ tests: false });
}
// ---- end VS Code extension ---------------------------------------------------------------------------------------
