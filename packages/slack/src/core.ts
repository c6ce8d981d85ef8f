/** Everything this package takes from core, in one place. */
export {
  type ApprovalState,
  type ApprovalSummary,
  type CommandContext,
  ConfigError,
  type Engine,
  InputError,
  maskSecret,
  type Outcome,
  type PlanSummary,
  type ProgressEvent,
  RefusedError,
  redact,
  registerSecret,
  type TableView,
  type TargetResult,
  TceopsError,
} from '@tceops/core';
