/**
 * Which parameters carry secrets: passwords, private keys, secret keys and session tokens, as the catalog names
 * them (ResetInstancesPassword.Password, LoginSettings.Password, CreateKeyPair's PrivateKey, CreateSourceServer's
 * SessionToken, the TmpSecretKey of a migration job...). Such a value is never taken from command text (history,
 * logs and Slack keep it) and never stored in a plan, an approval or the audit log.
 *
 * Decided on names after parsing, never on the raw text: quoting (`"--Password" x`, `--Pass''word x`), `=`,
 * dotted paths (`--LoginSettings.Password`) and JSON values (`--LoginSettings '{"Password":"x"}'`) all end up here
 * as the same name.
 */
import { parseJson } from '../api/json.ts';
import { getServiceCatalog } from './index.ts';
import type { Action, Param } from './types.ts';

/** Field names the docs use for secrets. ClientToken and CreationToken are idempotency keys and names, not secrets. */
const SECRET_NAME = /^(password|privatekey|secretkey|tmpsecretkey|secret|token|sessiontoken)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Every parameter path of an action that the catalog documents as a secret, e.g. ["LoginSettings.Password"]. */
export function secretParamPaths(action: Action): string[] {
  return secretPaths(action, action.input);
}

/** Every field of an action's answer that the catalog documents as a secret, e.g. ["KeyPair.PrivateKey"]. */
export function secretOutputPaths(action: Action): string[] {
  return secretPaths(action, action.output);
}

function secretPaths(action: Action, fields: Param[]): string[] {
  const catalog = getServiceCatalog(action.service, action.version);
  const out: string[] = [];
  const walk = (params: Param[], prefix: string, seen: Set<string>) => {
    for (const param of params) {
      const path = prefix ? `${prefix}.${param.name}` : param.name;
      if (isSecretName(param.name)) out.push(path);
      const type = param.type.replace(/^Array of /, '');
      const structure = catalog.structures[type];
      if (structure && !seen.has(type)) walk(structure.fields, path, new Set([...seen, type]));
    }
  };
  walk(fields, '', new Set());
  return out;
}

/** The secret names found anywhere in a value: object keys, and dotted segments of keys ("LoginSettings.Password"). */
export function secretsIn(value: unknown, key = ''): string[] {
  const found = new Set<string>();
  const walk = (v: unknown, k: string) => {
    if (k.split('.').some((segment) => isSecretName(segment)) && v !== undefined && v !== null && v !== '')
      found.add(k);
    if (v && typeof v === 'object')
      for (const [child, inner] of Object.entries(v)) walk(inner, Array.isArray(v) ? k : child);
  };
  walk(value, key);
  return [...found];
}

/**
 * Secret flags in parsed words: a flag whose name (or a dotted segment of it) is a secret name, or a value that is
 * a JSON object carrying one. Returns the flag names, never the values.
 */
export function secretFlagsIn(words: readonly string[]): string[] {
  const found = new Set<string>();
  for (const word of words) {
    const flag = /^-{1,2}([^=]+)(?:=(.*))?$/s.exec(word);
    if (flag) {
      const name = flag[1]!;
      if (name.split('.').some((segment) => isSecretName(segment))) found.add(`--${name}`);
      if (flag[2] !== undefined) for (const s of jsonSecrets(flag[2])) found.add(`--${name} (${s})`);
      continue;
    }
    for (const s of jsonSecrets(word)) found.add(s);
  }
  return [...found];
}

function jsonSecrets(text: string): string[] {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return [];
  try {
    return secretsIn(parseJson(trimmed));
  } catch {
    // Not JSON: a key written "Password": ... inside still counts, decided on the name.
    return /["']?\b(password|privatekey|secretkey|sessiontoken|token)\b["']?\s*:/i.test(trimmed) ? ['(in JSON)'] : [];
  }
}
