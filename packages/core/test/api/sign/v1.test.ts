import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { rfc3986, signV1, v1CanonicalQuery, v1Signature, v1StringToSign } from '../../../src/api/sign/v1.ts';

const require = createRequire(import.meta.url);
const { default: SdkSign } = require('tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js');

const secretKey = 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE';
const docsParams = {
  Action: 'DescribeInstances',
  'InstanceIds.0': 'ins-09dx96dg',
  Limit: '20',
  Nonce: '11886',
  Offset: '0',
  Region: 'shjr',
  SecretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
  Timestamp: '1465185768',
  Version: '2017-03-12',
};

describe('api/sign/v1', () => {
  it('builds the docs string to sign from the printed inputs', () => {
    assert.equal(
      v1StringToSign('GET', 'cvm.finance.cloud.tencent.com', '/', docsParams),
      'GETcvm.finance.cloud.tencent.com/?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0&Region=shjr&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&Timestamp=1465185768&Version=2017-03-12',
    );
  });

  it('gives the correct signatures for the docs inputs (the published one is for a public-cloud host)', () => {
    const printed = v1StringToSign('GET', 'cvm.finance.cloud.tencent.com', '/', docsParams);
    assert.equal(v1Signature(secretKey, 'HmacSHA1', printed), '8UAj5grJNx3uGNuyi0M6Gd1f5gY=');
    const published = v1StringToSign('GET', 'cvm.tencentcloudapi.com', '/', { ...docsParams, Region: 'ap-guangzhou' });
    assert.equal(v1Signature(secretKey, 'HmacSHA1', published), 'EliP9YW3pW28FpsEdkXt/+WcGeI=');
    const sha256 = v1StringToSign('GET', 'cvm.finance.cloud.tencent.com', '/', {
      ...docsParams,
      SignatureMethod: 'HmacSHA256',
    });
    assert.equal(v1Signature(secretKey, 'HmacSHA256', sha256), 'MGfMm/UGQbN0x/r8bybCLVeNhEI6gW9y4dZ8g9dBc9U=');
  });

  it('sorts by byte order, so InstanceIds.12 comes before InstanceIds.2', () => {
    assert.equal(
      v1CanonicalQuery({ 'InstanceIds.2': 'b', 'InstanceIds.12': 'a', Action: 'x' }),
      'Action=x&InstanceIds.12=a&InstanceIds.2=b',
    );
  });

  it('encodes with upper-case hex (lower case is an error per the docs)', () => {
    assert.equal(rfc3986('EliP9YW3pW28FpsEdkXt/+WcGeI='), 'EliP9YW3pW28FpsEdkXt%2F%2BWcGeI%3D');
    assert.equal(rfc3986("a b!'()*~"), 'a%20b%21%27%28%29%2A~');
  });

  it('matches the official SDK for random parameter sets, both algorithms, GET and POST', () => {
    for (let i = 0; i < 200; i++) {
      const params: Record<string, string> = {
        Action: 'DescribeInstances',
        Nonce: String(1 + i * 7919),
        Timestamp: String(1600000000 + i),
        Region: 'ap-guangzhou',
        SecretId: 'AKIDexample',
        Version: '2017-03-12',
        SignatureMethod: i % 2 ? 'HmacSHA256' : 'HmacSHA1',
      };
      for (let j = 0; j < i % 13; j++) params[`InstanceIds.${j}`] = `ins-${(i * 31 + j).toString(36).padStart(8, 'x')}`;
      const method = i % 3 ? 'GET' : 'POST';
      const algorithm = params.SignatureMethod as 'HmacSHA1' | 'HmacSHA256';
      const sorted = Object.keys(params).sort();
      const sdkString = `${method}cvm.example.com/?${sorted.map((k) => `${k}=${params[k]}`).join('&')}`;
      const expected = SdkSign.sign(secretKey, sdkString, algorithm);
      const signed = signV1({ secretKey, algorithm, method, host: 'cvm.example.com', params });
      assert.equal(signed.signature, expected);
      assert.ok(signed.body.endsWith(`Signature=${rfc3986(expected)}`));
    }
  });
});
