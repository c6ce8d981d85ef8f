/**
 * Reading a policy file. Every problem is reported with its line and what to write instead, and a file with any
 * problem is refused as a whole: half a policy is worse than none.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../api/errors.ts';
import type { Risk } from '../catalog/types.ts';
import { builtinParts, builtinPolicy } from './builtin.ts';
import { ttlProblem, parseDuration } from './duration.ts';
import { globProblem } from './glob.ts';
import { parsePriceCondition } from './price.ts';
import {
  type DecisionSpec,
  type Match,
  type Policy,
  type PolicyProblem,
  RISKS,
  type Rule,
  SURFACES,
  type TagPair,
} from './types.ts';
import { loadWithLines, type PathSegment } from './yaml-lines.ts';
import { inert } from '../inert.ts';
import { editDistance } from '../suggest.ts';

const TOP_KEYS = ['version', 'productionTag', 'roles', 'rules', 'auditReads'];
const RULE_KEYS = ['name', 'match', 'allow', 'confirm', 'approve', 'deny'];
const DECISION_KEYS = ['allow', 'confirm', 'approve', 'deny'];
const MATCH_KEYS = [
  'risk',
  'action',
  'region',
  'tags',
  'production',
  'surface',
  'channel',
  'role',
  'price',
  'priceChange',
];
const APPROVE_KEYS = ['count', 'approvers', 'selfApproval', 'ttl', 'channel'];
const DEFAULT_TTL = '1h';
const MAX_APPROVALS = 10;
const ROLE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
/**
 * Bounds that keep a hostile or broken file cheap to refuse. A real policy is a few KB with a few hundred values;
 * YAML aliases (*name) let 1 KB stand for billions of values (an "alias bomb"), so the document is measured with
 * its aliases expanded before anything walks it, and what a problem quotes is cut short.
 */
const MAX_POLICY_BYTES = 1024 * 1024;
const MAX_VALUES = 10_000;
const MAX_DEPTH = 16;
const MAX_PROBLEMS = 50;
const MAX_QUOTE = 60;
/** Slack user group IDs: a role holding one may have any number of people. */
const SLACK_GROUP = /^S[A-Z0-9]{6,}$/;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pathText(path: PathSegment[]): string {
  return (
    path.reduce<string>((out, s) => (typeof s === 'number' ? `${out}[${s}]` : out ? `${out}.${s}` : s), '') || '(top)'
  );
}

function suggestion(word: string, known: readonly string[]): string {
  if (word.length > MAX_QUOTE) return '';
  // A shared start of four letters is as telling as a small typo ("destroy" → "destructive").
  const prefixed =
    word.length >= 4 ? known.find((k) => k.toLowerCase().startsWith(word.slice(0, 4).toLowerCase())) : undefined;
  if (prefixed && prefixed !== word) return ` (did you mean "${prefixed}"?)`;
  const best = known
    .map((k) => ({ k, d: editDistance(word.toLowerCase(), k.toLowerCase()) }))
    .sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(word.length / 3)) ? ` (did you mean "${best.k}"?)` : '';
}

/** A value as an error quotes it: JSON, at most MAX_QUOTE characters, inert. */
function quote(value: unknown): string {
  const text = value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
  return inert(text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE)}…` : text);
}

/** Values counted with every alias expanded, stopping at the first bound crossed (iterative: no recursion). */
function sizeProblem(doc: unknown): string | undefined {
  const stack: [unknown, number][] = [[doc, 1]];
  let values = 0;
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (++values > MAX_VALUES)
      return `the policy holds more than ${MAX_VALUES.toLocaleString('en')} values once its aliases (*name) are expanded; write the values out instead of repeating anchors`;
    if (depth > MAX_DEPTH) return `the policy nests deeper than ${MAX_DEPTH} levels; a policy needs about five`;
    if (value && typeof value === 'object')
      for (const child of Object.values(value))
        if (child && typeof child === 'object') stack.push([child, depth + 1]);
        else values++;
  }
  return undefined;
}

class Checker {
  problems: PolicyProblem[] = [];
  /** Problems past MAX_PROBLEMS are counted, not described: finding their lines costs time for nothing. */
  more = 0;
  constructor(private readonly lineOf: (path: PathSegment[]) => number | undefined) {}

  add(path: PathSegment[], message: string): void {
    if (this.problems.length >= MAX_PROBLEMS) {
      this.more++;
      return;
    }
    const shown = path.map((s) => (typeof s === 'string' && s.length > MAX_QUOTE ? `${s.slice(0, MAX_QUOTE)}…` : s));
    this.problems.push({ line: this.lineOf(path), path: inert(pathText(shown)), message: inert(message) });
  }

  keys(obj: Obj, path: PathSegment[], known: readonly string[], what: string): void {
    for (const key of Object.keys(obj)) {
      if (!known.includes(key)) {
        this.add(
          [...path, key],
          `unknown key ${quote(key)} in ${what}${suggestion(key, known)}; expected one of: ${known.join(', ')}`,
        );
      }
    }
  }

  /** A string or a list of strings, as a list; problems for anything else. */
  strings(value: unknown, path: PathSegment[]): string[] {
    const list = Array.isArray(value) ? value : [value];
    const out: string[] = [];
    list.forEach((v, i) => {
      const at = Array.isArray(value) ? [...path, i] : path;
      if (typeof v === 'string' && v.trim() !== '') out.push(v.trim());
      else if (typeof v === 'number') out.push(String(v));
      else this.add(at, `expected a non-empty text, got ${v === null ? 'nothing' : quote(v)}`);
    });
    if (Array.isArray(value) && value.length === 0)
      this.add(path, 'an empty list matches nothing; remove the key or give values');
    return out;
  }
}

function parseTag(text: string): TagPair | undefined {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1) return undefined;
  return { key: text.slice(0, eq).trim(), value: text.slice(eq + 1).trim() };
}

function checkRoles(c: Checker, value: unknown): Record<string, string[]> {
  const roles: Record<string, string[]> = {};
  if (value === undefined || value === null) return roles;
  if (!isObj(value)) {
    c.add(['roles'], 'roles must be a mapping of role name to members, e.g. "sre: [alice, U012ABCDEF]"');
    return roles;
  }
  for (const [name, members] of Object.entries(value)) {
    if (!ROLE_NAME.test(name))
      c.add(['roles', name], `role name ${quote(name)} must start with a letter and use letters, digits, _ . -`);
    const list = c.strings(members, ['roles', name]);
    list.forEach((m, i) => {
      if (/\s/.test(m))
        c.add(
          ['roles', name, i],
          `member ${quote(m)} has a space; give a user name, a Slack user ID or a user group ID`,
        );
    });
    roles[name] = list;
  }
  return roles;
}

function checkRoleRefs(c: Checker, names: string[], path: PathSegment[], roles: Record<string, string[]>): void {
  for (const name of names) {
    const bare = name.startsWith('!') ? name.slice(1) : name;
    if (!(bare in roles)) {
      const known = Object.keys(roles);
      c.add(
        path,
        `unknown role ${quote(bare)}${suggestion(bare, known)}; ${known.length ? `defined roles: ${known.join(', ')}` : 'define it under "roles:"'}`,
      );
    }
  }
}

function checkMatch(c: Checker, value: unknown, path: PathSegment[], roles: Record<string, string[]>): Match {
  const match: Match = {};
  if (value === undefined || value === null) return match;
  if (!isObj(value)) {
    c.add(path, 'match must be a mapping, e.g. "match: { risk: destructive }"');
    return match;
  }
  c.keys(value, path, MATCH_KEYS, 'match');
  if ('risk' in value) {
    const risks = c.strings(value.risk, [...path, 'risk']);
    for (const r of risks) {
      const bare = r.startsWith('!') ? r.slice(1) : r;
      if (!RISKS.includes(bare as Risk))
        c.add(
          [...path, 'risk'],
          `unknown risk ${quote(bare)}${suggestion(bare, RISKS)}; risks are ${RISKS.join(', ')}`,
        );
    }
    match.risk = risks as Risk[];
  }
  if ('action' in value) {
    const actions = c.strings(value.action, [...path, 'action']);
    for (const a of actions) {
      const problem = globProblem(a);
      if (problem) c.add([...path, 'action'], `bad glob: ${problem}`);
      else if (!a.includes(':'))
        c.add(
          [...path, 'action'],
          `${quote(a)} must name the service too, as service:Action, e.g. cvm:Terminate* or cfs:*`,
        );
    }
    match.action = actions;
  }
  for (const key of ['region', 'channel'] as const) {
    if (key in value) {
      const globs = c.strings(value[key], [...path, key]);
      for (const g of globs) {
        const problem = globProblem(g);
        if (problem) c.add([...path, key], `bad glob: ${problem}`);
      }
      match[key] = globs;
    }
  }
  if ('surface' in value) {
    const surfaces = c.strings(value.surface, [...path, 'surface']);
    for (const s of surfaces) {
      const bare = s.startsWith('!') ? s.slice(1) : s;
      if (!SURFACES.includes(bare as never))
        c.add(
          [...path, 'surface'],
          `unknown surface ${quote(bare)}${suggestion(bare, SURFACES)}; surfaces are ${SURFACES.join(', ')}`,
        );
    }
    match.surface = surfaces;
  }
  if ('role' in value) {
    const names = c.strings(value.role, [...path, 'role']);
    checkRoleRefs(c, names, [...path, 'role'], roles);
    match.role = names;
  }
  if ('tags' in value) {
    const tags = value.tags;
    if (!isObj(tags) || Object.keys(tags).length === 0) {
      c.add([...path, 'tags'], 'tags must be a mapping of tag key to value glob, e.g. "tags: { env: production }"');
    } else {
      match.tags = {};
      for (const [k, v] of Object.entries(tags)) {
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
          c.add([...path, 'tags', k], `tag ${quote(k)} needs a value glob (use "*" for any value)`);
          continue;
        }
        const problem = globProblem(String(v));
        if (problem) c.add([...path, 'tags', k], `bad glob: ${problem}`);
        match.tags[k] = String(v);
      }
    }
  }
  if ('production' in value) {
    if (typeof value.production !== 'boolean') c.add([...path, 'production'], 'production must be true or false');
    else match.production = value.production;
  }
  for (const key of ['price', 'priceChange'] as const) {
    if (!(key in value)) continue;
    const conditions = c.strings(value[key], [...path, key]);
    for (const text of conditions) {
      const parsed = parsePriceCondition(text);
      if (typeof parsed === 'string') c.add([...path, key], parsed);
    }
    match[key] = conditions;
  }
  return match;
}

function checkDecision(
  c: Checker,
  rule: Obj,
  path: PathSegment[],
  roles: Record<string, string[]>,
): DecisionSpec | undefined {
  const given = DECISION_KEYS.filter((k) => k in rule);
  if (given.length !== 1) {
    c.add(
      path,
      given.length === 0
        ? `a rule needs a decision: one of ${DECISION_KEYS.join(', ')}`
        : `a rule takes one decision, this one has ${given.join(' and ')}`,
    );
    return undefined;
  }
  const kind = given[0]!;
  const value = rule[kind];
  const at = [...path, kind];
  switch (kind) {
    case 'allow':
      if (value !== true) {
        c.add(at, 'allow takes only "true"; to refuse, write "deny: <reason>"');
        return undefined;
      }
      return { kind: 'allow' };
    case 'confirm':
      if (value !== 'click' && value !== 'typed') {
        c.add(at, `confirm is "click" or "typed" (typed: the ID must be typed), not ${quote(value)}`);
        return undefined;
      }
      return { kind: 'confirm', level: value };
    case 'deny': {
      const reason = isObj(value) ? value.reason : value;
      if (isObj(value)) c.keys(value, at, ['reason'], 'deny');
      if (typeof reason !== 'string' || reason.trim() === '') {
        c.add(at, 'deny needs a reason for the people refused, e.g. "deny: terminate from #ops only"');
        return undefined;
      }
      return { kind: 'deny', reason: reason.trim() };
    }
    default: {
      const spec = value === true || value === null ? {} : value;
      if (!isObj(spec)) {
        c.add(at, 'approve takes a mapping, e.g. "approve: { count: 2, approvers: sre, ttl: 30m }"');
        return undefined;
      }
      c.keys(spec, at, APPROVE_KEYS, 'approve');
      const count = spec.count ?? 1;
      let ok = true;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_APPROVALS) {
        c.add([...at, 'count'], `count must be a whole number from 1 to ${MAX_APPROVALS}, not ${quote(count)}`);
        ok = false;
      }
      const approvers = 'approvers' in spec ? c.strings(spec.approvers, [...at, 'approvers']) : [];
      if (approvers.some((a) => a.startsWith('!'))) {
        c.add([...at, 'approvers'], 'approvers names roles that may approve; "!" does not apply here');
        ok = false;
      }
      checkRoleRefs(c, approvers, [...at, 'approvers'], roles);
      if (typeof count === 'number' && approvers.length > 0 && approvers.every((r) => r in roles)) {
        const members = new Set(approvers.flatMap((r) => roles[r] ?? []));
        const hasGroup = [...members].some((m) => SLACK_GROUP.test(m) || m === '*');
        if (!hasGroup && members.size < count) {
          c.add(
            [...at, 'count'],
            `needs ${count} approvals but ${approvers.join(', ')} ${members.size === 1 ? 'has 1 member' : `have ${members.size} members`}: it could never be approved`,
          );
          ok = false;
        }
      }
      const selfApproval = spec.selfApproval ?? false;
      if (typeof selfApproval !== 'boolean') {
        c.add([...at, 'selfApproval'], 'selfApproval must be true or false');
        ok = false;
      }
      const ttl = spec.ttl ?? DEFAULT_TTL;
      const problem = typeof ttl === 'string' ? ttlProblem(ttl) : `ttl needs a unit, e.g. "30m" (got ${quote(ttl)})`;
      if (problem) {
        c.add([...at, 'ttl'], `bad ttl: ${problem}`);
        ok = false;
      }
      const channel = spec.channel;
      if (channel !== undefined && (typeof channel !== 'string' || channel.trim() === '')) {
        c.add([...at, 'channel'], 'channel must be a Slack channel ID, e.g. C0123ABCD');
        ok = false;
      }
      if (!ok) return undefined;
      return {
        kind: 'approve',
        count: count as number,
        approvers,
        selfApproval: selfApproval as boolean,
        ttl: ttl as string,
        ttlMs: parseDuration(ttl as string)!,
        ...(typeof channel === 'string' ? { channel: channel.trim() } : {}),
      };
    }
  }
}

interface Parsed {
  auditReads?: boolean;
  auditReadsLine?: number;
  productionTags?: TagPair[];
  roles: Record<string, string[]>;
  rules: Rule[];
}

/** A policy text read and checked (its rules alone, without the built-in ones). Exported for the built-in's test. */
export function checkDocument(text: string, origin: Rule['origin']): { parsed?: Parsed; problems: PolicyProblem[] } {
  if (text.length > MAX_POLICY_BYTES)
    return {
      problems: [
        { path: '(file)', message: `the policy is larger than ${MAX_POLICY_BYTES / 1024} KB; a policy needs a few KB` },
      ],
    };
  let located: ReturnType<typeof loadWithLines>;
  try {
    located = loadWithLines(text);
  } catch (error) {
    const e = error as { mark?: { line: number }; reason?: string; message: string };
    return {
      problems: [
        {
          line: e.mark ? e.mark.line + 1 : undefined,
          path: '(yaml)',
          message: `not valid YAML: ${e.reason ?? e.message}`,
        },
      ],
    };
  }
  const tooBig = sizeProblem(located.doc);
  if (tooBig) return { problems: [{ path: '(yaml)', message: tooBig }] };
  const c = new Checker(located.lineOf);
  const doc = located.doc ?? {};
  if (!isObj(doc)) {
    c.add([], 'a policy is a mapping with "roles:" and "rules:"');
    return { problems: c.problems };
  }
  c.keys(doc, [], TOP_KEYS, 'the policy');
  if ('version' in doc && doc.version !== 1)
    c.add(['version'], `version ${quote(doc.version)} is not known; this tceops reads version 1`);

  let productionTags: TagPair[] | undefined;
  if ('productionTag' in doc) {
    productionTags = [];
    for (const t of c.strings(doc.productionTag, ['productionTag'])) {
      const pair = parseTag(t);
      if (pair) productionTags.push(pair);
      else c.add(['productionTag'], `${quote(t)} is not key=value, e.g. env=production`);
    }
  }
  const roles = checkRoles(c, doc.roles);
  // Strictly true or false: "yes", "on" or 1 are refused rather than guessed, since a wrong guess hides reads.
  if ('auditReads' in doc && typeof doc.auditReads !== 'boolean')
    c.add(
      ['auditReads'],
      `must be true (record every read the policy allows in the audit log) or false (the default), not ${quote(doc.auditReads)}`,
    );

  const rules: Rule[] = [];
  const rawRules = doc.rules ?? [];
  if (!Array.isArray(rawRules)) c.add(['rules'], 'rules must be a list, each item starting with "- "');
  else {
    const names = new Set<string>();
    rawRules.forEach((raw, i) => {
      const path: PathSegment[] = ['rules', i];
      if (!isObj(raw)) {
        c.add(path, 'a rule is a mapping, e.g. "- match: { risk: write }\\n  confirm: click"');
        return;
      }
      c.keys(raw, path, RULE_KEYS, 'a rule');
      let name = `rule ${i + 1}`;
      if ('name' in raw) {
        if (typeof raw.name !== 'string' || raw.name.trim() === '') c.add([...path, 'name'], 'name must be a text');
        else name = raw.name.trim();
      }
      if (names.has(name))
        c.add([...path, 'name'], `two rules are named ${quote(name)}; names must be unique so explanations are clear`);
      names.add(name);
      const match = checkMatch(c, raw.match, [...path, 'match'], roles);
      const decision = checkDecision(c, raw, path, roles);
      if (decision) rules.push({ name, origin, line: located.lineOf(path), match, decision });
    });
  }
  if (c.more)
    c.problems.push({ path: '(file)', message: `and ${c.more} more problem${c.more === 1 ? '' : 's'} like these` });
  const auditReads =
    doc.auditReads === true ? { auditReads: true, auditReadsLine: located.lineOf(['auditReads']) } : {};
  return {
    parsed: c.problems.length ? undefined : { ...auditReads, productionTags, roles, rules },
    problems: c.problems,
  };
}

/** Check a policy text. With no problems, `policy` is what it means: its rules followed by the built-in ones. */
export function checkPolicy(text: string, source = 'policy'): { policy?: Policy; problems: PolicyProblem[] } {
  const { parsed, problems } = checkDocument(text, 'file');
  if (!parsed) return { problems };
  const base = builtinParts();
  return {
    problems,
    policy: {
      source,
      productionTags: parsed.productionTags ?? base.productionTags,
      roles: parsed.roles,
      rules: [...parsed.rules, ...base.rules],
      ...(parsed.auditReads ? { auditReads: true, auditReadsLine: parsed.auditReadsLine } : {}),
    },
  };
}

export function formatProblems(source: string, problems: PolicyProblem[]): string {
  return problems.map((p) => `${source}${p.line ? `:${p.line}` : ''}: ${p.path}: ${p.message}`).join('\n');
}

export { builtinPolicy };

/** Read a policy file; a file that cannot be read or has any problem is refused with every problem listed. */
export function loadPolicy(file: string): Policy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `cannot read the policy file ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}\n` +
        'Set TCEOPS_POLICY to a readable YAML file, or unset it to use the built-in policy.',
    );
  }
  const { policy, problems } = checkPolicy(text, file);
  if (!policy) {
    throw new ConfigError(
      `the policy file ${file} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}; nothing was run:\n` +
        `${formatProblems(file, problems)}\nCheck it with: tceops policy check ${file}`,
    );
  }
  return policy;
}

/** TCEOPS_POLICY, or the built-in policy when it is unset or empty. */
export function policyFromEnv(env: NodeJS.ProcessEnv = process.env): Policy {
  const file = env.TCEOPS_POLICY?.trim();
  return file ? loadPolicy(file) : builtinPolicy();
}
