// Bundles the extension (CommonJS, `vscode` left to the host) and the in-host integration tests.
// Run alone (`node packages/vscode/build.mjs`) or from the root esbuild.mjs.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { catalogDefine, copyCatalog } from '../../scripts/bundle-catalog.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));

export async function buildVscode({ tests = true } = {}) {
  const common = {
    absWorkingDir: here,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
    // pg-native is an optional add-on of pg the extension never loads.
    external: ['vscode', 'pg-native'],
    // ESM dependencies (yargs-parser) call createRequire(import.meta.url): give them this file's URL.
    // The API catalog is read from dist/catalog/ (copied below), one service at a time.
    define: { 'import.meta.url': '__tceopsImportMetaUrl', ...catalogDefine },
    metafile: true,
    banner: { js: "const __tceopsImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  };
  // Minified: the host parses it at every activation; the source map keeps stacks readable.
  const extension = await build({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    minify: true,
    keepNames: true,
  });
  if (copyCatalog(extension.metafile, here).length === 0) throw new Error('the extension bundle holds no catalog');
  if (tests) {
    // The suite run inside a real extension host (code-server, or VS Code through @vscode/test-electron).
    // mocha stays outside: the host resolves it from the workspace's node_modules.
    const suite = await build({
      ...common,
      entryPoints: ['../../test/vscode/integration/index.ts'],
      outfile: 'out/test/integration/index.js',
      external: [...common.external, 'mocha'],
    });
    copyCatalog(suite.metafile, here);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildVscode({ tests: !process.argv.includes('--no-tests') });
}
