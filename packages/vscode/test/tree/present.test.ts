import '../support/setup.ts';
import assert from 'node:assert/strict';
import { sshTarget } from '../../src/ssh.ts';
import {
  compactInstance,
  instanceLook,
  isTransitional,
  jobLook,
  LOOKS,
  md,
  stateToken,
} from '../../src/tree/present.ts';

const web1 = {
  InstanceId: 'ins-abcd1234',
  InstanceName: 'web-1',
  InstanceState: 'RUNNING',
  InstanceType: 'S5.MEDIUM4',
  PrivateIpAddresses: ['10.0.0.5'],
  PublicIpAddresses: null,
  Placement: { Zone: 'ap-guangzhou-3' },
  Tags: [{ Key: 'env', Value: 'production' }],
};

describe('vscode present: how resources look', () => {
  it('labels an instance with its name and describes it as ID · state · type · private IP', () => {
    const look = instanceLook(web1);
    assert.equal(look.label, 'web-1');
    assert.equal(look.description, 'ins-abcd1234 · RUNNING · S5.MEDIUM4 · 10.0.0.5');
  });

  it('says the state in words for screen readers and in the description (STOPPING is not only a spinner)', () => {
    const look = instanceLook({ ...web1, InstanceState: 'STOPPING' });
    assert.equal(look.icon, 'loading~spin');
    assert.match(look.description, /· STOPPING ·/);
    assert.equal(look.accessibility, 'web-1, instance ins-abcd1234, STOPPING, 10.0.0.5');
    for (const kind of Object.keys(LOOKS) as (keyof typeof LOOKS)[]) {
      assert.ok(LOOKS[kind]({}).accessibility.length > 0, `${kind} has an accessible label`);
    }
  });

  it('falls back to the ID when an instance has no name, and leaves out missing parts', () => {
    const look = instanceLook({ InstanceId: 'ins-00000001', InstanceState: 'PENDING' });
    assert.equal(look.label, 'ins-00000001');
    assert.equal(look.description, 'ins-00000001 · PENDING');
  });

  it('gives each state its own icon and colour, and spins the transitional ones', () => {
    const looks = Object.fromEntries(
      ['RUNNING', 'STOPPED', 'STOPPING', 'STARTING', 'LAUNCH_FAILED', 'SHUTDOWN'].map((s) => [
        s,
        instanceLook({ ...web1, InstanceState: s }),
      ]),
    );
    assert.deepEqual([looks.RUNNING!.icon, looks.RUNNING!.color], ['vm-running', 'charts.green']);
    assert.equal(looks.STOPPED!.icon, 'vm-outline');
    assert.equal(looks.STOPPING!.icon, 'loading~spin');
    assert.equal(looks.STARTING!.icon, 'loading~spin');
    assert.notEqual(looks.STOPPING!.color, looks.STARTING!.color);
    assert.deepEqual([looks.LAUNCH_FAILED!.icon, looks.LAUNCH_FAILED!.color], ['error', 'charts.red']);
    assert.equal(instanceLook({ ...web1, InstanceState: 'SOMETHING_NEW' }).icon, 'question');
  });

  it('encodes the state in contextValue, lower case, so menus can match it', () => {
    assert.equal(instanceLook(web1).contextValue, 'tceops.instance.running');
    assert.equal(
      instanceLook({ ...web1, InstanceState: 'LAUNCH_FAILED' }).contextValue,
      'tceops.instance.launch_failed',
    );
    assert.equal(instanceLook({ InstanceId: 'ins-1' }).contextValue, 'tceops.instance.unknown');
    assert.equal(stateToken('weird state!'), 'weird_state_');
  });

  it('writes a Markdown tooltip with the fields, escaping what the cloud sent', () => {
    const look = instanceLook({ ...web1, InstanceName: 'web_*1*' });
    assert.match(look.tooltip, /^\*\*web\\_\\\*1\\\*\*\*/);
    assert.match(look.tooltip, /State: `RUNNING`/);
    assert.match(look.tooltip, /Zone: `ap-guangzhou-3`/);
    assert.match(look.tooltip, /Tags: `env=production`/);
    assert.doesNotMatch(look.tooltip, /Public IP/, 'empty fields are left out');
    assert.equal(md('a|b'), 'a\\|b');
  });

  it('knows which states are transitional', () => {
    for (const state of ['PENDING', 'STARTING', 'STOPPING', 'REBOOTING', 'SHUTDOWN', 'TERMINATING'])
      assert.ok(isTransitional(state));
    for (const state of ['RUNNING', 'STOPPED', 'LAUNCH_FAILED', undefined]) assert.ok(!isTransitional(state));
  });

  it('encodes image type and state, file system state and job status in contextValue', () => {
    assert.equal(
      LOOKS.image({ ImageId: 'img-1', ImageType: 'PRIVATE_IMAGE', ImageState: 'NORMAL' }).contextValue,
      'tceops.image.private_image.normal',
    );
    assert.equal(
      LOOKS.filesystem({ FileSystemId: 'cfs-1', LifeCycleState: 'available' }).contextValue,
      'tceops.filesystem.available',
    );
    assert.equal(jobLook({ JobId: 'job-1', Status: 'RUNNING', Progress: 40 }).description, 'job-1 · RUNNING · 40%');
    assert.equal(
      LOOKS.rule({ RuleId: 'r-1', AuthClientIp: '10.0.0.0/24', RWPermission: 'RW', Priority: 1 }).label,
      '10.0.0.0/24 → RW',
    );
    assert.ok(LOOKS.filesystem({ FileSystemId: 'cfs-1' }).expandable);
  });
  it('a hostile name cannot reorder or hide text in the tree: bidi, zero-width and control characters are shown', () => {
    const look = instanceLook({
      InstanceId: 'ins-aaaa0001',
      InstanceName: 'evil\u202egnp.exe\u200b\u001b[2K',
      InstanceState: 'RUNNING',
      InstanceType: 'S5.MEDIUM4\r',
    });
    const hidden = ['\u202e', '\u200b', '\u001b', '\r'];
    for (const field of [look.label, look.description, look.accessibility, look.tooltip]) {
      assert.ok(!hidden.some((c) => field.includes(c)), field);
    }
    assert.match(look.label, /^evil.*202e.*gnp\.exe/);
  });

  it('keeps of an instance what its row, tooltip, actions and SSH read, and drops the rest', () => {
    const full = {
      ...web1,
      PublicIpAddresses: ['203.0.113.7'],
      OsName: 'TencentOS \u202Eevil',
      CPU: 4,
      Memory: 8,
      CreatedTime: '2024-05-31T20:40:00Z',
      LatestOperation: 'StopInstances',
      LatestOperationState: 'SUCCESS',
      Placement: { Zone: 'ap-guangzhou-3', ProjectId: 0 },
      LoginSettings: { KeyIds: ['skey-1'], Password: 'never-kept' },
      SystemDisk: { DiskType: 'CLOUD_PREMIUM', DiskId: 'disk-1', DiskSize: 50 },
      VirtualPrivateCloud: { VpcId: 'vpc-1', SubnetId: 'subnet-1' },
      Uuid: '6f3d0000-0a1b-4c2d-8e3f-00009e3779b1',
    };
    const kept = compactInstance(full);
    const [a, b] = [instanceLook(full), instanceLook(kept)];
    for (const key of ['label', 'description', 'accessibility', 'icon', 'color', 'contextValue', 'tooltip'] as const)
      assert.equal(b[key], a[key], key);
    const settings = { user: '', keyFiles: { 'skey-1': '/keys/one' } };
    assert.deepEqual(sshTarget(kept, settings), sshTarget(full, settings));
    assert.deepEqual(kept.LoginSettings, { KeyIds: ['skey-1'] }, 'nothing else of the login settings');
    for (const dropped of ['SystemDisk', 'VirtualPrivateCloud', 'Uuid']) assert.ok(!(dropped in kept), dropped);
    assert.deepEqual(compactInstance({ InstanceId: 'ins-1' }), { InstanceId: 'ins-1' }, 'absent fields stay absent');
  });
});
