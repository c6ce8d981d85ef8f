import assert from 'node:assert/strict';
import { getServiceCatalog, listServices } from '../../src/catalog/index.ts';
import { RISK_OVERRIDES, riskOf } from '../../src/catalog/risk.ts';

describe('catalog/risk', () => {
  it('classes every action, and every override names a real action', () => {
    const all = listServices().flatMap((s) =>
      s.versions.flatMap((v) => Object.values(getServiceCatalog(s.service, v).actions)),
    );
    for (const a of all) assert.ok(['read', 'write', 'sensitive', 'destructive'].includes(riskOf(a.service, a.name)));
    const names = new Set(all.map((a) => `${a.service}:${a.name}`));
    for (const key of Object.keys(RISK_OVERRIDES)) assert.ok(names.has(key), `${key} is not in the catalog`);
  });

  it('follows the docs: reads, the sensitive-operation list, irreversible actions', () => {
    assert.equal(riskOf('cvm', 'DescribeInstances'), 'read');
    assert.equal(riskOf('cfs', 'QueryCfsRule'), 'read');
    assert.equal(riskOf('cvm', 'StartInstances'), 'write');
    assert.equal(riskOf('cvm', 'StopInstances'), 'sensitive');
    assert.equal(riskOf('cvm', 'RebootInstances'), 'sensitive');
    assert.equal(riskOf('cvm', 'ResetInstancesPassword'), 'sensitive');
    assert.equal(riskOf('cvm', 'TerminateInstances'), 'destructive');
    assert.equal(riskOf('cvm', 'ResetInstance'), 'destructive');
    assert.equal(riskOf('cfs', 'DeleteCfsFileSystem'), 'destructive');
    assert.equal(riskOf('cvm', 'DeleteImages'), 'destructive');
  });
});
