/**
 * The built-in policy, written in the policy file's own format: it is what applies with no TCEOPS_POLICY file,
 * and its rules follow a file's rules, so anything a file does not decide still gets a safe answer.
 * Order matters (the first match decides): reads are allowed even on production; production comes before the
 * plain risk rules so it can ask for more.
 */
import type { Policy, Rule, TagPair } from './types.ts';

export const BUILTIN_POLICY_YAML = `# tceops built-in policy
version: 1
# A target carrying this tag is production (key and value compared without regard to case).
productionTag: env=production
rules:
  - name: read
    match: { risk: read }
    allow: true
  - name: production
    match: { production: true }
    approve: { count: 2, ttl: 1h }
  - name: destructive
    match: { risk: destructive }
    approve: { count: 1, ttl: 1h }
  - name: sensitive
    match: { risk: sensitive }
    confirm: click
  - name: write
    match: { risk: write }
    confirm: click
`;

export const BUILTIN_SOURCE = 'built-in';

/**
 * BUILTIN_POLICY_YAML as the policy reader reads it (checkDocument in load.ts), kept here already read so a command
 * with no policy file loads neither the YAML parser nor the checks. A test reads the YAML above and requires exactly
 * this: edit both together.
 */
const BUILTIN_RULES: Rule[] = [
  { name: 'read', origin: 'built-in', line: 6, match: { risk: ['read'] }, decision: { kind: 'allow' } },
  {
    name: 'production',
    origin: 'built-in',
    line: 9,
    match: { production: true },
    decision: { kind: 'approve', count: 2, approvers: [], selfApproval: false, ttl: '1h', ttlMs: 3_600_000 },
  },
  {
    name: 'destructive',
    origin: 'built-in',
    line: 12,
    match: { risk: ['destructive'] },
    decision: { kind: 'approve', count: 1, approvers: [], selfApproval: false, ttl: '1h', ttlMs: 3_600_000 },
  },
  {
    name: 'sensitive',
    origin: 'built-in',
    line: 15,
    match: { risk: ['sensitive'] },
    decision: { kind: 'confirm', level: 'click' },
  },
  {
    name: 'write',
    origin: 'built-in',
    line: 18,
    match: { risk: ['write'] },
    decision: { kind: 'confirm', level: 'click' },
  },
];

const BUILTIN_PRODUCTION_TAGS: TagPair[] = [{ key: 'env', value: 'production' }];

/** The built-in policy's own parts, a fresh copy each time (callers may keep and change what they get). */
export function builtinParts(): { productionTags: TagPair[]; rules: Rule[] } {
  return structuredClone({ productionTags: BUILTIN_PRODUCTION_TAGS, rules: BUILTIN_RULES });
}

/** The policy tceops uses with no file. */
export function builtinPolicy(): Policy {
  return { source: BUILTIN_SOURCE, roles: {}, ...builtinParts() };
}
