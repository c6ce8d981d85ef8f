/**
 * Modules a command loads when it runs, so that each command pays only for what it uses: the bundle
 * (esbuild.mjs) is split at these import()s. Specifiers are relative to this folder.
 *
 * Under the test runner the sources run as CommonJS (mocha requires them through tsx), and an import() there would
 * load a second copy of every module — two InputError classes, two secret registries — so there they are required.
 */
const commonJsSources = typeof __filename === 'string' && __filename.endsWith('.ts') && typeof require === 'function';

export function lazy<T>(specifier: string, load: () => Promise<T>): () => Promise<T> {
  return commonJsSources ? async () => require(specifier) as T : load;
}
