import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Runs `tceops console` in a child process with no cloud configured, typing the given lines. */
function consoleSession(lines: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const home = mkdtempSync(join(tmpdir(), 'tceops-console-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'packages/cli/src/bin.ts'), 'console', '--as', 'alice'],
    {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: home, TCEOPS_STORE: `file:${join(home, 'store')}` },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  // One line at a time, each after the previous answer has had time to arrive.
  (async () => {
    for (const line of lines) {
      await new Promise((r) => setTimeout(r, 50));
      child.stdin.write(`${line}\n`);
    }
    child.stdin.end();
  })();
  return new Promise((resolveRun) => child.on('close', (code) => resolveRun({ code, stdout, stderr })));
}

describe('cli console', function () {
  this.timeout(60_000);

  it('starts an embedded emulator when no cloud is configured, and lets users switch to approve', async () => {
    const { code, stdout, stderr } = await consoleSession([
      'cvm stop worker-2',
      'y',
      'cvm terminate worker-6',
      'as bob',
      'whoami',
      'approvals',
      'exit',
    ]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /No cloud is configured: using an embedded TCE emulator at http:\/\/127\.0\.0\.1:\d+/);
    assert.match(stdout, /Proceed\? \[y\/N\][\s\S]*Stop 1 instance in ap-guangzhou: 1 ok, 0 failed/);
    assert.match(stdout, /ins-[a-z0-9]{8} is STOPPED ✓/);
    assert.match(stdout, /Queued for approval; nothing has run yet/);
    assert.match(stdout, /now typing as bob\nbob> bob/);
    assert.match(stdout, /Approval requests\nID\s+State\s+Requested by[\s\S]*pending\s+alice/);
  });

  it('reads no file for --params @file: it says where files are read, and shows nothing of the file', async () => {
    const { code, stdout, stderr } = await consoleSession([
      'call cvm DescribeInstances --params @/etc/passwd',
      'call cvm DescribeInstances --params=@/etc/hostname',
      'exit',
    ]);
    assert.equal(code, 0, stderr);
    const refusals = stderr.match(/--params @file is read only by "tceops call" in a terminal; here no path is read/g);
    assert.equal(refusals?.length, 2, stderr);
    assert.doesNotMatch(stdout + stderr, /root:/);
    assert.doesNotMatch(stdout, /InstanceSet|TotalCount/);
  });
});
