/** Open the store TCEOPS_STORE names (see url.ts for what it may say). */
import { FileStore } from './file.ts';
import type { LockOptions } from './lock.ts';
import { PostgresStore } from './postgres.ts';
import type { Store } from './types.ts';
import { parseStoreUrl } from './url.ts';

export { DEFAULT_STORE_DIR, maskStoreUrl, parseStoreUrl, type StoreLocation } from './url.ts';

export interface OpenStoreOptions extends LockOptions {
  cwd?: string;
  home?: string;
}

/** Open the store TCEOPS_STORE (or `url`) names; a bad value is a ConfigError that says what to write. */
export async function openStore(
  url: string | undefined = process.env.TCEOPS_STORE,
  options: OpenStoreOptions = {},
): Promise<Store> {
  const location = parseStoreUrl(url, options.cwd, options.home);
  if (location.kind === 'file') return FileStore.open(location.dir, options);
  return PostgresStore.open(location.url);
}
