/**
 * A module loaded when it is first needed, so that a path that does not use it does not pay for it: bundles split
 * at these import()s (the CommonJS bundle of the extension inlines them). Specifiers are relative to this folder.
 *
 * When the TypeScript sources run as CommonJS (mocha requires them through tsx), an import() would load a second
 * copy of every module — two ConfigError classes, two secret registries — so there they are required.
 */
const commonJsSources = typeof __filename === 'string' && __filename.endsWith('.ts') && typeof require === 'function';

export function lazy<T>(specifier: string, load: () => Promise<T>): () => Promise<T> {
  return commonJsSources ? async () => require(specifier) as T : load;
}
