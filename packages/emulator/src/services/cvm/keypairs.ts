/**
 * Key pairs (skey-, visible in every region, 000:771): create (the private key is answered once and never kept),
 * import, describe, rename, delete (refused while an instance uses it), associate with and disassociate from
 * instances. Associating replaces the instance's keys (000:18491); disassociating needs a stopped Linux instance.
 */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { isoTime } from '../../clock.ts';
import { fail } from '../../failure.ts';
import { type EmulatorState, type KeyPair, nextId, type Stored } from '../../state.ts';
import { applyFilters, type Filter, page } from '../common.ts';
import type { Call, Handlers } from '../types.ts';
import { flow, instancesFor, isWindows, modifyWhileStopped } from './instances.ts';

const KEY_QUOTA = 100;

function checkName(state: EmulatorState, name: string, except?: string): void {
  if (name === '') fail('InvalidKeyPairNameEmpty', 'KeyName is empty');
  if (name.length > 25) fail('InvalidKeyPairNameTooLong', `KeyName has ${name.length} characters; at most 25`);
  if (!/^[A-Za-z0-9_]+$/.test(name))
    fail('InvalidKeyPairNameIncludeIllegalChar', 'KeyName takes letters, digits and underscores only');
  if (Object.values(state.cvm.keyPairs).some((k) => k.item.KeyName === name && k.item.KeyId !== except))
    fail('InvalidKeyPairName.Duplicate', `a key pair named ${name} exists`);
}

export function addKeyPair(
  state: EmulatorState,
  spec: { name: string; publicKey: string; createdAt: number; projectId?: number; description?: string },
): Stored<KeyPair> {
  const id = nextId(state, 'skey-');
  const stored: Stored<KeyPair> = {
    // Key pairs belong to no region; the marker keeps the collection's shape.
    region: '*',
    item: {
      KeyId: id,
      KeyName: spec.name,
      Description: spec.description ?? '',
      PublicKey: spec.publicKey,
      ProjectId: spec.projectId ?? 0,
      AssociatedInstanceIds: [],
      CreatedTime: isoTime(spec.createdAt),
    },
  };
  state.cvm.keyPairs[id] = stored;
  return stored;
}

function view(key: KeyPair) {
  return {
    KeyId: key.KeyId,
    KeyName: key.KeyName,
    Description: key.Description,
    PublicKey: key.PublicKey,
    AssociatedInstanceIds: key.AssociatedInstanceIds,
    AssociatedInstanceCount: key.AssociatedInstanceIds.length,
    AssociatedImageCount: 0,
    CreatedTime: key.CreatedTime,
  };
}

function requireKeys(state: EmulatorState, ids: string[]): Stored<KeyPair>[] {
  const missing = ids.filter((id) => !state.cvm.keyPairs[id]);
  if (missing.length) fail('InvalidKeyPairId.NotFound', `no key pair ${missing.join(', ')}`);
  return ids.map((id) => state.cvm.keyPairs[id]!);
}

function checkQuota(state: EmulatorState): void {
  if (Object.keys(state.cvm.keyPairs).length >= KEY_QUOTA)
    fail('InvalidKeyPair.LimitExceeded', `the account already has ${KEY_QUOTA} key pairs`);
}

function createKeyPair(call: Call) {
  const p = call.params as { KeyName: string; ProjectId: number };
  checkName(call.state, p.KeyName);
  checkQuota(call.state);
  // A real RSA pair: clients that save and use the private key get a working key file.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const ssh = `ssh-rsa ${sshBody(publicKey)} ${p.KeyName}`;
  const stored = addKeyPair(call.state, {
    name: p.KeyName,
    publicKey: ssh,
    createdAt: call.now,
    projectId: p.ProjectId,
  });
  return { KeyPair: { ...view(stored.item), PrivateKey: privateKey, ProjectId: p.ProjectId } };
}

/** The OpenSSH wire form of an RSA public key: the strings "ssh-rsa", e and n, each with its length. */
function sshBody(pem: string): string {
  const jwk = createPublicKey(pem).export({ format: 'jwk' });
  const field = (b: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(b.length);
    return Buffer.concat([length, b]);
  };
  // SSH integers are signed: a leading zero byte keeps a high first bit positive.
  const integer = (text: string) => {
    const b = Buffer.from(text, 'base64url');
    return b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b;
  };
  return Buffer.concat([field(Buffer.from('ssh-rsa')), field(integer(jwk.e!)), field(integer(jwk.n!))]).toString(
    'base64',
  );
}

function importKeyPair(call: Call) {
  const p = call.params as { KeyName: string; ProjectId: number; PublicKey: string };
  checkName(call.state, p.KeyName);
  checkQuota(call.state);
  const key = p.PublicKey.trim();
  if (!/^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/]+=*( .*)?$/.test(key))
    fail('InvalidPublicKey.Malformed', 'PublicKey must be an OpenSSH public key, e.g. "ssh-rsa AAAA... comment"');
  const body = key.split(' ')[1];
  if (Object.values(call.state.cvm.keyPairs).some((k) => k.item.PublicKey.split(' ')[1] === body))
    fail('InvalidPublicKey.Duplicate', 'this public key is already imported');
  const stored = addKeyPair(call.state, {
    name: p.KeyName,
    publicKey: key,
    createdAt: call.now,
    projectId: p.ProjectId,
  });
  return { KeyId: stored.item.KeyId };
}

function describeKeyPairs(call: Call) {
  const p = call.params as { KeyIds?: string[]; Filters?: Filter[] };
  // KeyIds with Filters is refused by the catalog (000:18664).
  let keys = Object.values(call.state.cvm.keyPairs).map((s) => s.item);
  if (p.KeyIds?.length) {
    const wanted = new Set(p.KeyIds);
    keys = keys.filter((k) => wanted.has(k.KeyId));
  }
  keys = applyFilters(keys, p.Filters, {
    'project-id': (k) => k.ProjectId,
    'key-name': (k) => k.KeyName,
    'key-id': (k) => k.KeyId,
  });
  return { TotalCount: keys.length, KeyPairSet: page(keys, call.params).map(view) };
}

function modifyKeyPairAttribute(call: Call) {
  const p = call.params as { KeyId: string; KeyName?: string; Description?: string };
  const [stored] = requireKeys(call.state, [p.KeyId]);
  if (p.KeyName !== undefined) {
    checkName(call.state, p.KeyName, p.KeyId);
    stored!.item.KeyName = p.KeyName;
  }
  if (p.Description !== undefined) stored!.item.Description = p.Description;
  return {};
}

function deleteKeyPairs(call: Call) {
  const p = call.params as { KeyIds: string[] };
  const found = requireKeys(call.state, p.KeyIds);
  for (const stored of found) {
    if (stored.item.AssociatedInstanceIds.length)
      fail(
        'InvalidParameterValue',
        `${stored.item.KeyId} is used by ${stored.item.AssociatedInstanceIds.join(', ')}; disassociate it first`,
      );
  }
  for (const stored of found) delete call.state.cvm.keyPairs[stored.item.KeyId];
  return {};
}

function associateInstancesKeyPairs(call: Call) {
  const p = call.params as { InstanceIds: string[]; KeyIds: string[]; ForceStop?: boolean };
  const keys = requireKeys(call.state, p.KeyIds);
  const instances = instancesFor(call, p.InstanceIds, 'AssociateInstancesKeyPairs', p.ForceStop === true);
  for (const stored of instances) {
    if (isWindows(stored.item))
      fail('InvalidInstance.NotSupported', `${stored.item.InstanceId} runs Windows; key pairs are for Linux instances`);
  }
  for (const stored of instances) {
    const id = stored.item.InstanceId;
    // The new keys replace the old ones (000:18491).
    for (const old of stored.item.LoginSettings.KeyIds) {
      const key = call.state.cvm.keyPairs[old];
      if (key) key.item.AssociatedInstanceIds = key.item.AssociatedInstanceIds.filter((i) => i !== id);
    }
    stored.item.LoginSettings.KeyIds = keys.map((k) => k.item.KeyId);
    for (const key of keys) if (!key.item.AssociatedInstanceIds.includes(id)) key.item.AssociatedInstanceIds.push(id);
    modifyWhileStopped(call, stored, 'AssociateInstancesKeyPairs');
  }
  return flow(call.state);
}

function disassociateInstancesKeyPairs(call: Call) {
  const p = call.params as { InstanceIds: string[]; KeyIds: string[]; ForceStop?: boolean };
  requireKeys(call.state, p.KeyIds);
  const instances = instancesFor(call, p.InstanceIds, 'DisassociateInstancesKeyPairs', p.ForceStop === true);
  for (const stored of instances) {
    if (isWindows(stored.item))
      fail('InvalidInstance.NotSupported', `${stored.item.InstanceId} runs Windows; key pairs are for Linux instances`);
  }
  for (const stored of instances) {
    const id = stored.item.InstanceId;
    stored.item.LoginSettings.KeyIds = stored.item.LoginSettings.KeyIds.filter((k) => !p.KeyIds.includes(k));
    for (const keyId of p.KeyIds) {
      const key = call.state.cvm.keyPairs[keyId]!;
      key.item.AssociatedInstanceIds = key.item.AssociatedInstanceIds.filter((i) => i !== id);
    }
    modifyWhileStopped(call, stored, 'DisassociateInstancesKeyPairs');
  }
  return flow(call.state);
}

export const keyPairHandlers: Handlers = {
  CreateKeyPair: createKeyPair,
  ImportKeyPair: importKeyPair,
  DescribeKeyPairs: describeKeyPairs,
  ModifyKeyPairAttribute: modifyKeyPairAttribute,
  DeleteKeyPairs: deleteKeyPairs,
  AssociateInstancesKeyPairs: associateInstancesKeyPairs,
  DisassociateInstancesKeyPairs: disassociateInstancesKeyPairs,
};
