import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { parseTc3Authorization, sha256Hex, signTc3, utcDate } from '../../../src/api/sign/tc3.ts';

// The official SDK's signer is the oracle: vectors are computed independently of our code.
const require = createRequire(import.meta.url);
const { default: SdkSign } = require('tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js');

const secretId = 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE';
const secretKey = 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE';

function ours(
  method: 'GET' | 'POST',
  host: string,
  query: string,
  payload: string,
  timestamp: number,
  service: string,
) {
  const contentType = method === 'GET' ? 'application/x-www-form-urlencoded' : 'application/json';
  return signTc3({
    secretId,
    secretKey,
    service,
    timestamp,
    request: { method, query, headers: { 'content-type': contentType, host }, payload },
  });
}

describe('api/sign/tc3', () => {
  it('reproduces the docs example with its printed inputs (the published signature needs another host)', () => {
    // domain.md §1: the docs print host cvm.finance.cloud.tencent.com but a signature made for cvm.tencentcloudapi.com.
    const printed = ours('GET', 'cvm.finance.cloud.tencent.com', 'Limit=10&Offset=0', '', 1539084154, 'cvm');
    assert.equal(printed.signature, 'e58ba76f0ad56875e1ef9f67e4930f28ba11e300c6f055aace641b06f433ff1b');
    assert.equal(
      sha256Hex(printed.canonicalRequest),
      '404c983ca91e7a42db052e715f6b87872972d90b3e9bbaccc892fd145db57a51',
    );
    const published = ours('GET', 'cvm.tencentcloudapi.com', 'Limit=10&Offset=0', '', 1539084154, 'cvm');
    assert.equal(published.signature, '5da7a33f6993f0614b047e5df4582db9e9bf4672ba50567dba16c6ccf174c474');
    const api3 = ours('GET', 'cvm.api3.finance.cloud.tencent.com', 'Limit=10&Offset=0', '', 1539084154, 'cvm');
    assert.equal(api3.signature, '6531cff9bed271d2fcf5e6b2c57e0aec58314df037135f906c2e25d51e226bfd');
    assert.equal(
      printed.authorization,
      `TC3-HMAC-SHA256 Credential=${secretId}/2018-10-09/cvm/tc3_request, SignedHeaders=content-type;host, Signature=e58ba76f0ad56875e1ef9f67e4930f28ba11e300c6f055aace641b06f433ff1b`,
    );
  });

  it('hashes an empty payload to the correct value (the docs print it truncated)', () => {
    assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('uses the UTC date, also just after midnight in Beijing', () => {
    // 2019-02-26 00:30 in UTC+8 is still 2019-02-25 in UTC.
    assert.equal(utcDate(1551112200), '2019-02-25');
    assert.equal(utcDate(1551113065), '2019-02-25');
  });

  it('matches the official SDK on POST JSON for random requests', () => {
    for (let i = 0; i < 200; i++) {
      const timestamp = 1500000000 + Math.floor(Math.random() * 300000000);
      const body = { Limit: i % 100, Filters: [{ Name: 'zone', Values: [`ap-guangzhou-${i}`] }], Name: `名字-${i}` };
      const payload = JSON.stringify(body);
      const host = i % 2 ? 'cvm.api3.finance.cloud.tencent.com' : 'cfs.example.internal';
      const service = host.split('.')[0]!;
      const expected = SdkSign.sign3({
        method: 'POST',
        url: `https://${host}/`,
        payload: body,
        timestamp,
        service,
        secretId,
        secretKey,
        headers: { 'Content-Type': 'application/json' },
      });
      assert.equal(ours('POST', host, '', payload, timestamp, service).authorization, expected);
    }
  });

  it('matches the official SDK on GET with a query string', () => {
    for (let i = 0; i < 50; i++) {
      const timestamp = 1600000000 + i * 86399;
      const query = `InstanceIds.0=ins-${i.toString(36).padStart(8, '0')}&Limit=${i}&Offset=0`;
      const expected = SdkSign.sign3({
        method: 'GET',
        url: `https://cvm.tencentcloudapi.com/?${query}`,
        payload: '',
        timestamp,
        service: 'cvm',
        secretId,
        secretKey,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(ours('GET', 'cvm.tencentcloudapi.com', query, '', timestamp, 'cvm').authorization, expected);
    }
  });

  it('takes the service as given, so an IP endpoint signs for the right service', () => {
    const a = ours('POST', '10.0.0.5:8443', '', '{}', 1700000000, 'cvm');
    assert.match(a.authorization, /Credential=[^/]+\/2023-11-14\/cvm\/tc3_request/);
    const b = ours('POST', '10.0.0.5:8443', '', '{}', 1700000000, 'cfs');
    assert.notEqual(a.signature, b.signature);
  });

  it('parses its own Authorization header and refuses malformed ones', () => {
    const signed = ours('POST', 'cvm.example', '', '{}', 1700000000, 'cvm');
    const parsed = parseTc3Authorization(signed.authorization);
    assert.deepEqual(parsed, {
      secretId,
      date: '2023-11-14',
      service: 'cvm',
      signedHeaders: ['content-type', 'host'],
      signature: signed.signature,
    });
    assert.equal(parseTc3Authorization('TC3-HMAC-SHA256 Credential=x'), undefined);
    assert.equal(parseTc3Authorization(''), undefined);
  });
});
