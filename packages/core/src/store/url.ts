/**
 * TCEOPS_STORE picks the store:
 *   unset or empty         the file store in ~/.tceops (one per user, like ~/.tccli)
 *   file:<dir>             the file store in <dir> (relative to the working directory; file:///abs and ~ work)
 *   postgres://… or postgresql://…   PostgreSQL; add ?schema=name to keep tceops' tables in their own schema
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../api/errors.ts';

export const DEFAULT_STORE_DIR = '~/.tceops';

const HINT = 'Set TCEOPS_STORE to file:<dir> (default ~/.tceops) or postgres://user:password@host:5432/database.';

export type StoreLocation = { kind: 'file'; dir: string } | { kind: 'postgres'; url: string };

/** A store URL fit for messages: the password masked. */
export function maskStoreUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1****@');
}

function expandHome(path: string, home: string): string {
  return path === '~' || path.startsWith('~/') ? join(home, path.slice(1)) : path;
}

export function parseStoreUrl(value: string | undefined, cwd = process.cwd(), home = homedir()): StoreLocation {
  const text = value?.trim() ?? '';
  if (text === '') return { kind: 'file', dir: expandHome(DEFAULT_STORE_DIR, home) };
  if (/^postgres(ql)?:\/\//i.test(text)) {
    try {
      const url = new URL(text);
      if (!url.hostname && !url.searchParams.get('host')) throw new Error('no host');
    } catch {
      throw new ConfigError(`TCEOPS_STORE "${maskStoreUrl(text)}" is not a valid PostgreSQL URL.\n${HINT}`);
    }
    return { kind: 'postgres', url: text };
  }
  if (/^file:/i.test(text)) {
    let dir: string;
    if (/^file:\/\//i.test(text)) {
      try {
        dir = fileURLToPath(text);
      } catch (error) {
        throw new ConfigError(`TCEOPS_STORE "${text}": ${(error as Error).message}.\n${HINT}`);
      }
    } else dir = text.slice(5);
    if (dir.trim() === '') throw new ConfigError(`TCEOPS_STORE "${text}" names no directory.\n${HINT}`);
    dir = expandHome(dir, home);
    return { kind: 'file', dir: isAbsolute(dir) ? dir : resolve(cwd, dir) };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1];
  throw new ConfigError(
    `TCEOPS_STORE "${maskStoreUrl(text)}" is not a store tceops knows${scheme ? ` (scheme "${scheme}:")` : ''}.\n${HINT}`,
  );
}
