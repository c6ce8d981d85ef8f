export { BUILTIN_POLICY_YAML } from './builtin.ts';
export { formatDuration, parseDuration } from './duration.ts';
export { evaluatePolicy, isProduction, typedConfirmation } from './evaluate.ts';
export { decisionHeadline, explainDecision } from './explain.ts';
export { builtinPolicy, checkPolicy, formatProblems, loadPolicy, policyFromEnv } from './load.ts';
export { eligibleMembers, isMember, rolesOf, samePerson, toPrincipal } from './roles.ts';
export type {
  ConfirmLevel,
  Decision,
  DecisionSpec,
  Match,
  Policy,
  PolicyContext,
  PolicyProblem,
  Principal,
  Rule,
  Surface,
  TagPair,
  TrailStep,
} from './types.ts';
