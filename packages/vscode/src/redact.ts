/**
 * Secrets the extension holds (signed-in keys, typed passwords) are registered here and replaced before any
 * text reaches the log or a notification. The core redacts its own; this covers what only the extension knows.
 */
const secrets = new Set<string>();

export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
}

export function forgetSecret(value: string | undefined): void {
  if (value) secrets.delete(value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('****');
  // SecretKey=..., "secretKey": "...", Password=... in any message that slipped through.
  return out.replace(/((?:secret_?key|password)["']?\s*[:=]\s*["']?)[^\s"',&]+/gi, '$1****');
}
