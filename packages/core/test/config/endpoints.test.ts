import assert from 'node:assert/strict';
import { resolveEndpoint } from '../../src/config/endpoints.ts';

describe('config/endpoints', () => {
  it('prefers --endpoint, then TCE_ENDPOINT, then the profile, then TCE_DOMAIN, then the docs', () => {
    const env = { TCE_ENDPOINT: 'http://127.0.0.1:4566', TCE_DOMAIN: 'tce.example.com' };
    const all = { env, profileEndpoint: 'cvm.profile.example', documentedHost: 'cvm.api3.finance.cloud.tencent.com' };
    assert.equal(resolveEndpoint('cvm', { ...all, endpoint: '10.1.2.3:8443' }).url.href, 'https://10.1.2.3:8443/');
    assert.equal(resolveEndpoint('cvm', all).url.href, 'http://127.0.0.1:4566/');
    assert.equal(
      resolveEndpoint('cvm', { ...all, env: { TCE_DOMAIN: 'tce.example.com' } }).url.href,
      'https://cvm.profile.example/',
    );
    assert.equal(
      resolveEndpoint('cfs', { env: { TCE_DOMAIN: 'tce.example.com' } }).url.href,
      'https://cfs.tce.example.com/',
    );
    assert.equal(
      resolveEndpoint('csm', { env: {}, documentedHost: 'csm.api3.finance.cloud.tencent.com' }).url.host,
      'csm.api3.finance.cloud.tencent.com',
    );
  });

  it('refuses what is not an endpoint, saying what would be', () => {
    assert.throws(() => resolveEndpoint('cvm', { endpoint: 'ftp://x', env: {} }), /must use http or https/);
    assert.throws(() => resolveEndpoint('cvm', { endpoint: 'http://a b', env: {} }), /is not a URL/);
    assert.throws(() => resolveEndpoint('cvm', { env: { TCE_DOMAIN: 'bad domain' } }), /must be a domain name/);
    assert.throws(() => resolveEndpoint('cvm', { env: {} }), /set TCE_ENDPOINT or TCE_DOMAIN/);
  });
});
