/**
 * The tree's reads through a tceops server answer as the direct source does. A name pattern is the case that
 * differs most: the API matches names exactly, so every instance is read and matched, and the tree asks for a
 * whole folder (500 rows) at once and builds its folders from the total of matches.
 */
import assert from 'node:assert/strict';
import type { TceClient } from '@tceops/core';
import { createClientSource, type Item, type PageRequest } from '../../src/data/source.ts';
import type { EnginePort } from '../../src/engine-port.ts';
import { createServerSource } from '../../src/server/source.ts';

/** 250 instances, every fifth one named web-N: 50 matches of web-*, spread over three API pages. */
const INSTANCES: Item[] = Array.from({ length: 250 }, (_, i) => ({
  InstanceId: `ins-${String(i).padStart(8, '0')}`,
  InstanceName: i % 5 === 0 ? `web-${i}` : `db-${i}`,
}));

/** DescribeInstances as TCE pages it: at most 100 per answer, names filtered exactly. */
function describe100(params: { Offset?: number; Limit?: number }): Record<string, unknown> {
  const offset = Number(params.Offset ?? 0);
  const limit = Math.min(Number(params.Limit ?? 20), 100);
  return { InstanceSet: INSTANCES.slice(offset, offset + limit), TotalCount: INSTANCES.length, RequestId: 'r' };
}

/** The server's pipeline, as far as a read goes: `call cvm DescribeInstances --Offset N --Limit M`. */
const server = {
  async run(words: string[]) {
    assert.deepEqual(words.slice(0, 3), ['call', 'cvm', 'DescribeInstances']);
    const flag = (name: string) => {
      const at = words.indexOf(`--${name}`);
      return at < 0 ? undefined : Number(words[at + 1]);
    };
    return { kind: 'detail', item: describe100({ Offset: flag('Offset'), Limit: flag('Limit') }) };
  },
} as unknown as EnginePort;

const client = {
  async call(_service: string, _action: string, params: { Offset?: number; Limit?: number }) {
    return describe100(params);
  },
} as unknown as TceClient;

const folder: PageRequest = { offset: 0, limit: 500, filter: { name: 'web-*' } };

describe('vscode/server/source', () => {
  it('a name pattern: every match of the list in one folder, its total the number of matches (as the direct source)', async () => {
    const direct = await createClientSource(async () => client).list('instances', 'ap-guangzhou', folder);
    assert.equal(direct.items.length, 50);
    assert.equal(direct.total, 50);
    const remote = await createServerSource(server).list('instances', 'ap-guangzhou', folder);
    assert.deepEqual(
      remote.items.map((i) => i.InstanceName),
      direct.items.map((i) => i.InstanceName),
    );
    assert.equal(remote.total, 50);
    assert.equal(remote.nextOffset, undefined);
  });

  it('a name pattern read in pages continues where the matches left off, with no row twice', async () => {
    const source = createServerSource(server);
    const seen: string[] = [];
    let offset: number | undefined = 0;
    for (let pages = 0; offset !== undefined; pages++) {
      assert.ok(pages < 20, `still reading after ${seen.length} rows`);
      const page = await source.list('instances', 'ap-guangzhou', { offset, limit: 20, filter: { name: 'web-*' } });
      seen.push(...page.items.map((i) => String(i.InstanceName)));
      offset = page.nextOffset;
    }
    assert.equal(seen.length, 50);
    assert.equal(new Set(seen).size, 50);
  });

  it('without a pattern, pages of at most 100 with the API total', async () => {
    const page = await createServerSource(server).list('instances', 'ap-guangzhou', { offset: 200, limit: 500 });
    assert.equal(page.items.length, 50);
    assert.equal(page.total, 250);
    assert.equal(page.nextOffset, undefined);
  });
});
