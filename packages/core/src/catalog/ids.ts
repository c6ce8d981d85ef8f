/**
 * Resource ID formats, so a malformed ID is refused before any call, with the code the API would answer.
 * The docs give "prefix-8 letters and digits" (资源缩写-8位数字及字符) and call "ins-1122" malformed. Their CFS
 * examples have 7 characters (cfs-abcdef1, pgroup-doxpcqh), so those kinds accept 6 to 12; CSM documents no format.
 */

export type IdKind = 'instance' | 'image' | 'keypair' | 'filesystem' | 'pgroup' | 'job' | 'sourceServer';

export interface IdFormat {
  prefix: string;
  pattern: RegExp;
  label: string;
  example: string;
  malformedCode: string;
}

export const ID_FORMATS: Record<IdKind, IdFormat> = {
  instance: {
    prefix: 'ins-',
    pattern: /^ins-[a-z0-9]{8}$/,
    label: 'instance',
    example: 'ins-09dx96dg',
    malformedCode: 'InvalidInstanceId.Malformed',
  },
  image: {
    prefix: 'img-',
    pattern: /^img-[a-z0-9]{8}$/,
    label: 'image',
    example: 'img-gvbnzy6f',
    malformedCode: 'InvalidImageId.Malformed',
  },
  keypair: {
    prefix: 'skey-',
    pattern: /^skey-[a-z0-9]{8}$/,
    label: 'key pair',
    example: 'skey-11112222',
    malformedCode: 'InvalidKeyPairId.Malformed',
  },
  filesystem: {
    prefix: 'cfs-',
    pattern: /^cfs-[a-z0-9]{6,12}$/,
    label: 'file system',
    example: 'cfs-abcdef12',
    malformedCode: 'InvalidParameterValue.InvalidFileSystemId',
  },
  pgroup: {
    prefix: 'pgroup-',
    pattern: /^pgroup-[a-z0-9]{6,12}$/,
    label: 'permission group',
    example: 'pgroup-doxpcqhz',
    malformedCode: 'InvalidParameterValue.InvalidPgroupId',
  },
  job: {
    prefix: '',
    pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    label: 'migration job',
    example: 'job-abcd1234',
    malformedCode: 'InvalidParameterValue.InvalidMigrateJobIdMalformed',
  },
  sourceServer: {
    prefix: '',
    pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    label: 'source server',
    example: 'ss-abcd1234',
    malformedCode: 'InvalidParameterValue.InvalidSourceServerIdMalformed',
  },
};

/** Request parameters that carry IDs, by name, in every service that uses them. */
export const ID_PARAMS: Record<string, IdKind> = {
  InstanceId: 'instance',
  InstanceIds: 'instance',
  ImageId: 'image',
  ImageIds: 'image',
  KeyId: 'keypair',
  KeyIds: 'keypair',
  FileSystemId: 'filesystem',
  FileSystemIds: 'filesystem',
  PGroupId: 'pgroup',
  JobId: 'job',
  JobIds: 'job',
  SourceServerId: 'sourceServer',
};

export function checkId(kind: IdKind, value: string): boolean {
  return ID_FORMATS[kind].pattern.test(value);
}
