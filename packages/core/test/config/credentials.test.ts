import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/api/errors.ts';
import { resolveCredentials } from '../../src/config/credentials.ts';
import { readProfileConfigure } from '../../src/config/profiles.ts';
import { redact } from '../../src/config/redact.ts';

function home(files: Record<string, string>): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'tceops-home-'));
  mkdirSync(join(dir, '.tccli'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, '.tccli', name), text);
  return { HOME: dir };
}

describe('config/credentials', () => {
  it('takes explicit keys first', () => {
    const c = resolveCredentials({
      secretId: 'AKIDa',
      secretKey: 'k-explicit',
      env: { TENCENTCLOUD_SECRET_ID: 'x', TENCENTCLOUD_SECRET_KEY: 'y' },
    });
    assert.equal(c.secretId, 'AKIDa');
    assert.equal(c.source, 'options');
  });

  it('reads the environment, with either token variable', () => {
    const base = { TENCENTCLOUD_SECRET_ID: 'AKIDenv', TENCENTCLOUD_SECRET_KEY: 'k-env-123456' };
    assert.equal(
      resolveCredentials({ env: { ...base, TENCENTCLOUD_SESSION_TOKEN: 'tok-session' } }).token,
      'tok-session',
    );
    assert.equal(resolveCredentials({ env: { ...base, TENCENTCLOUD_TOKEN: 'tok-tccli' } }).token, 'tok-tccli');
    assert.equal(resolveCredentials({ env: base }).token, undefined);
  });

  it('reads a tccli profile, named or from TCCLI_PROFILE, and a named profile wins over the environment', () => {
    const env = home({
      'default.credential': JSON.stringify({ secretId: 'AKIDdefault', secretKey: 'k-default-1' }),
      'ops.credential': JSON.stringify({ secretId: 'AKIDops', secretKey: 'k-ops-12345', token: 'tok-ops' }),
    });
    assert.equal(resolveCredentials({ env }).secretId, 'AKIDdefault');
    assert.equal(resolveCredentials({ env: { ...env, TCCLI_PROFILE: 'ops' } }).secretId, 'AKIDops');
    const withEnv = { ...env, TENCENTCLOUD_SECRET_ID: 'AKIDenv', TENCENTCLOUD_SECRET_KEY: 'k-env-123456' };
    assert.equal(resolveCredentials({ env: withEnv }).secretId, 'AKIDenv');
    assert.equal(resolveCredentials({ env: withEnv, profile: 'ops' }).secretId, 'AKIDops');
  });

  it('refuses a corrupt credential file with its path, without echoing its content', () => {
    const env = home({ 'default.credential': '{"secretId": "AKIDx", "secretKey": "super-secret-value",' });
    assert.throws(
      () => resolveCredentials({ env }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /default\.credential is not valid JSON/.test(error.message) &&
        !error.message.includes('super-secret-value'),
    );
  });

  it('a corrupt file where the key is not quoted: the error says where, and nothing of the key', () => {
    // The red team's case: V8's own message quoted '..."ecretKey":RedTeamSup...'.
    for (const text of [
      '{"secretId":"AKIDx",\n"secretKey":RedTeamSuperSecretKey123}',
      '{"secretId":"AKIDx","secretKey":"RedTeamSuperSecretKey123" "token":"t"}',
      '{"secretKey":"RedTeamSuperSecretKey123\u0001"}',
      '{"secretKey":RedTeamSuperSecretKey123',
    ]) {
      const env = home({ 'default.credential': text });
      assert.throws(
        () => resolveCredentials({ env }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.exitCode === 2 &&
          /default\.credential is not valid JSON: (unexpected text at line \d+, column \d+|it ends before)/.test(
            error.message,
          ) &&
          !/RedTeam|Sup|Key123/.test(error.message),
        text,
      );
    }
  });

  it('says how to fix missing credentials and half-set ones', () => {
    const env = home({});
    assert.throws(() => resolveCredentials({ env }), /set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY/);
    assert.throws(() => resolveCredentials({ env, profile: 'nope' }), /no tccli profile "nope"/);
    assert.throws(() => resolveCredentials({ env: { ...env, TENCENTCLOUD_SECRET_ID: 'AKIDx' } }), /set both/);
    assert.throws(() => resolveCredentials({ env, profile: '../etc/passwd' }), /not a valid profile name/);
  });

  it('masks a loaded key wherever it would be printed', () => {
    const c = resolveCredentials({
      env: { TENCENTCLOUD_SECRET_ID: 'AKIDenv', TENCENTCLOUD_SECRET_KEY: 'k-very-secret-9876' },
    });
    const text = redact(`failed with key ${c.secretKey} and SecretKey=abc123 Signature=${'a'.repeat(64)}`);
    assert.ok(!text.includes('k-very-secret-9876'));
    assert.match(text, /\*{16}9876/);
    assert.match(text, /SecretKey=<redacted>/);
    assert.match(text, /Signature=<redacted>/);
  });

  it('reads per-service endpoints and the region from a .configure file', () => {
    const env = home({
      'default.configure': JSON.stringify({
        _sys_param: { region: 'ap-shanghai', output: 'json' },
        cvm: { endpoint: 'cvm.tce.example.com', version: '2017-03-12' },
        waiter: { timeout: 180 },
      }),
    });
    const configure = readProfileConfigure('default', env)!;
    assert.equal(configure.region, 'ap-shanghai');
    assert.deepEqual(configure.services.cvm, { endpoint: 'cvm.tce.example.com', version: '2017-03-12' });
    assert.equal(configure.services.waiter, undefined);
  });
});
