export { FileStore } from './file.ts';
export type { LockOptions } from './lock.ts';
export {
  DEFAULT_STORE_DIR,
  maskStoreUrl,
  type OpenStoreOptions,
  openStore,
  parseStoreUrl,
  type StoreLocation,
} from './open.ts';
export { type PostgresOptions, PostgresStore } from './postgres.ts';
export type { ApprovalFilter, Store, StoredAuditLine } from './types.ts';
