/**
 * Evaluates the subset of VS Code's `when` clause language the manifest uses: `a && b`, `key == value`,
 * `key != value`, `key =~ /regex/flags`, `key`, `!key`. Anything else throws, so a new form gets a test.
 */
export function evaluateWhen(clause: string, context: Record<string, unknown>): boolean {
  return splitAnd(clause).every((term) => evaluateTerm(term.trim(), context));
}

function splitAnd(clause: string): string[] {
  // `&&` inside a /regex/ must not split it.
  const terms: string[] = [];
  let current = '';
  let inRegex = false;
  for (let i = 0; i < clause.length; i++) {
    const ch = clause[i]!;
    if (ch === '/' && clause[i - 1] !== '\\' && (inRegex || /=~\s*$/.test(current))) inRegex = !inRegex;
    if (!inRegex && ch === '&' && clause[i + 1] === '&') {
      terms.push(current);
      current = '';
      i++;
      continue;
    }
    current += ch;
  }
  terms.push(current);
  return terms;
}

function evaluateTerm(term: string, context: Record<string, unknown>): boolean {
  if (term.includes('||')) throw new Error(`"||" is not supported here: ${term}`);
  let match = /^([\w.]+)\s*=~\s*\/(.*)\/([a-z]*)$/.exec(term);
  if (match) return new RegExp(match[2]!, match[3]).test(String(context[match[1]!] ?? ''));
  match = /^([\w.]+)\s*(==|!=)\s*([\w.-]+)$/.exec(term);
  if (match) return (String(context[match[1]!] ?? '') === match[3]) === (match[2] === '==');
  match = /^(!?)([\w.]+)$/.exec(term);
  if (match) return Boolean(context[match[2]!]) !== (match[1] === '!');
  throw new Error(`unsupported when clause term: ${term}`);
}
