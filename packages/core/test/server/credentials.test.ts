import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialsFile, readCredentials, writeCredentials } from '../../src/server/credentials.ts';

describe('terminal credentials file', () => {
  it('is written 0600 and refused once others can read it', () => {
    const env = { HOME: mkdtempSync(join(tmpdir(), 'tceops-creds-')) };
    const file = writeCredentials({ server: 'https://tceops.example.com', token: 'tceops_x' }, env);
    assert.equal(file, credentialsFile(env));
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(env.HOME, '.tceops')).mode & 0o777, 0o700);
    assert.equal(readCredentials(env)?.token, 'tceops_x');
    chmodSync(file, 0o640);
    assert.throws(() => readCredentials(env), /can be read by others/);
    chmodSync(file, 0o600);
    writeFileSync(file, '{"server": 1}', { mode: 0o600 });
    assert.throws(() => readCredentials(env), /is damaged/);
  });
});
