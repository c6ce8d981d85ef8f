import assert from 'node:assert/strict';
import { findAction } from '../../src/catalog/index.ts';
import { isSecretName, secretFlagsIn, secretParamPaths, secretsIn } from '../../src/catalog/secrets.ts';
import { tokenize } from '../../src/commands/tokenize.ts';

describe('catalog/secrets', () => {
  it('finds the documented secret parameters, nested ones too, and leaves idempotency tokens alone', () => {
    assert.deepEqual(secretParamPaths(findAction('cvm', 'ResetInstancesPassword')), ['Password']);
    assert.ok(secretParamPaths(findAction('cvm', 'RunInstances')).includes('LoginSettings.Password'));
    assert.ok(secretParamPaths(findAction('cvm', 'ResetInstance')).includes('LoginSettings.Password'));
    assert.ok(secretParamPaths(findAction('csm', 'CreateSourceServer')).includes('SessionToken'));
    for (const name of ['ClientToken', 'CreationToken', 'KeyName', 'PublicKey', 'KmsKeyId'])
      assert.ok(!isSecretName(name), name);
  });

  it('decides on the parsed words: quoting, =, dotted paths and JSON values all count', () => {
    const spellings = [
      '--Password x',
      '"--Password" x',
      "--Pass''word x",
      '--Pass""word x',
      '--Password=x',
      '--password x',
      '--LoginSettings.Password x',
      `--LoginSettings '{"Password":"x"}'`,
      `--params '{"LoginSettings":{"Password":"x"}}'`,
      `--params='{"Password":"x"}'`,
      '--Pass\\word x',
    ];
    for (const text of spellings) assert.ok(secretFlagsIn(tokenize(`call cvm RunInstances ${text}`)).length > 0, text);
    for (const text of ['--ClientToken abc', '--InstanceName password', '--KeyName token', 'cvm reset-password web-1'])
      assert.deepEqual(secretFlagsIn(tokenize(text)), [], text);
  });

  it('finds secrets in values by key, never returning the value', () => {
    assert.deepEqual(secretsIn({ KeyPair: { PrivateKey: 'abc', KeyId: 'skey-1' } }), ['PrivateKey']);
    assert.deepEqual(secretsIn({ LoginSettings: { Password: '' } }), []);
  });
});
