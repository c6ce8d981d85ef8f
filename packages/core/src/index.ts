export * from './api/client.ts';
export * from './api/errors.ts';
export { flattenParams } from './api/flatten.ts';
export { JsonLimitError, parseJson, stringifyJson } from './api/json.ts';
export { compileGlob, hasWildcard, matchGlob } from './glob.ts';
export { inert, inertJson, type InertOptions } from './inert.ts';
export { listAll, type PageOptions, paginate } from './api/paginate.ts';
export { bypassesProxy, createTransport } from './api/transport.ts';
export * from './catalog/index.ts';
export { coerceFlags } from './catalog/coerce.ts';
export { assertValid, validateParams } from './catalog/validate.ts';
export { type Credentials, resolveCredentials } from './config/credentials.ts';
export { resolveEndpoint } from './config/endpoints.ts';
export { profileName, readProfileConfigure, readProfileCredential, tccliDir } from './config/profiles.ts';
export { maskSecret, redact, registerSecret } from './config/redact.ts';
export * from './commands/types.ts';
export { helpText, complete } from './commands/help.ts';
export { parseCommand } from './commands/parse.ts';
export { tokenize } from './commands/tokenize.ts';
export { approvalSummary, createEngine, type EngineOptions } from './commands/engine.ts';
export { approvalHeadline } from './commands/present.ts';
export { allows, KINDS, kindOf, menuFor } from './kinds/index.ts';
export type { KindModule, KindVerb } from './kinds/index.ts';
export { isSecretName, secretFlagsIn, secretParamPaths } from './catalog/secrets.ts';
export {
  builtinPolicy,
  checkPolicy,
  decisionHeadline,
  evaluatePolicy,
  explainDecision,
  formatProblems,
  loadPolicy,
  policyFromEnv,
  type Decision,
  type Policy,
  type PolicyProblem,
} from './policy/index.ts';
export * from './store/index.ts';
export * from './audit/index.ts';
export {
  approveRequest,
  cancelRequest,
  denyRequest,
  executeApproved,
  expireRequests,
  reconcile,
  requestApproval,
  waitingFor,
  type ApprovalRecord,
  TERMINAL_STATES,
} from './approvals/index.ts';
export * from './plan/index.ts';
export { identityKey, identityProblem, normalizeIdentity, sameIdentity } from './identity/normalize.ts';
export { verifiedContext, withVerifiedActors } from './identity/engine.ts';
export { resolveStoreKey, type StoreKey, storeKeyFile } from './integrity/key.ts';
export { SealedStore } from './integrity/sealed-store.ts';
export { formatIntegrity, type IntegrityReport, verifyIntegrity } from './integrity/verify.ts';
export { type ApiHandler, type ApiOptions, API_PREFIX, createApiHandler } from './server/api.ts';
export {
  credentialsFile,
  readCredentials,
  removeCredentials,
  type SavedCredentials,
  writeCredentials,
} from './server/credentials.ts';
export { type ApprovalFeed, approvalFromWire, followApprovals } from './server/approvals-stream-client.ts';
export { apiUrl, callServer, createRemoteEngine, type RemoteOptions, whoami } from './server/remote.ts';
export { formatCode, normalizeCode, Sessions, type SessionOptions, type TokenInfo } from './server/sessions.ts';
export { errorFromWire, outcomeFromWire, outcomeToWire, RemoteError, type WhoAmI } from './server/wire.ts';
