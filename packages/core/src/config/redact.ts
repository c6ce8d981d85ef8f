/**
 * Secrets never reach a log line or an error message: every value registered here is masked wherever it appears.
 */

const known = new Set<string>();

/** Remember a secret so that `redact` masks it from now on. Short values are ignored: masking them would garble text. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) known.add(value);
}

/** tccli's style: stars and the last four characters, enough to tell two keys apart. */
export function maskSecret(value: string): string {
  return value.length <= 8 ? '********' : `${'*'.repeat(16)}${value.slice(-4)}`;
}

// Shapes that are secret wherever they appear, registered or not.
const PATTERNS: [RegExp, string][] = [
  [/(Signature=)[0-9a-f]{64}/gi, '$1<redacted>'],
  [
    /(["']?(?:secretKey|SecretKey|secret_key|password|Password|token|Token)["']?\s*[:=]\s*["']?)[^"'\s,}&]+/g,
    '$1<redacted>',
  ],
  [/xox[abposr]-[A-Za-z0-9-]+/g, 'xox?-<redacted>'],
  [/xapp-[A-Za-z0-9-]+/g, 'xapp-<redacted>'],
  // A tceops server's session token (sessions.ts: the prefix and 43 characters), wherever one is read from.
  [/tceops_[A-Za-z0-9_-]{40,}/g, 'tceops_<redacted>'],
  // The password of a URL (a postgres:// store, a proxy): the user and host stay, to tell which one.
  [/([a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)[^\s/@]+@/gi, '$1<redacted>@'],
];

// Every pattern needs one of these: text without any (a RequestId, most messages) skips the replacements.
const PATTERN_NEEDS = /[:=]|xox|xapp-|tceops_/;

export function redact(text: string): string {
  let out = text;
  for (const secret of known) if (out.includes(secret)) out = out.split(secret).join(maskSecret(secret));
  if (!PATTERN_NEEDS.test(out)) return out;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
