/**
 * Everything this package takes from core, in one place. Core's index cannot be loaded yet (it re-exports a
 * catalog that is not in the tree at the moment), so these come from their files; when the index loads and
 * exports the command types, this file becomes `export ... from '@tceops/core'` and nothing else changes.
 */
export { ConfigError, InputError, RefusedError, TceopsError } from '../../core/src/api/errors.ts';
export type {
  ApprovalState,
  ApprovalSummary,
  CommandContext,
  Engine,
  Outcome,
  PlanSummary,
  ProgressEvent,
  TableView,
  TargetResult,
} from '../../core/src/commands/types.ts';
export { maskSecret, redact, registerSecret } from '../../core/src/config/redact.ts';
