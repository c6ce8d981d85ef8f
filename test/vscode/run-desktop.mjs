// The in-host suite in desktop VS Code, through @vscode/test-electron, for machines that can download VS Code
// (it fetches a build at run time, so CI here uses code-server instead: see test/vscode/code-server.test.ts).
// Usage: npm run test:desktop -w tceops-vscode   (VSCODE_VERSION picks another build; default 1.100.3)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const extensionDevelopmentPath = path.join(root, 'packages', 'vscode');
const workspace = mkdtempSync(path.join(tmpdir(), 'tceops-desktop-'));

try {
  await runTests({
    version: process.env.VSCODE_VERSION ?? '1.100.3',
    extensionDevelopmentPath,
    extensionTestsPath: path.join(extensionDevelopmentPath, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
    ],
  });
} catch (error) {
  console.error(`the desktop run failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
