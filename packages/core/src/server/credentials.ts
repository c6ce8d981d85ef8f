/**
 * The terminal's sign-in: ~/.tceops/credentials, JSON, mode 0600 (written to a temporary file of that mode and
 * renamed, so it is never readable by others even for a moment). A file others can read is refused, as ssh does.
 * TCEOPS_TOKEN (with TCEOPS_SERVER or --server) is used instead of the file when set.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError } from '../api/errors.ts';

export interface SavedCredentials {
  server: string;
  token: string;
  /** Who the token stands for, as the server said: for "tceops login" to show; the server decides anyway. */
  user?: { id: string; name?: string };
  tokenId?: string;
  expiresAt?: string;
}

export function credentialsFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.HOME || homedir(), '.tceops', 'credentials');
}

export function readCredentials(env: NodeJS.ProcessEnv = process.env): SavedCredentials | undefined {
  const file = credentialsFile(env);
  let text: string;
  try {
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0)
      throw new ConfigError(
        `${file} can be read by others: run "chmod 600 ${file}", or "tceops logout" and sign in again`,
      );
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const saved = JSON.parse(text) as SavedCredentials;
    if (typeof saved.server === 'string' && typeof saved.token === 'string') return saved;
  } catch {
    // below
  }
  throw new ConfigError(`${file} is damaged: run "tceops logout" and "tceops login --server URL" again`);
}

export function writeCredentials(saved: SavedCredentials, env: NodeJS.ProcessEnv = process.env): string {
  const file = credentialsFile(env);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
  return file;
}

export function removeCredentials(env: NodeJS.ProcessEnv = process.env): void {
  rmSync(credentialsFile(env), { force: true });
}
