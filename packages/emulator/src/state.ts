/**
 * The emulated cloud as plain data: one collection per resource kind, keyed by ID, in creation order. Every
 * record keeps the fields the API returns (documented names), its region, and — while it changes — the
 * transition it is in. The whole object is what the state file holds.
 */

/** A change in progress: at `at` (ms since the epoch) the record's state field becomes `to`, or it is removed. */
export interface Transition {
  at: number;
  to: string | typeof GONE;
}

export const GONE = 'GONE';

export interface Stored<T> {
  region: string;
  item: T;
  transition?: Transition;
}

export type Collection<T> = Record<string, Stored<T>>;

export interface Tag {
  Key: string;
  Value: string;
}

export interface Instance {
  InstanceId: string;
  InstanceName: string;
  InstanceType: string;
  InstanceFamily: string;
  CPU: number;
  Memory: number;
  InstanceState: string;
  Placement: { Zone: string; ProjectId: number };
  InstanceChargeType: string;
  SystemDisk: { DiskType: string; DiskId: string; DiskSize: number };
  DataDisks: { DiskType: string; DiskId: string; DiskSize: number; DeleteWithInstance: boolean }[];
  PrivateIpAddresses: string[];
  PublicIpAddresses: string[];
  InternetAccessible: { InternetChargeType: string; InternetMaxBandwidthOut: number; PublicIpAssigned: boolean };
  VirtualPrivateCloud: { VpcId: string; SubnetId: string; AsVpcGateway: boolean };
  ImageId: string;
  OsName: string;
  RenewFlag: string;
  CreatedTime: string;
  ExpiredTime: string | null;
  RestrictState: string;
  LatestOperation: string | null;
  LatestOperationState: string | null;
  LatestOperationRequestId: string | null;
  SecurityGroupIds: string[];
  LoginSettings: { KeyIds: string[] };
  DisasterRecoverGroupId: string;
  Tags: Tag[];
  Uuid: string;
  StopChargingMode: string;
  DefaultLoginUser: string;
  DefaultLoginPort: number;
  /** Uint64 in the docs; the demo seed puts values beyond 2^53 here so clients' number handling can be tested. */
  DeviceId: number | bigint;
}

export interface Image {
  ImageId: string;
  OsName: string;
  ImageType: 'PUBLIC_IMAGE' | 'PRIVATE_IMAGE' | 'SHARED_IMAGE';
  CreatedTime: string;
  ImageName: string;
  ImageDescription: string;
  ImageSize: number;
  Architecture: string;
  ImageState: string;
  Platform: string;
  ImageCreator: string;
  ImageSource: string;
  SyncPercent: number;
  IsSupportCloudinit: boolean;
  /** Accounts the image is shared with (DescribeImageSharePermission). */
  SharedWith: { AccountId: string; CreatedTime: string }[];
  /** The instance it was made from, for CreateImage. */
  SourceInstanceId?: string;
}

export interface KeyPair {
  KeyId: string;
  KeyName: string;
  Description: string;
  PublicKey: string;
  ProjectId: number;
  AssociatedInstanceIds: string[];
  CreatedTime: string;
}

export interface LaunchTemplate {
  LaunchTemplateId: string;
  LaunchTemplateName: string;
  CreatedTime: string;
  CreationUser: string;
  DefaultVersionNumber: number;
  LatestVersionNumber: number;
  Versions: {
    LaunchTemplateVersion: number;
    LaunchTemplateVersionDescription: string;
    CreatedTime: string;
    Data: Record<string, unknown>;
  }[];
}

export interface PlacementGroup {
  DisasterRecoverGroupId: string;
  Name: string;
  Type: 'HOST' | 'SW' | 'RACK';
  CvmQuotaTotal: number;
  InstanceIds: string[];
  CreateTime: string;
}

export interface FileSystem {
  FileSystemId: string;
  CreationTime: string;
  CreationToken: string;
  FsName: string;
  LifeCycleState: string;
  SizeByte: number;
  SizeLimit: number;
  Zone: string;
  ZoneId: number;
  Protocol: string;
  StorageType: string;
  PGroupId: string;
  VpcId: string;
  SubnetId: string;
  IpAddress: string;
  Encrypted: boolean;
  KmsKeyId: string;
  AutoSnapshotPolicyId: string;
  Tags: { TagKey: string; TagValue: string }[];
}

export interface PermissionGroup {
  PGroupId: string;
  Name: string;
  DescInfo: string;
  CDate: string;
}

export interface PermissionRule {
  RuleId: string;
  PGroupId: string;
  AuthClientIp: string;
  /** Stored upper-case (RO/RW); the 2018 API shows and takes lower case. */
  RWPermission: string;
  UserPermission: string;
  Priority: number;
}

export interface SnapshotPolicy {
  AutoSnapshotPolicyId: string;
  PolicyName: string;
  CreationTime: string;
  DayOfWeek: string;
  Hour: string;
  AliveDays: number;
  IsActive: number;
}

export interface SourceServer {
  SourceServerId: string;
  Name: string;
  Description: string;
  Status: string;
  ClientVersion: string;
  OsType: string;
  Architecture: string;
  Identifier: string;
  Platform: string;
  Product: string;
  ServerInfo: Record<string, unknown>;
  SystemInfo: Record<string, unknown>;
  SystemDiskInfo: Record<string, unknown>;
  DataDisksInfo: Record<string, unknown>[];
  CreateTime: string;
  UpdateTime: string;
}

export interface MigrationJob {
  JobId: string;
  Name: string;
  Description: string;
  SourceServerId: string;
  Status: string;
  TargetType: string;
  TargetRegion: string;
  Mode: number;
  RunMode: string;
  InstanceId: string;
  InstanceType: string;
  ImageId: string;
  ImageName: string;
  VpcId: string;
  SubnetId: string;
  SecurityGroup: string;
  SystemDiskInfo: Record<string, unknown>;
  DataDisksInfo: Record<string, unknown>[];
  Progress: number;
  StartTime: string;
  EndTime: string;
  CreateTime: string;
  UpdateTime: string;
  TransitInstanceId: string;
  IncrementalMigration?: number;
  IncrementalTime?: string;
  MigrationConfigInfo?: { Checksum?: boolean; BandwidthLimit?: string };
  /** When the running job started, to report Progress. */
  RunningSince?: number;
}

export interface EmulatorState {
  format: typeof STATE_FORMAT;
  /** Drives ID generation, so IDs are deterministic for a given history. */
  counter: number;
  /** Scales every price (1 when absent); set through POST /_tce/prices to show a price change. */
  priceFactor?: number;
  cvm: {
    instances: Collection<Instance>;
    images: Collection<Image>;
    keyPairs: Collection<KeyPair>;
    launchTemplates: Collection<LaunchTemplate>;
    placementGroups: Collection<PlacementGroup>;
    /** RunInstances ClientToken → the instances it created, so a retried request creates nothing new. */
    clientTokens: Record<string, string[]>;
  };
  cfs: {
    fileSystems: Collection<FileSystem>;
    pgroups: Collection<PermissionGroup>;
    rules: Collection<PermissionRule>;
    snapshotPolicies: Collection<SnapshotPolicy>;
    /** SignUpCfsService per region: none → creating → created. */
    serviceStatus: Record<string, Stored<{ Status: string }>>;
  };
  csm: {
    sourceServers: Collection<SourceServer>;
    jobs: Collection<MigrationJob>;
  };
}

export const STATE_FORMAT = 'tceops-emulator/1';

export function emptyState(): EmulatorState {
  return {
    format: STATE_FORMAT,
    counter: 0,
    cvm: { instances: {}, images: {}, keyPairs: {}, launchTemplates: {}, placementGroups: {}, clientTokens: {} },
    cfs: { fileSystems: {}, pgroups: {}, rules: {}, snapshotPolicies: {}, serviceStatus: {} },
    csm: { sourceServers: {}, jobs: {} },
  };
}

// A multiplier coprime with 36^8 maps the counter onto 8 base-36 characters without repeats (for 36^8 IDs).
const SPACE = 36 ** 8;
const MULTIPLIER = 2654435761;

/** The next ID with this prefix: "ins-" + 8 lower-case letters and digits, as the docs describe. */
export function nextId(state: EmulatorState, prefix: string): string {
  state.counter += 1;
  const n = Number((BigInt(state.counter) * BigInt(MULTIPLIER)) % BigInt(SPACE));
  return `${prefix}${n.toString(36).padStart(8, '0')}`;
}

/** Every collection with the name of the field that holds its state, for transitions and counts. */
export function collections(state: EmulatorState): { name: string; items: Collection<object>; field: string }[] {
  return [
    { name: 'instances', items: state.cvm.instances, field: 'InstanceState' },
    { name: 'images', items: state.cvm.images, field: 'ImageState' },
    { name: 'keyPairs', items: state.cvm.keyPairs, field: '' },
    { name: 'launchTemplates', items: state.cvm.launchTemplates, field: '' },
    { name: 'placementGroups', items: state.cvm.placementGroups, field: '' },
    { name: 'fileSystems', items: state.cfs.fileSystems, field: 'LifeCycleState' },
    { name: 'permissionGroups', items: state.cfs.pgroups, field: '' },
    { name: 'permissionRules', items: state.cfs.rules, field: '' },
    { name: 'snapshotPolicies', items: state.cfs.snapshotPolicies, field: '' },
    { name: 'cfsServiceStatus', items: state.cfs.serviceStatus, field: 'Status' },
    { name: 'sourceServers', items: state.csm.sourceServers, field: 'Status' },
    { name: 'migrationJobs', items: state.csm.jobs, field: 'Status' },
  ];
}

export function counts(state: EmulatorState): Record<string, number> {
  return Object.fromEntries(collections(state).map((c) => [c.name, Object.keys(c.items).length]));
}
