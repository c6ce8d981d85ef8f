/**
 * A lock file shared by every process using one store directory: created with O_EXCL ("wx"), so exactly one
 * process holds it. A holder that died (same host, pid gone) or held it far too long is broken, under a second
 * lock, so two processes breaking one stale lock cannot remove each other's fresh ones.
 */
import { randomUUID } from 'node:crypto';
import { readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { ConfigError } from '../api/errors.ts';

export interface LockOptions {
  /** Give up waiting after this long (default 15 s). */
  timeoutMs?: number;
  /** A lock older than this is broken even if its process may live (default 30 s; a holder needs milliseconds). */
  staleMs?: number;
}

interface Holder {
  pid: number;
  host: string;
  nonce: string;
  at: string;
}

const BREAKER_STALE_MS = 5_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function ageMs(path: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

export class FileLock {
  private readonly timeoutMs: number;
  private readonly staleMs: number;
  constructor(
    readonly path: string,
    options: LockOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.staleMs = options.staleMs ?? 30_000;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const nonce = await this.acquire();
    try {
      return await work();
    } finally {
      await this.release(nonce);
    }
  }

  private async acquire(): Promise<string> {
    const nonce = randomUUID();
    const body = JSON.stringify({
      pid: process.pid,
      host: hostname(),
      nonce,
      at: new Date().toISOString(),
    } satisfies Holder);
    const deadline = Date.now() + this.timeoutMs;
    let wait = 1;
    for (;;) {
      try {
        await writeFile(this.path, body, { flag: 'wx', mode: 0o600 });
        return nonce;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      if (await this.breakIfStale()) continue;
      if (Date.now() > deadline) {
        const holder = await readText(this.path);
        throw new ConfigError(
          `the store lock ${this.path} has been held for over ${this.timeoutMs / 1000}s${holder ? ` by ${holder}` : ''}.\n` +
            'If no tceops process is running, remove that file and try again.',
        );
      }
      await sleep(wait + Math.random() * wait);
      wait = Math.min(wait * 2, 25);
    }
  }

  /** True when the lock was stale and is gone now (or was already gone): try again at once. */
  private async breakIfStale(): Promise<boolean> {
    const raw = await readText(this.path);
    if (raw === undefined) return true;
    let stale = false;
    try {
      const holder = JSON.parse(raw) as Holder;
      if (holder.host === hostname() && !processAlive(holder.pid)) stale = true;
      else if (Date.now() - Date.parse(holder.at) > this.staleMs) stale = true;
    } catch {
      // Created but not written yet, or written by a process that died between the two: judge by age.
      const age = await ageMs(this.path);
      stale = age !== undefined && age > this.staleMs;
    }
    if (!stale) return false;
    const breaker = `${this.path}.break`;
    try {
      await writeFile(breaker, String(process.pid), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await ageMs(breaker);
      if (age !== undefined && age > BREAKER_STALE_MS) await unlink(breaker).catch(() => {});
      return false;
    }
    try {
      // Only remove the very lock judged stale, not one taken meanwhile.
      if ((await readText(this.path)) === raw) await unlink(this.path).catch(() => {});
    } finally {
      await unlink(breaker).catch(() => {});
    }
    return true;
  }

  private async release(nonce: string): Promise<void> {
    const raw = await readText(this.path);
    if (raw === undefined) return;
    try {
      if ((JSON.parse(raw) as Holder).nonce !== nonce) return;
    } catch {
      return;
    }
    await unlink(this.path).catch(() => {});
  }
}
