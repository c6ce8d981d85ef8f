/**
 * Runs the extension in a real VS Code workbench with no network: code-server (VS Code 1.100 on Node 20) on
 * loopback, driven by Debian's Chromium through playwright-core. See the testing guide for why each flag.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXTENSION_DIR = path.join(ROOT, 'packages', 'vscode');
const manifest = JSON.parse(readFileSync(path.join(EXTENSION_DIR, 'package.json'), 'utf8'));
export const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

export function codeServerBinary(): string | undefined {
  const candidates = [
    process.env.TCEOPS_CODE_SERVER,
    path.join(
      process.env.TCEOPS_CODE_SERVER_DIR ?? path.join(ROOT, '.cache', 'code-server'),
      'node_modules',
      '.bin',
      'code-server',
    ),
  ];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

export function chromiumBinary(): string | undefined {
  return [process.env.TCEOPS_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
    (c): c is string => !!c && existsSync(c),
  );
}

/** Why the real-VS-Code tests cannot run here, or undefined when they can. */
export function missingPrerequisite(): string | undefined {
  if (!codeServerBinary()) return 'code-server is not installed (run test/vscode/install-code-server.sh)';
  if (!chromiumBinary()) return 'chromium is not installed (apt-get install -y chromium)';
  if (!existsSync(path.join(EXTENSION_DIR, 'dist', 'extension.js')))
    return 'the extension is not built (node packages/vscode/build.mjs)';
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface CodeServer {
  base: string;
  host: string;
  runDir: string;
  workspace: string;
  pid: number;
  log(): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** User settings (settings.json). */
  settings?: Record<string, unknown>;
  /** Install the extension into the extensions dir (the UI test); otherwise load it as a development extension. */
  installExtension?: boolean;
  /** Install this .vsix instead of linking the source folder (proves the package works). */
  vsix?: string;
  env?: NodeJS.ProcessEnv;
  /** Leave out of the inherited environment everything naming cloud keys, a cloud, a tccli profile or a tceops
   * store (TENCENTCLOUD_*, TCE_*, TCCLI_*, TCEOPS_*): server mode, where the editor can reach only the server. */
  noCloud?: boolean;
}

function withoutCloud(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^(TENCENTCLOUD_|TCE_|TCCLI_|TCEOPS_)/.test(key)));
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const binary = codeServerBinary();
  if (!binary) throw new Error(missingPrerequisite());
  const runDir = mkdtempSync(path.join(tmpdir(), 'tceops-cs-'));
  const home = path.join(runDir, 'home');
  const userData = path.join(runDir, 'ud');
  const extensions = path.join(runDir, 'exts');
  const workspace = path.join(runDir, 'ws');
  for (const dir of [home, path.join(userData, 'User'), extensions, workspace]) mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'update.mode': 'none',
        // Sticky group headers cover the first rows, where tests click.
        'workbench.tree.enableStickyScroll': false,
        ...options.settings,
      },
      null,
      2,
    ),
  );
  if (options.vsix) {
    const installed = spawnSync(
      binary,
      ['--extensions-dir', extensions, '--user-data-dir', userData, '--install-extension', options.vsix],
      {
        env: { ...process.env, HOME: home },
        encoding: 'utf8',
      },
    );
    if (installed.status !== 0)
      throw new Error(`code-server could not install ${options.vsix}:\n${installed.stdout}${installed.stderr}`);
  } else if (options.installExtension) {
    symlinkSync(EXTENSION_DIR, path.join(extensions, `${EXTENSION_ID}-${manifest.version}`));
  }
  const port = await freePort();
  const logFile = path.join(runDir, 'cs.log');
  const out: string[] = [];
  const child: ChildProcess = spawn(
    binary,
    [
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--user-data-dir',
      userData,
      '--extensions-dir',
      extensions,
      workspace,
    ],
    // Its own process group: file watchers and extension hosts would otherwise outlive it.
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...(options.noCloud ? withoutCloud(process.env) : process.env), ...options.env, HOME: home },
    },
  );
  // Should the test process end without stop() (a crash, Ctrl-C), take the whole group down with it.
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {}
  };
  process.once('exit', killGroup);
  child.stdout!.on('data', (d) => out.push(String(d)));
  child.stderr!.on('data', (d) => out.push(String(d)));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    process.off('exit', killGroup);
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {}
      await new Promise((r) => setTimeout(r, 300));
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
    }
    writeFileSync(logFile, out.join(''));
    if (!process.env.TCEOPS_KEEP_RUN) rmSync(runDir, { recursive: true, force: true });
  };
  for (let i = 0; i < 200; i++) {
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok)
        return { base, host: `127.0.0.1:${port}`, runDir, workspace, pid: child.pid!, log: () => out.join(''), stop };
    } catch {}
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const log = out.join('');
  await stop();
  throw new Error(`code-server did not start:\n${log.slice(-2000)}`);
}

/** Package the extension with vsce (bundled, no dependencies) into `out`; returns the .vsix path. */
export function packageVsix(out: string): string {
  const vsce = path.join(ROOT, 'node_modules', '.bin', 'vsce');
  const file = path.join(out, `${EXTENSION_ID}-${manifest.version}.vsix`);
  const result = spawnSync(
    vsce,
    ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', file],
    {
      cwd: EXTENSION_DIR,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`vsce package failed:\n${result.stdout}${result.stderr}`);
  return file;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumBinary(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * Run the in-host mocha suite (out/test/integration/index.js) in the workbench; resolves with the exit code
 * the workbench reports (0 passed) and the page's console, where mocha prints.
 */
export async function runInHost(
  cs: CodeServer,
  browser: Browser,
  timeoutMs = 180_000,
): Promise<{ code: number; console: string[] }> {
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${cs.host}${EXTENSION_DIR}`],
    ['extensionTestsPath', `vscode-remote://${cs.host}${EXTENSION_DIR}/out/test/integration/index.js`],
  ];
  const page = await browser.newPage();
  const lines: string[] = [];
  page.on('console', (m) => lines.push(m.text()));
  try {
    const code = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the in-host tests did not finish in ${timeoutMs} ms:\n${lines.slice(-40).join('\n')}`)),
        timeoutMs,
      );
      void page
        .exposeFunction('codeAutomationExit', (c: number) => {
          clearTimeout(timer);
          resolve(c);
        })
        .then(() =>
          page.goto(
            `${cs.base}/?folder=${encodeURIComponent(cs.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
          ),
        )
        .catch(reject);
    });
    return { code, console: lines };
  } finally {
    await page.close();
  }
}

export async function openWorkbench(cs: CodeServer, browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${cs.base}/?folder=${encodeURIComponent(cs.workspace)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  return page;
}
