/** Key pairs: create (private key once), import, associate (replacing), disassociate (stopped only), delete. */
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { errorCode, eventually, type Harness, startHarness } from '../../helpers.ts';

describe('CVM key pairs', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ timeScale: 0.01 });
  });
  afterEach(async () => {
    await h.close();
  });

  const key = async (id: string) =>
    (
      (await h.raw('cvm', 'DescribeKeyPairs', { KeyIds: [id] })).KeyPairSet as {
        KeyName: string;
        PublicKey: string;
        AssociatedInstanceIds: string[];
        PrivateKey?: string;
      }[]
    )[0]!;
  const instance = async (state: string) =>
    (
      (
        await h.raw('cvm', 'DescribeInstances', {
          Filters: [{ Name: 'instance-state', Values: [state] }],
          Limit: 100,
        })
      ).InstanceSet as { InstanceId: string; ImageId: string; LoginSettings: { KeyIds: string[] } }[]
    ).find((i) => i.ImageId === 'img-9qabwvbn')!; // image-id is not a documented filter (000:16686)

  it('creates a working RSA pair whose private key is answered once and never listed', async () => {
    const r = await h.raw('cvm', 'CreateKeyPair', { KeyName: 'alice_laptop', ProjectId: 0 });
    assert.equal(errorCode(r), undefined, JSON.stringify(r.Error));
    const created = r.KeyPair as { KeyId: string; PrivateKey: string; PublicKey: string };
    assert.match(created.KeyId, /^skey-[a-z0-9]{8}$/);
    const derived = createPublicKey(createPrivateKey(created.PrivateKey)).export({ format: 'jwk' });
    assert.ok(created.PublicKey.startsWith('ssh-rsa '));
    // The OpenSSH body ends with the modulus: the private key's modulus.
    const body = Buffer.from(created.PublicKey.split(' ')[1]!, 'base64');
    assert.ok(body.toString('hex').endsWith(Buffer.from(derived.n!, 'base64url').toString('hex')));
    const listed = await key(created.KeyId);
    assert.equal(listed.PrivateKey, undefined);
    assert.equal(
      errorCode(await h.raw('cvm', 'CreateKeyPair', { KeyName: 'alice_laptop', ProjectId: 0 })),
      'InvalidKeyPairName.Duplicate',
    );
    assert.equal(
      errorCode(await h.raw('cvm', 'CreateKeyPair', { KeyName: 'bad name!', ProjectId: 0 })),
      'InvalidKeyPairNameIncludeIllegalChar',
    );
  });

  it('imports a public key once', async () => {
    const publicKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx0Y2Vvc2VtdWxhdG9ydGVzdGtleWJ5dGVz bob';
    const r = await h.raw('cvm', 'ImportKeyPair', { KeyName: 'bob', ProjectId: 0, PublicKey: publicKey });
    assert.equal(errorCode(r), undefined);
    assert.equal((await key(r.KeyId as string)).PublicKey, publicKey);
    assert.equal(
      errorCode(await h.raw('cvm', 'ImportKeyPair', { KeyName: 'bob2', ProjectId: 0, PublicKey: publicKey })),
      'InvalidPublicKey.Duplicate',
    );
    assert.equal(
      errorCode(await h.raw('cvm', 'ImportKeyPair', { KeyName: 'bob3', ProjectId: 0, PublicKey: 'not a key' })),
      'InvalidPublicKey.Malformed',
    );
  });

  it('associates (replacing the old key), refuses deleting a key in use, disassociates only when stopped', async () => {
    const created = (await h.raw('cvm', 'CreateKeyPair', { KeyName: 'rotation', ProjectId: 0 })).KeyPair as {
      KeyId: string;
    };
    const stopped = await instance('STOPPED');
    const oldKeys = stopped.LoginSettings.KeyIds;
    const r = await h.raw('cvm', 'AssociateInstancesKeyPairs', {
      InstanceIds: [stopped.InstanceId],
      KeyIds: [created.KeyId],
    });
    assert.equal(errorCode(r), undefined, JSON.stringify(r.Error));
    assert.deepEqual((await key(created.KeyId)).AssociatedInstanceIds, [stopped.InstanceId]);
    for (const old of oldKeys) assert.ok(!(await key(old)).AssociatedInstanceIds.includes(stopped.InstanceId));
    assert.equal(errorCode(await h.raw('cvm', 'DeleteKeyPairs', { KeyIds: [created.KeyId] })), 'InvalidParameterValue');
    const running = await instance('RUNNING');
    assert.equal(
      errorCode(
        await h.raw('cvm', 'DisassociateInstancesKeyPairs', {
          InstanceIds: [running.InstanceId],
          KeyIds: running.LoginSettings.KeyIds,
        }),
      ),
      'UnsupportedOperation.InstanceStateRunning',
    );
    await eventually(
      async () =>
        errorCode(
          await h.raw('cvm', 'DisassociateInstancesKeyPairs', {
            InstanceIds: [stopped.InstanceId],
            KeyIds: [created.KeyId],
          }),
        ) === undefined,
      'the association to settle',
    );
    assert.deepEqual((await key(created.KeyId)).AssociatedInstanceIds, []);
    assert.equal(errorCode(await h.raw('cvm', 'DeleteKeyPairs', { KeyIds: [created.KeyId] })), undefined);
    assert.equal(
      errorCode(await h.raw('cvm', 'DeleteKeyPairs', { KeyIds: [created.KeyId] })),
      'InvalidKeyPairId.NotFound',
    );
  });
});
