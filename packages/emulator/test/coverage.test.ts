/**
 * Every action in the catalog answers: with parameters built from the docs (required fields only, IDs in the
 * documented format), each one gets the envelope with a RequestId and never an InternalError; the ones
 * /_tce/coverage calls emulated or empty succeed or refuse with a documented-looking code.
 */
import assert from 'node:assert/strict';
import { getServiceCatalog, listServices, type ServiceCatalog } from '@tceops/core';
import { shapeOf } from '../../core/src/catalog/types-of.ts';
import type { EmulatorState } from '../src/index.ts';
import { errorCode, type Harness, startHarness } from './helpers.ts';

/** Real IDs of the demo seed in ap-guangzhou, by parameter name, so handlers run past their lookups. */
function realIds(state: EmulatorState): Record<string, string> {
  const first = (items: Record<string, { region: string }>) =>
    Object.entries(items).find(([, s]) => s.region === 'ap-guangzhou' || s.region === '*')?.[0] ?? 'missing';
  return {
    InstanceId: first(state.cvm.instances),
    ImageId: Object.values(state.cvm.images).find((s) => s.region === 'ap-guangzhou')!.item.ImageId,
    KeyId: first(state.cvm.keyPairs),
    DisasterRecoverGroupId: first(state.cvm.placementGroups),
    FileSystemId: first(state.cfs.fileSystems),
    PGroupId: first(state.cfs.pgroups),
    RuleId: first(state.cfs.rules),
    JobId: first(state.csm.jobs),
    SourceServerId: first(state.csm.sourceServers),
    Zone: 'ap-guangzhou-1',
  };
}

let ids: Record<string, string> = {};

function sample(name: string, type: string, catalog: ServiceCatalog, depth = 0): unknown {
  const shape = shapeOf(type, catalog);
  switch (shape.kind) {
    case 'string':
      return ids[name] ?? 'sample';
    case 'integer':
      return 1;
    case 'float':
      return 1;
    case 'boolean':
      return false;
    case 'array':
      return depth > 3 ? [] : [sample(name.replace(/s$/, ''), shape.of, catalog, depth + 1)];
    case 'struct':
      if (depth > 3) return {};
      return Object.fromEntries(
        shape.structure.fields
          .filter((f) => f.required)
          .map((f) => [f.name, sample(f.name, f.type, catalog, depth + 1)]),
      );
    default:
      return 'sample';
  }
}

describe('every documented action answers', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await startHarness();
    ids = realIds(h.emulator.state);
  });
  after(async () => {
    await h.close();
  });

  it('with the envelope, a RequestId, and no InternalError', async () => {
    let count = 0;
    const internal: string[] = [];
    for (const { service, versions } of listServices()) {
      for (const version of versions) {
        const catalog = getServiceCatalog(service, version);
        for (const action of Object.values(catalog.actions)) {
          const params = Object.fromEntries(
            action.input.filter((p) => p.required).map((p) => [p.name, sample(p.name, p.type, catalog)]),
          );
          const response = await h.raw(service, action.name, params, { version });
          assert.ok(response.RequestId, `${service} ${version} ${action.name} has a RequestId`);
          if (errorCode(response) === 'InternalError') internal.push(`${service} ${version} ${action.name}`);
          count += 1;
        }
      }
    }
    assert.deepEqual(internal, []);
    assert.ok(count >= 140, `${count} actions`);
  });
});
