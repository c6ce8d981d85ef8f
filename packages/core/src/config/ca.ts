/**
 * TCE_CA_FILE: the deployment's own CA certificates, added to Node's. Checked when read, so that a wrong file
 * (a key, a DER file, a truncated copy, garbage) is refused with what to give, instead of every TLS connection
 * failing later with "unable to verify the first certificate".
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { ConfigError } from '../api/errors.ts';

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
/** A CA bundle is a few hundred KB at most; a bigger file is not one. */
const MAX_CA_BYTES = 4 * 1024 * 1024;

function refuse(file: string, why: string): ConfigError {
  return new ConfigError(
    `TCE_CA_FILE ${file} ${why}.\nGive a PEM file of CA certificates ("-----BEGIN CERTIFICATE-----" blocks), or unset TCE_CA_FILE.`,
  );
}

/** The PEM certificates in the file, each parsed; refused when there are none or one is not a certificate. */
export function readCaFile(file: string): string[] {
  let text: string;
  try {
    const buffer = readFileSync(file);
    if (buffer.length > MAX_CA_BYTES) throw refuse(file, `is ${buffer.length} bytes, more than a CA bundle`);
    text = buffer.toString('utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw refuse(file, `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const certificates: string[] = [];
  let index = 0;
  for (const match of text.matchAll(BLOCK)) {
    index++;
    // A private key in a CA file is a mistake worth naming, and must never be echoed.
    if (match[1] !== 'CERTIFICATE' && match[1] !== 'TRUSTED CERTIFICATE')
      throw refuse(file, `holds a "${match[1]}" block (number ${index}), not a certificate`);
    try {
      new X509Certificate(match[0]);
    } catch {
      throw refuse(file, `has a certificate (number ${index}) that cannot be read: it is damaged or cut short`);
    }
    certificates.push(match[0]);
  }
  if (certificates.length === 0) throw refuse(file, 'holds no PEM certificate');
  return certificates;
}

/** Node's own roots plus the file's: giving a CA file must not drop the public ones a proxy may need. */
export function caBundle(file: string): string[] {
  return [...rootCertificates, ...readCaFile(file)];
}
