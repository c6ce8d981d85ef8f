/**
 * `--params @file` read on the terminal's machine: bounded, a regular file, a JSON object, no secret — and every
 * refusal names the file, never its content.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@tceops/core/api/errors.ts';
import { MAX_PARAMS_FILE, readParamsFile, withParamsFile } from '../src/params-file.ts';

describe('--params @file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tceops-params-file-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const refused = (pattern: RegExp, secret?: string) => (e: unknown) =>
    e instanceof InputError && e.exitCode === 2 && pattern.test(e.message) && (!secret || !e.message.includes(secret));

  it('reads a JSON object as written (big numbers kept exact), in both flag forms; inline JSON stays', async () => {
    const path = file('ok.json', '{"Limit": 10, "Offset": 12345678901234567890}\n');
    assert.equal(await readParamsFile(path), '{"Limit": 10, "Offset": 12345678901234567890}');
    const text = '{"Limit": 10, "Offset": 12345678901234567890}';
    assert.deepEqual(await withParamsFile(['call', 'cvm', 'DescribeInstances', '--params', `@${path}`]), [
      'call',
      'cvm',
      'DescribeInstances',
      '--params',
      text,
    ]);
    assert.deepEqual(await withParamsFile(['call', 'x', 'Y', `--params=@${path}`, '--output', 'json']), [
      'call',
      'x',
      'Y',
      '--params',
      text,
      '--output',
      'json',
    ]);
    assert.deepEqual(await withParamsFile(['call', 'x', 'Y', '--params', '{"Limit":1}']), [
      'call',
      'x',
      'Y',
      '--params',
      '{"Limit":1}',
    ]);
  });

  it('refuses a file over 64 KB, a FIFO (without blocking), a device, and a missing file', async () => {
    const big = file('big.json', `{"Limit": 1, "x": "${'a'.repeat(MAX_PARAMS_FILE)}"}`);
    await assert.rejects(readParamsFile(big), refused(/is \d+ bytes; the limit is 64 KB/, 'aaaa'));
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(readParamsFile(fifo), refused(/is not a regular file/));
    await assert.rejects(readParamsFile('/dev/zero'), refused(/is not a regular file/));
    await assert.rejects(readParamsFile(join(dir, 'nope.json')), refused(/cannot read --params file .*ENOENT/));
  });

  it('refuses malformed JSON, a non-object and a secret without printing what the file holds', async () => {
    const broken = file('broken.json', '{\n  "Password": hunter2-secret\n}');
    await assert.rejects(
      readParamsFile(broken),
      refused(/is not valid JSON( at line 2, column \d+)?; nothing was sent/, 'hunter2'),
    );
    await assert.rejects(readParamsFile(file('list.json', '[1, 2]')), refused(/must hold a JSON object/));
    const secret = file('secret.json', '{"InstanceIds": ["ins-1"], "LoginSettings": {"Password": "Hunter2-secret!"}}');
    await assert.rejects(readParamsFile(secret), (e: unknown) => {
      return refused(/: Password carries a secret/, 'Hunter2')(e) && (e as InputError).code === 'SecretInCommand';
    });
    // A name made to look like terminal control is shown inert.
    await assert.rejects(readParamsFile(join(dir, 'x\x1b[2J.json')), refused(/x\\e\[2J\.json/));
  });
});
