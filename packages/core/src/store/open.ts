/** Open the store TCEOPS_STORE names (see url.ts for what it may say). */
import { resolveStoreKey, type StoreKey } from '../integrity/key.ts';
import { SealedStore } from '../integrity/sealed-store.ts';
import { lazyFrom } from '../lazy.ts';
import { FileStore } from './file.ts';
import type { LockOptions } from './lock.ts';
import type { Store } from './types.ts';
import { parseStoreUrl } from './url.ts';

// PostgreSQL's store is loaded only when TCEOPS_STORE names a server: the file store's commands do not pay for it.
const lazy = lazyFrom((s) => require(s));
const postgres = lazy('./postgres.ts', () => import('./postgres.ts'));

export { DEFAULT_STORE_DIR, maskStoreUrl, parseStoreUrl, type StoreLocation } from './url.ts';

export interface OpenStoreOptions extends LockOptions {
  cwd?: string;
  home?: string;
  /** Where TCEOPS_STORE_KEY, HOME and XDG_CONFIG_HOME are read for the sealing key (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The sealing key itself (tests); by default resolved from env (integrity/key.ts). */
  key?: StoreKey;
}

/** Open the store TCEOPS_STORE (or `url`) names; a bad value is a ConfigError that says what to write. */
export async function openStore(
  url: string | undefined = process.env.TCEOPS_STORE,
  options: OpenStoreOptions = {},
): Promise<Store> {
  const location = parseStoreUrl(url, options.cwd, options.home);
  // The key first: a key that cannot be read stops here, before any record is written unsealed.
  const { key, source } = options.key ?? resolveStoreKey(options.env);
  // The inner store seals approval writes into a chain under its own lock (integrity/chain.ts).
  const inner =
    location.kind === 'file'
      ? await FileStore.open(location.dir, { ...options, chainKey: key })
      : await (await postgres()).PostgresStore.open(location.url, { chainKey: key });
  return new SealedStore(inner, key, source);
}
