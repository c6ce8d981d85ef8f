/**
 * Seeds: "empty" (public images, nothing else) and "demo", a deployment that looks lived-in — three regions,
 * a few dozen instances named by role (web-1, db-2, ...) in varied states, with tags (some env=production), IPs
 * and types; custom and shared images; key pairs; placement groups; a launch template; CFS file systems with
 * permission groups, rules and a snapshot policy; CSM source servers and migration jobs, one of them running.
 * The demo is the same on every start (a seeded PRNG and fixed dates); only running jobs follow the clock.
 */
import type { Durations } from './clock.ts';
import { isoTime } from './clock.ts';
import { regionOf } from './geography.ts';
import { addFileSystem, addPermissionGroup, addRule, addSnapshotPolicy } from './services/cfs/store.ts';
import { addMigrationJob, addSourceServer } from './services/csm/store.ts';
import { addPublicImages, createCustomImage } from './services/cvm/images.ts';
import { buildInstance } from './services/cvm/instances.ts';
import { addKeyPair } from './services/cvm/keypairs.ts';
import { addPlacementGroup } from './services/cvm/placement.ts';
import { type EmulatorState, emptyState } from './state.ts';

export type SeedName = 'demo' | 'empty';

/** The demo's "today": its resources were created in the months before. */
const DEMO_NOW = Date.parse('2024-06-01T00:00:00Z');
const DAY = 86400_000;

/** mulberry32: a small, fast PRNG; the same seed gives the same demo. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** A well-formed OpenSSH RSA public key body, deterministic (the emulator never needs the private half). */
function fakePublicKey(random: () => number, comment: string): string {
  const bytes = Buffer.alloc(279);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  const header = Buffer.from('000000077373682d727361000000030100010000010100', 'hex');
  return `ssh-rsa ${Buffer.concat([header, bytes]).toString('base64')} ${comment}`;
}

interface Role {
  role: string;
  count: number;
  type: string;
  image: string;
  publicIp?: boolean;
  tags: { Key: string; Value: string }[];
  regions: string[];
  dataDisk?: number;
}

const CENTOS = 'img-9qabwvbn';
const UBUNTU = 'img-22trbn9x';
const TENCENTOS = 'img-eb30mz89';
const WINDOWS = 'img-9id7emv7';

const ROLES: Role[] = [
  {
    role: 'web',
    count: 8,
    type: 'S5.MEDIUM4',
    image: CENTOS,
    publicIp: true,
    regions: ['ap-guangzhou', 'ap-shanghai'],
    tags: [
      { Key: 'env', Value: 'production' },
      { Key: 'app', Value: 'shop' },
    ],
  },
  {
    role: 'api',
    count: 6,
    type: 'S5.LARGE8',
    image: TENCENTOS,
    regions: ['ap-guangzhou', 'ap-shanghai'],
    tags: [
      { Key: 'env', Value: 'production' },
      { Key: 'app', Value: 'shop' },
    ],
  },
  {
    role: 'db',
    count: 4,
    type: 'M5.LARGE32',
    image: UBUNTU,
    regions: ['ap-shanghai', 'ap-guangzhou'],
    dataDisk: 500,
    tags: [
      { Key: 'env', Value: 'production' },
      { Key: 'team', Value: 'dba' },
    ],
  },
  {
    role: 'cache',
    count: 3,
    type: 'M5.MEDIUM16',
    image: TENCENTOS,
    regions: ['ap-guangzhou'],
    tags: [
      { Key: 'env', Value: 'production' },
      { Key: 'app', Value: 'shop' },
    ],
  },
  {
    role: 'worker',
    count: 6,
    type: 'C5.LARGE8',
    image: CENTOS,
    regions: ['ap-beijing', 'ap-guangzhou'],
    tags: [
      { Key: 'env', Value: 'staging' },
      { Key: 'team', Value: 'data' },
    ],
  },
  {
    role: 'dev',
    count: 4,
    type: 'S5.MEDIUM4',
    image: UBUNTU,
    regions: ['ap-beijing'],
    tags: [{ Key: 'env', Value: 'dev' }],
  },
  {
    role: 'ci',
    count: 3,
    type: 'C5.2XLARGE16',
    image: UBUNTU,
    regions: ['ap-beijing'],
    tags: [
      { Key: 'env', Value: 'dev' },
      { Key: 'team', Value: 'platform' },
    ],
  },
  {
    role: 'bastion',
    count: 2,
    type: 'S5.SMALL2',
    image: CENTOS,
    publicIp: true,
    regions: ['ap-guangzhou', 'ap-shanghai'],
    tags: [
      { Key: 'env', Value: 'production' },
      { Key: 'team', Value: 'ops' },
    ],
  },
  {
    role: 'win',
    count: 2,
    type: 'S5.LARGE8',
    image: WINDOWS,
    regions: ['ap-shanghai'],
    tags: [
      { Key: 'env', Value: 'staging' },
      { Key: 'app', Value: 'reporting' },
    ],
  },
];

/** An Int64 beyond 2^53 for db-1's DeviceId: clients that read numbers as doubles get it wrong. */
export const DEMO_BIG_DEVICE_ID = 18014398509481985n;

export function createState(
  seed: SeedName,
  now: number,
  durations: Durations,
  synthetic: { count: number; regions?: string[] } = { count: 0 },
): EmulatorState {
  const state = emptyState();
  addPublicImages(state, DEMO_NOW - 400 * DAY);
  if (seed === 'demo') seedDemo(state, now, durations);
  if (synthetic.count > 0) addSyntheticInstances(state, synthetic.count, synthetic.regions);
  return state;
}

function seedDemo(state: EmulatorState, now: number, durations: Durations): void {
  const random = prng(20240601);
  const created = () => DEMO_NOW - Math.floor(random() * 300 + 5) * DAY;

  const keys = [
    addKeyPair(state, {
      name: 'ops_admin',
      publicKey: fakePublicKey(random, 'ops_admin'),
      createdAt: created(),
      description: 'ops on-call',
    }),
    addKeyPair(state, {
      name: 'deploy_ci',
      publicKey: fakePublicKey(random, 'deploy_ci'),
      createdAt: created(),
      description: 'CI deployments',
    }),
    addKeyPair(state, { name: 'backup_bot', publicKey: fakePublicKey(random, 'backup_bot'), createdAt: created() }),
  ].map((k) => k.item.KeyId);

  const webGroup = addPlacementGroup(state, 'ap-guangzhou', { name: 'web-spread', type: 'HOST', createdAt: created() });
  addPlacementGroup(state, 'ap-shanghai', { name: 'db-rack', type: 'RACK', createdAt: created() });

  createCustomImage(state, 'ap-guangzhou', {
    name: 'web-base-2024',
    osName: 'CentOS 7.9 64位',
    platform: 'CentOS',
    size: 40,
    createdAt: created(),
    description: 'nginx + node 20',
  });
  createCustomImage(state, 'ap-shanghai', {
    name: 'db-golden',
    osName: 'Ubuntu Server 20.04 LTS 64位',
    platform: 'Ubuntu',
    size: 50,
    createdAt: created(),
  });
  const shared = createCustomImage(state, 'ap-beijing', {
    name: 'ci-runner',
    osName: 'Ubuntu Server 20.04 LTS 64位',
    platform: 'Ubuntu',
    size: 40,
    createdAt: created(),
  });
  shared.item.SharedWith.push({ AccountId: '100000000002', CreatedTime: isoTime(DEMO_NOW - 30 * DAY) });

  // Mostly running; a few stopped (one not charging), one failed launch.
  const stateFor = (role: string, n: number): string => {
    if (role === 'dev' && n >= 3) return 'STOPPED';
    if (role === 'worker' && n === 6) return 'STOPPED';
    if (role === 'ci' && n === 3) return 'LAUNCH_FAILED';
    if (role === 'win' && n === 2) return 'STOPPED';
    return random() < 0.06 ? 'STOPPED' : 'RUNNING';
  };
  for (const role of ROLES) {
    for (let n = 1; n <= role.count; n++) {
      const region = role.regions[(n - 1) % role.regions.length]!;
      const zone = pick(random, regionOf(region).zones).Zone;
      const windows = role.image === WINDOWS;
      const instanceState = stateFor(role.role, n);
      const stored = buildInstance(state, {
        region,
        zone,
        name: `${role.role}-${n}`,
        type: role.type,
        imageId: role.image,
        osName: state.cvm.images[role.image]!.item.OsName,
        chargeType: role.role === 'db' ? 'PREPAID' : 'POSTPAID_BY_HOUR',
        periodMonths: 36,
        state: instanceState,
        tags: role.tags,
        keyIds: windows ? [] : [role.role === 'ci' ? keys[1]! : keys[0]!],
        bandwidth: role.publicIp ? pick(random, [5, 10, 20]) : 0,
        dataDisks: role.dataDisk ? [{ DiskType: 'CLOUD_SSD', DiskSize: role.dataDisk }] : [],
        placementGroupId:
          role.role === 'web' && region === 'ap-guangzhou' && n <= 4 ? webGroup.item.DisasterRecoverGroupId : undefined,
        createdAt: created(),
        deviceId: role.role === 'db' && n === 1 ? DEMO_BIG_DEVICE_ID : 100000 + Math.floor(random() * 900000),
      });
      const instance = stored.item;
      if (instanceState === 'STOPPED') {
        instance.LatestOperation = 'StopInstances';
        instance.LatestOperationState = 'SUCCESS';
        instance.StopChargingMode = role.role === 'dev' ? 'STOP_CHARGING' : 'KEEP_CHARGING';
      }
      if (instanceState === 'LAUNCH_FAILED') {
        instance.LatestOperation = 'RunInstances';
        instance.LatestOperationState = 'FAILED';
        instance.PrivateIpAddresses = [];
      }
    }
  }

  // CFS: the service is on in every region; a default group that allows everyone (a group without rules does).
  for (const region of ['ap-guangzhou', 'ap-shanghai', 'ap-beijing']) {
    state.cfs.serviceStatus[region] = { region, item: { Status: 'created' } };
  }
  const webShared = addPermissionGroup(state, 'ap-guangzhou', {
    name: 'web-shared',
    description: 'web tier read-write',
    createdAt: created(),
  });
  addRule(state, webShared, {
    AuthClientIp: '10.0.0.0/16',
    RWPermission: 'RW',
    UserPermission: 'root_squash',
    Priority: 10,
  });
  addRule(state, webShared, {
    AuthClientIp: '10.0.3.27',
    RWPermission: 'RO',
    UserPermission: 'all_squash',
    Priority: 1,
  });
  const backup = addPermissionGroup(state, 'ap-shanghai', {
    name: 'backup-ro',
    description: 'read-only for restores',
    createdAt: created(),
  });
  addRule(state, backup, {
    AuthClientIp: '10.1.0.0/16',
    RWPermission: 'RO',
    UserPermission: 'all_squash',
    Priority: 50,
  });
  addRule(state, backup, {
    AuthClientIp: '10.1.2.15',
    RWPermission: 'RW',
    UserPermission: 'no_root_squash',
    Priority: 5,
  });
  const open = addPermissionGroup(state, 'ap-beijing', {
    name: 'open-lab',
    description: 'no rules: everyone may mount',
    createdAt: created(),
  });

  addFileSystem(state, 'ap-guangzhou', {
    name: 'web-assets',
    zone: 'ap-guangzhou-3',
    protocol: 'NFS',
    storageType: 'SD',
    pgroupId: webShared,
    sizeByte: 1_288_490_188_800,
    createdAt: created(),
    tags: [{ TagKey: 'env', TagValue: 'production' }],
  });
  addFileSystem(state, 'ap-guangzhou', {
    name: 'shared-home',
    zone: 'ap-guangzhou-1',
    protocol: 'NFS',
    storageType: 'SD',
    pgroupId: webShared,
    sizeByte: 96_636_764_160,
    createdAt: created(),
  });
  const dbBackup = addFileSystem(state, 'ap-shanghai', {
    name: 'db-backup',
    zone: 'ap-shanghai-1',
    protocol: 'NFS',
    storageType: 'HP',
    pgroupId: backup,
    sizeByte: 4_398_046_511_104,
    createdAt: created(),
    tags: [{ TagKey: 'env', TagValue: 'production' }],
  });
  addFileSystem(state, 'ap-beijing', {
    name: 'lab-share',
    zone: 'ap-beijing-1',
    protocol: 'CIFS',
    storageType: 'SD',
    pgroupId: open,
    sizeByte: 33_554_432,
    createdAt: created(),
  });
  const policy = addSnapshotPolicy(state, 'ap-shanghai', {
    name: 'daily-2am',
    dayOfWeek: '1,2,3,4,5,6,0',
    hour: '2',
    aliveDays: 7,
    createdAt: created(),
  });
  state.cfs.fileSystems[dbBackup]!.item.AutoSnapshotPolicyId = policy;

  // CSM: one server migrated, one migrating now, one offline with a job waiting.
  const web01 = addSourceServer(state, 'ap-guangzhou', {
    name: 'idc-web-01',
    status: 'ONLINE',
    os: 'CentOS 7.6',
    ip: '192.168.10.21',
    cpu: 8,
    memoryGb: 16,
    diskGb: 100,
    createdAt: created(),
  });
  const db01 = addSourceServer(state, 'ap-guangzhou', {
    name: 'idc-db-01',
    status: 'MIGRATING',
    os: 'Ubuntu 18.04',
    ip: '192.168.10.45',
    cpu: 16,
    memoryGb: 64,
    diskGb: 500,
    createdAt: created(),
  });
  const legacy = addSourceServer(state, 'ap-guangzhou', {
    name: 'idc-legacy-02',
    status: 'OFFLINE',
    os: 'CentOS 6.10',
    ip: '192.168.11.3',
    cpu: 4,
    memoryGb: 8,
    diskGb: 80,
    createdAt: created(),
  });
  addMigrationJob(state, 'ap-guangzhou', {
    name: 'web-01-to-cvm',
    serverId: web01,
    status: 'SUCCESS',
    targetRegion: 'ap-guangzhou',
    targetType: 'Image',
    createdAt: created(),
  });
  const running = addMigrationJob(state, 'ap-guangzhou', {
    name: 'db-01-to-cvm',
    serverId: db01,
    status: 'RUNNING',
    targetRegion: 'ap-shanghai',
    targetType: 'Image',
    createdAt: created(),
  });
  running.item.RunningSince = now;
  running.item.StartTime = isoTime(now);
  running.transition = { at: now + durations.migrationJob, to: 'SUCCESS' };
  addMigrationJob(state, 'ap-guangzhou', {
    name: 'legacy-02-to-cvm',
    serverId: legacy,
    status: 'PENDING',
    targetRegion: 'ap-guangzhou',
    targetType: 'Image',
    createdAt: created(),
  });
}

/** N more instances (node-00001, ...) spread over the regions (default all) and their zones, for load tests. */
export function addSyntheticInstances(
  state: EmulatorState,
  count: number,
  regions = ['ap-guangzhou', 'ap-shanghai', 'ap-beijing'],
): void {
  const random = prng(count);
  const types = ['S5.MEDIUM4', 'S5.LARGE8', 'C5.LARGE8', 'M5.MEDIUM16'];
  const width = Math.max(5, String(count).length);
  for (let i = 0; i < count; i++) {
    const region = regions[i % regions.length]!;
    const zones = regionOf(region).zones;
    buildInstance(state, {
      region,
      zone: zones[Math.floor(i / regions.length) % zones.length]!.Zone,
      name: `node-${String(i + 1).padStart(width, '0')}`,
      type: pick(random, types),
      imageId: CENTOS,
      osName: 'CentOS 7.9 64位',
      state: random() < 0.9 ? 'RUNNING' : 'STOPPED',
      tags: [
        { Key: 'env', Value: pick(random, ['production', 'staging', 'dev']) },
        { Key: 'fleet', Value: 'synthetic' },
      ],
      createdAt: DEMO_NOW - (count - i) * 60_000,
      deviceId: 200000 + i,
    });
  }
}
