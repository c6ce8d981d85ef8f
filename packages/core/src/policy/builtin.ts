/**
 * The built-in policy, written in the policy file's own format: it is what applies with no TCEOPS_POLICY file,
 * and its rules follow a file's rules, so anything a file does not decide still gets a safe answer.
 * Order matters (the first match decides): reads are allowed even on production; production comes before the
 * plain risk rules so it can ask for more.
 */
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
