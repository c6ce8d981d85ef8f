import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { createClient } from '../../src/api/client.ts';
import { ConfigError } from '../../src/api/errors.ts';
import { caBundle, readCaFile } from '../../src/config/ca.ts';

const dir = mkdtempSync(join(tmpdir(), 'tceops-ca-'));
function file(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('config/ca (TCE_CA_FILE)', () => {
  const good = rootCertificates[0]!;

  it('reads a PEM bundle and adds it to the public roots', () => {
    const path = file('bundle.pem', `# our CAs\n${good}\n${rootCertificates[1]}\n`);
    assert.equal(readCaFile(path).length, 2);
    assert.equal(caBundle(path).length, rootCertificates.length + 2);
  });

  it('refuses garbage, a private key, a cut-off certificate, DER and an empty file, at load, saying what to give', () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    const cut = good.split('\n');
    cut.splice(3, 4);
    const cases: [string, string | Buffer, RegExp][] = [
      ['garbage.pem', 'this is not a certificate\n', /holds no PEM certificate/],
      ['empty.pem', '', /holds no PEM certificate/],
      ['der.crt', Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x02, 0x82]), /holds no PEM certificate/],
      ['key.pem', `${good}\n${key}`, /holds a "PRIVATE KEY" block \(number 2\), not a certificate/],
      ['cut.pem', cut.join('\n'), /certificate \(number 1\) that cannot be read/],
      ['missing.pem', '', /cannot be read: ENOENT/],
    ];
    for (const [name, text, why] of cases) {
      const path = name === 'missing.pem' ? join(dir, 'nope', name) : file(name, text);
      assert.throws(
        () => readCaFile(path),
        (e: unknown) =>
          e instanceof ConfigError &&
          e.exitCode === 2 &&
          why.test(e.message) &&
          e.message.includes(path) &&
          /Give a PEM file of CA certificates/.test(e.message) &&
          !e.message.includes('MIG'),
        name,
      );
    }
  });

  it('a client given a garbage CA file refuses when it is made, before any request', () => {
    const path = file('bad.pem', 'garbage');
    assert.throws(
      () =>
        createClient({
          endpoint: 'https://127.0.0.1:9',
          env: { TCE_CA_FILE: path },
          credentials: { secretId: 'a', secretKey: 'b', source: 't' },
        }),
      /TCE_CA_FILE .*bad\.pem holds no PEM certificate/,
    );
  });
});
