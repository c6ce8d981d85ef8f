/**
 * Everything the emulator takes from core, in one place. The signing functions are not exported by
 * `@tceops/core` yet, so they are imported from their files; when core exports them, only this file changes.
 */
export {
  type Action,
  coerceFlags,
  findAction,
  getServiceCatalog,
  listServices,
  parseJson,
  rulesFor,
  hostNameProblem,
  isIpv4,
  type ServiceCatalog,
  stringifyJson,
  validateParams,
} from '@tceops/core';
export { parseTc3Authorization, sha256Hex, tc3Signature, utcDate } from '../../core/src/api/sign/tc3.ts';
export { v1Signature, v1StringToSign } from '../../core/src/api/sign/v1.ts';
