export { decisionEntry, directRunEntries } from './entries.ts';
export { auditLine, GENESIS_HASH, recordHash, seal } from './chain.ts';
export {
  type AuditProblem,
  type AuditQuery,
  type AuditVerification,
  appendAudit,
  formatVerification,
  readAudit,
  verifyAudit,
} from './log.ts';
export { AUDIT_KINDS, type AuditEntry, type AuditHead, type AuditKind, type AuditRecord } from './types.ts';
