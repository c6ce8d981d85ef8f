/** Enough of a SecretId to tell keys apart, never the whole. */
export function maskId(secretId: string): string {
  return secretId.length <= 8 ? '****' : `${secretId.slice(0, 4)}…${secretId.slice(-4)}`;
}
