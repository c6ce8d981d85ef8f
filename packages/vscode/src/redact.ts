/**
 * Secrets the extension holds (signed-in keys, typed passwords) are registered here and replaced before any
 * text reaches the log or a notification. The core redacts its own; this covers what only the extension knows.
 * A SecretId is not a secret on its own, but it names the account: it is shown masked (AKID…wxyz), never whole.
 */
import { maskId } from './mask.ts';

const secrets = new Set<string>();
const ids = new Set<string>();

export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) secrets.add(value);
}

export function forgetSecret(value: string | undefined): void {
  if (value) secrets.delete(value);
}

/** A SecretId in use: every log line shows it masked. */
export function registerSecretId(value: string | undefined): void {
  if (value && value.length >= 8) ids.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('****');
  for (const id of ids) out = out.split(id).join(maskId(id));
  // A SecretId-shaped token nobody registered (from an error message, a profile) is masked too.
  out = out.replace(/\bAKID[A-Za-z0-9]{8,}\b/g, (id) => maskId(id));
  // SecretKey=..., "secretKey": "...", Password=... in any message that slipped through. Only `=` or a quoted
  // key with `:` counts: "the password prompt: cvm ..." is prose, not an assignment.
  return out.replace(/((?:secret_?key|password)(?:\s*=\s*|["']\s*:\s*)["']?)[^\s"',&]+/gi, '$1****');
}
