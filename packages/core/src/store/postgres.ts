/** Placeholder until the PostgreSQL store lands. */
import { ConfigError } from '../api/errors.ts';
import type { Store } from './types.ts';

export const PostgresStore = {
  async open(_url: string): Promise<Store> {
    throw new ConfigError('the PostgreSQL store is not built yet');
  },
};
