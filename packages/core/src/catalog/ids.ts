/**
 * Resource ID formats, so a malformed ID is refused before any call, with the code the API itself would answer.
 *
 * The CVM guide gives "<资源缩写>-8位数字及字符" (ins-, img-, skey-, host-, ...) and the error tables call
 * "ins-1122", "skey-1122" and "host-1122" malformed. The CFS examples have 7 or 8 characters (cfs-abcdef1,
 * cfs-11111111, pgroup-doxpcqh), so those kinds accept 6 to 12. CSM documents no shape for its job and source
 * server IDs (only "migrate-xxxxxxx" inside an image-name example), so those are only checked for stray characters.
 */

export type IdKind = 'instance' | 'image' | 'keypair' | 'host' | 'filesystem' | 'pgroup' | 'job' | 'sourceServer';

export interface IdFormat {
  /** What an ID of this kind starts with ('' when the docs give no prefix). */
  prefix: string;
  pattern: RegExp;
  label: string;
  example: string;
  /** The code TCE answers for a malformed ID of this kind. */
  malformedCode: string;
  /** Every code the docs use for a malformed or invalid ID of this kind (they differ between services). */
  codes: string[];
}

export const ID_FORMATS: Record<IdKind, IdFormat> = {
  instance: {
    prefix: 'ins-',
    pattern: /^ins-[a-z0-9]{8}$/,
    label: 'instance',
    example: 'ins-09dx96dg',
    malformedCode: 'InvalidInstanceId.Malformed',
    codes: ['InvalidInstanceId.Malformed', 'InvalidParameterValue.InvalidInstanceIdMalformed'],
  },
  image: {
    prefix: 'img-',
    pattern: /^img-[a-z0-9]{8}$/,
    label: 'image',
    example: 'img-gvbnzy6f',
    malformedCode: 'InvalidImageId.Malformed',
    codes: ['InvalidImageId.Malformed'],
  },
  keypair: {
    prefix: 'skey-',
    pattern: /^skey-[a-z0-9]{8}$/,
    label: 'key pair',
    example: 'skey-11112222',
    malformedCode: 'InvalidKeyPairId.Malformed',
    codes: ['InvalidKeyPairId.Malformed'],
  },
  host: {
    prefix: 'host-',
    pattern: /^host-[a-z0-9]{8}$/,
    label: 'dedicated host',
    example: 'host-11112222',
    malformedCode: 'InvalidHostId.Malformed',
    codes: ['InvalidHostId.Malformed'],
  },
  filesystem: {
    prefix: 'cfs-',
    pattern: /^cfs-[a-z0-9]{6,12}$/,
    label: 'file system',
    example: 'cfs-abcdef12',
    malformedCode: 'InvalidParameterValue.InvalidFileSystemId',
    codes: ['InvalidParameterValue.InvalidFileSystemId'],
  },
  pgroup: {
    prefix: 'pgroup-',
    pattern: /^pgroup-[a-z0-9]{6,12}$/,
    label: 'permission group',
    example: 'pgroup-doxpcqhz',
    malformedCode: 'InvalidParameterValue.InvalidPgroupId',
    codes: ['InvalidParameterValue.InvalidPgroupId'],
  },
  job: {
    prefix: '',
    pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    label: 'migration job',
    example: 'migrate-abcd1234',
    malformedCode: 'InvalidParameterValue.InvalidMigrateJobIdMalformed',
    codes: ['InvalidParameterValue.InvalidMigrateJobIdMalformed'],
  },
  sourceServer: {
    prefix: '',
    pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    label: 'source server',
    example: 'ss-abcd1234',
    malformedCode: 'InvalidParameterValue.InvalidSourceServerIdMalformed',
    codes: ['InvalidParameterValue.InvalidSourceServerIdMalformed'],
  },
};

/**
 * Request parameters that carry IDs, per service (the same name means different things in different services).
 * CSM's InstanceId is left out: LiveMigrateLhInstance takes Lighthouse IDs (lhins-, lhmins-) there, although its
 * error table copies CVM's "ins-1122" example.
 */
export const ID_PARAMS: Record<string, Record<string, IdKind>> = {
  cvm: {
    InstanceId: 'instance',
    InstanceIds: 'instance',
    ImageId: 'image',
    ImageIds: 'image',
    KeyId: 'keypair',
    KeyIds: 'keypair',
    HostIds: 'host',
  },
  cfs: { FileSystemId: 'filesystem', PGroupId: 'pgroup' },
  csm: { JobId: 'job', JobIds: 'job', SourceServerId: 'sourceServer', SourceServerIds: 'sourceServer' },
};

export function idPattern(kind: IdKind): RegExp {
  return ID_FORMATS[kind].pattern;
}

export function checkId(kind: IdKind, value: string): boolean {
  return ID_FORMATS[kind].pattern.test(value);
}

/**
 * Whether a parameter of an action carries an ID that should be checked, and the code to report: only when the
 * action's own error table documents a malformed-ID code for that kind, since that is what the server would answer.
 */
export function idCheckFor(
  action: { service: string; errors: { code: string }[] },
  paramName: string,
): { kind: IdKind; code: string } | undefined {
  const kind = ID_PARAMS[action.service]?.[paramName];
  if (!kind) return undefined;
  const code = action.errors.find((e) => ID_FORMATS[kind].codes.includes(e.code))?.code;
  return code ? { kind, code } : undefined;
}
