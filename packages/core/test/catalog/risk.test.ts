import assert from 'node:assert/strict';
import { getServiceCatalog, listServices } from '../../src/catalog/index.ts';
import { RISK_OVERRIDES, riskOf } from '../../src/catalog/risk.ts';

const everyAction = () =>
  listServices().flatMap((s) => s.versions.flatMap((v) => Object.values(getServiceCatalog(s.service, v).actions)));

describe('catalog/risk', () => {
  it('classes every action of every version', () => {
    const counts: Record<string, number> = {};
    for (const a of everyAction()) {
      const risk = riskOf(a.service, a.name);
      assert.ok(['read', 'write', 'sensitive', 'destructive'].includes(risk), `${a.service}:${a.name}`);
      counts[risk] = (counts[risk] ?? 0) + 1;
    }
    assert.equal(
      Object.values(counts).reduce((a, b) => a + b),
      143,
    );
    assert.ok(counts.read! > 50 && counts.destructive! > 10 && counts.sensitive! > 15, JSON.stringify(counts));
  });

  it('keeps its overrides in one table, each naming a real action, with a reason, and changing the class', () => {
    const names = new Set(everyAction().map((a) => `${a.service}:${a.name}`));
    for (const [key, { risk, why }] of Object.entries(RISK_OVERRIDES)) {
      assert.ok(names.has(key), `${key} is not in the catalog`);
      assert.ok(why.length > 10, `${key} needs a reason`);
      const [service, action] = key.split(':') as [string, string];
      const byPattern = /^(Describe|Query|Inquiry|Get)[A-Z]/.test(action)
        ? 'read'
        : /^(Terminate|Delete)[A-Z]/.test(action)
          ? 'destructive'
          : 'write';
      assert.notEqual(risk, byPattern, `${key} repeats what the name already says`);
      assert.equal(riskOf(service, action), risk);
    }
  });

  it('follows the docs: reads, the sensitive-operation list, irreversible actions', () => {
    const classes = (list: string[]) => list.map((key) => riskOf(...(key.split(':') as [string, string])));
    assert.deepEqual(
      classes(['cvm:DescribeInstances', 'cfs:QueryCfsRule', 'cvm:InquiryPriceRunInstances', 'cvm:GetRecycleInfo']),
      ['read', 'read', 'read', 'read'],
    );
    assert.deepEqual(
      classes(['cvm:StartInstances', 'cvm:RunInstances', 'cfs:CreateCfsFileSystem', 'csm:CreateSourceServer']),
      ['write', 'write', 'write', 'write'],
    );
    // 敏感操作保护 (000:6245): 关机、重启、重置密码、销毁
    assert.deepEqual(classes(['cvm:StopInstances', 'cvm:RebootInstances', 'cvm:ResetInstancesPassword']), [
      'sensitive',
      'sensitive',
      'sensitive',
    ]);
    assert.deepEqual(
      classes([
        'cvm:TerminateInstances',
        'cvm:ResetInstance',
        'cfs:DeleteCfsFileSystem',
        'cvm:DeleteImages',
        'csm:StartMigrationJob',
      ]),
      ['destructive', 'destructive', 'destructive', 'destructive', 'destructive'],
    );
    assert.equal(riskOf('cfs', 'DeleteCfsRule'), 'sensitive', 'an override of the Delete pattern');
    assert.equal(riskOf('CVM', 'StopInstances'), 'sensitive', 'service names in any case');
    assert.equal(riskOf('cvm', 'Describer'), 'write', 'a prefix alone is not a verb');
  });
});
