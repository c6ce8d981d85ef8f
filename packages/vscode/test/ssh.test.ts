import './support/setup.ts';
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import path from 'node:path';
import {
  isAddress,
  shellQuote,
  sshArgs,
  sshCommandText,
  sshConfigEntry,
  type SshTarget,
  sshTarget,
} from '../src/ssh.ts';

const web1 = {
  InstanceId: 'ins-abcd1234',
  PrivateIpAddresses: ['10.0.0.5'],
  PublicIpAddresses: ['203.0.113.7'],
  LoginSettings: { KeyIds: ['skey-aaaa1111'] },
};
const settings = { user: 'root', keyFiles: { 'skey-aaaa1111': '~/.ssh/tce prod' } };

describe('vscode ssh: the command for an instance', () => {
  it('connects to the public address with the key file of its key pair', () => {
    const target = sshTarget(web1, settings) as SshTarget;
    const key = path.join(homedir(), '.ssh/tce prod');
    assert.deepEqual(sshArgs(target), ['-i', key, '-o', 'IdentitiesOnly=yes', 'root@203.0.113.7']);
    assert.equal(sshCommandText(target), `ssh -i '${key}' -o IdentitiesOnly=yes root@203.0.113.7`);
    assert.match(
      sshConfigEntry(target),
      /Host 203\.0\.113\.7\n {2}HostName 203\.0\.113\.7\n {2}User root\n {2}IdentityFile /,
    );
  });

  it('uses the private address when there is no public one, and says which key pair needs a file', () => {
    const target = sshTarget({ ...web1, PublicIpAddresses: [] }, { user: 'ubuntu', keyFiles: {} }) as SshTarget;
    assert.deepEqual(sshArgs(target), ['ubuntu@10.0.0.5']);
    assert.equal(target.missingKeyId, 'skey-aaaa1111');
  });

  it('refuses an address or user that is not one (a cloud value never becomes shell text)', () => {
    const evil = sshTarget({ ...web1, PublicIpAddresses: ['1.2.3.4; rm -rf ~'] }, settings);
    assert.match((evil as { problem: string }).problem, /is not an IP address/);
    assert.match(
      (sshTarget(web1, { ...settings, user: 'root -oProxyCommand=x' }) as { problem: string }).problem,
      /not a login name/,
    );
    assert.match((sshTarget({ InstanceId: 'ins-1' }, settings) as { problem: string }).problem, /no IP address/);
    assert.match(
      (sshTarget(web1, { user: 'root', keyFiles: { 'skey-aaaa1111': 'a\nb' } }) as { problem: string }).problem,
      /control characters/,
    );
    assert.ok(isAddress('fe80::1') && !isAddress('999.1.1.1') && !isAddress('-oProxyCommand'));
  });

  it('quotes for a POSIX shell: a single quote inside stays literal', () => {
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
    assert.equal(shellQuote('root@10.0.0.5'), 'root@10.0.0.5');
  });
});
