// Bundles each runnable into one file, so it starts fast and ships without the workspace.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

await build({
  ...common,
  entryPoints: ['packages/cli/src/bin.ts'],
  outfile: 'packages/cli/dist/tceops.js',
  format: 'esm',
  // Packages that load their own files at run time stay outside the bundle.
  external: ['pg-native'],
  // Bundled CommonJS packages call require(); give the ESM bundle one under a name nothing else uses.
  banner: {
    js: "import { createRequire as __tceopsRequire } from 'node:module'; const require = __tceopsRequire(import.meta.url);",
  },
});

// ---- VS Code extension (packages/vscode) -------------------------------------------------------------------------
// CommonJS with `vscode` left to the host; the settings live in packages/vscode/build.mjs, which also builds alone.
{
  const { buildVscode } = await import('./packages/vscode/build.mjs');
  await buildVscode({ tests: false });
}
// ---- end VS Code extension ---------------------------------------------------------------------------------------
