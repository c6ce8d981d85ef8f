import assert from 'node:assert/strict';
import { checkId, ID_FORMATS, ID_PARAMS, idCheckFor, idPattern } from '../../src/catalog/ids.ts';
import { findAction, getServiceCatalog, listServices } from '../../src/catalog/index.ts';

describe('catalog/ids', () => {
  it('follows the documented shapes: prefix and 8 letters or digits (000:769)', () => {
    assert.ok(checkId('instance', 'ins-09dx96dg'));
    assert.ok(!checkId('instance', 'ins-1122'), 'the docs’ own example of a malformed ID');
    assert.ok(!checkId('instance', 'INS-09DX96DG'));
    assert.ok(!checkId('instance', ' ins-09dx96dg'));
    assert.ok(checkId('image', 'img-gvbnzy6f'));
    assert.ok(!checkId('image', 'img-'));
    assert.ok(checkId('keypair', 'skey-11112222'));
    assert.ok(!checkId('keypair', 'skey-1122'));
    assert.ok(!checkId('host', 'host-1122'));
    assert.ok(
      checkId('filesystem', 'cfs-abcdef1') && checkId('filesystem', 'cfs-11111111'),
      'both lengths in the CFS docs',
    );
    assert.ok(checkId('pgroup', 'pgroup-doxpcqh'));
    assert.ok(!checkId('pgroup', 'cfs-doxpcqh'));
    assert.ok(checkId('job', 'migrate-abcd1234') && !checkId('job', 'has space'));
    assert.equal(idPattern('instance'), ID_FORMATS.instance.pattern);
  });

  it('maps ID parameters to kinds, and uses the malformed code each action documents', () => {
    assert.deepEqual(idCheckFor(findAction('cvm', 'StopInstances'), 'InstanceIds'), {
      kind: 'instance',
      code: 'InvalidInstanceId.Malformed',
    });
    assert.deepEqual(idCheckFor(findAction('csm', 'DeleteMigrationJob'), 'JobId'), {
      kind: 'job',
      code: 'InvalidParameterValue.InvalidMigrateJobIdMalformed',
    });
    assert.equal(idCheckFor(findAction('cvm', 'CreateImage'), 'InstanceId'), undefined, 'no malformed code documented');
    assert.equal(idCheckFor(findAction('csm', 'LiveMigrateLhInstance'), 'InstanceId'), undefined, 'Lighthouse IDs');
    assert.equal(idCheckFor(findAction('cvm', 'StopInstances'), 'StopType'), undefined);
  });

  it('names only parameters that exist, with codes some action documents', () => {
    const documented = new Set(
      listServices().flatMap((s) =>
        s.versions.flatMap((v) =>
          Object.values(getServiceCatalog(s.service, v).actions).flatMap((a) => a.errors.map((e) => e.code)),
        ),
      ),
    );
    for (const format of Object.values(ID_FORMATS))
      assert.ok(documented.has(format.malformedCode), format.malformedCode);
    for (const [service, params] of Object.entries(ID_PARAMS)) {
      const inputs = new Set(
        Object.values(getServiceCatalog(service).actions).flatMap((a) => a.input.map((p) => p.name)),
      );
      for (const name of Object.keys(params)) assert.ok(inputs.has(name), `${service} has no input ${name}`);
    }
  });
});
