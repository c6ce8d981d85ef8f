/**
 * The key that seals the records (audit, approvals, stored values): TCEOPS_STORE_KEY, or a key file created with
 * mode 0600 beside the configuration ($XDG_CONFIG_HOME/tceops/store.key, default ~/.config/tceops/store.key) —
 * never beside the data, so whoever can write the store (a database administrator, a shared directory) cannot
 * forge a record. Replicas sharing a PostgreSQL store must share TCEOPS_STORE_KEY.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError } from '../api/errors.ts';

export interface StoreKey {
  key: Buffer;
  /** Where it came from, for messages (never the key itself). */
  source: string;
}

const MIN_KEY_LENGTH = 32;

export function storeKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  const config = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(config, 'tceops', 'store.key');
}

export function resolveStoreKey(env: NodeJS.ProcessEnv = process.env): StoreKey {
  const given = env.TCEOPS_STORE_KEY;
  if (given !== undefined && given !== '') {
    if (given.length < MIN_KEY_LENGTH)
      throw new ConfigError(
        `TCEOPS_STORE_KEY is too short (${given.length} characters): use at least ${MIN_KEY_LENGTH} random characters, e.g. the output of "openssl rand -hex 32"`,
      );
    return { key: Buffer.from(given, 'utf8'), source: 'TCEOPS_STORE_KEY' };
  }
  const file = storeKeyFile(env);
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // 'wx': create only if absent, so two processes starting at once keep the first key.
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
      throw new ConfigError(`cannot create the store key ${file}: ${(error as Error).message}; set TCEOPS_STORE_KEY`);
  }
  const mode = statSync(file).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw new ConfigError(
      `the store key ${file} can be read by others (mode ${mode.toString(8)}): run "chmod 600 ${file}"`,
    );
  const text = readFileSync(file, 'utf8').trim();
  if (text.length < MIN_KEY_LENGTH) throw new ConfigError(`the store key ${file} is damaged (too short)`);
  return { key: Buffer.from(text, 'utf8'), source: file };
}
