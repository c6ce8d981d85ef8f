/**
 * Modules loaded when first needed, so that a path that does not use one does not pay for it: bundles split at the
 * caller's import()s (a CommonJS bundle inlines them).
 *
 * When the TypeScript sources run as CommonJS (mocha requires them through tsx), an import() would load a second
 * copy of every module — two InputError classes, two secret registries — so there the module is required instead,
 * through the caller's own require: a relative specifier resolves from the module that requires it. The caller
 * passes `(s) => require(s)`: an arrow, so an ES module (which has no require) never reads it, and a variable
 * specifier, so no bundler follows it back into the start.
 */
const commonJsSources = typeof __filename === 'string' && __filename.endsWith('.ts') && typeof require === 'function';

/** `const lazy = lazyFrom((s) => require(s));` then `lazy('./x.ts', () => import('./x.ts'))`, the same specifier twice. */
export function lazyFrom(requireHere: (specifier: string) => unknown) {
  return <T>(specifier: string, load: () => Promise<T>): (() => Promise<T>) =>
    commonJsSources ? async () => requireHere(specifier) as T : load;
}
