import '../support/setup.ts';
import assert from 'node:assert/strict';
import { type Connection, ExplorerProvider } from '../../src/tree/provider.ts';
import type { GroupNode, LoadMoreNode, Node, PageNode, ResourceNode } from '../../src/tree/nodes.ts';
import { type FakeCloud, fakeCloud, fakeSource, instances } from '../support/fake-source.ts';
import type { TreeItem } from '../support/vscode-stub.ts';

/** Every provider a test made, disposed after it (also when it fails): a provider left polling keeps mocha alive. */
const providers: ExplorerProvider[] = [];

function connect(cloud: FakeCloud, extra: Partial<Connection> = {}): ExplorerProvider {
  const connection: Connection = {
    key: 'test',
    label: 'Test',
    description: 'http://127.0.0.1',
    source: fakeSource(cloud),
    regions: [],
    pageSize: 100,
    ...extra,
  };
  const provider = new ExplorerProvider({ connection: () => connection, pollIntervalMs: 1_000_000 });
  providers.push(provider);
  return provider;
}

async function path(provider: ExplorerProvider, ...labels: string[]): Promise<Node> {
  let nodes = await provider.getChildren();
  let found: Node | undefined;
  for (const label of labels) {
    found = nodes.find((n) => (provider.getTreeItem(n) as unknown as TreeItem).label === label);
    assert.ok(
      found,
      `no node "${label}" among ${nodes.map((n) => (provider.getTreeItem(n) as unknown as TreeItem).label).join(', ')}`,
    );
    nodes = await provider.getChildren(found);
  }
  return found!;
}

function labels(provider: ExplorerProvider, nodes: Node[]): string[] {
  return nodes.map((n) => (provider.getTreeItem(n) as unknown as TreeItem).label);
}

describe('vscode tree: building it', () => {
  afterEach(() => {
    for (const provider of providers.splice(0)) provider.dispose();
  });

  it('shows connection → regions from DescribeRegions → the five resource groups', async () => {
    const cloud = fakeCloud({
      regions: [{ Region: 'ap-guangzhou', RegionName: 'Guangzhou' }, { Region: 'ap-shanghai' }],
    });
    const provider = connect(cloud);
    const [connection] = await provider.getChildren();
    assert.equal(connection!.type, 'connection');
    const regions = await provider.getChildren(connection);
    assert.deepEqual(labels(provider, regions), ['ap-guangzhou', 'ap-shanghai']);
    assert.equal((provider.getTreeItem(regions[0]!) as unknown as TreeItem).description, 'Guangzhou');
    assert.deepEqual(labels(provider, await provider.getChildren(regions[0])), [
      'Instances',
      'Images',
      'Key Pairs',
      'File Systems',
      'Migration Jobs',
    ]);
  });

  it('shows only the configured regions, with their names (and the codes alone when names cannot be read)', async () => {
    const cloud = fakeCloud({
      regions: [{ Region: 'ap-beijing', RegionName: '华北地区(北京)' }, { Region: 'ap-shanghai' }],
    });
    const provider = connect(cloud, { regions: ['ap-beijing'] });
    const [connection] = await provider.getChildren();
    const regions = await provider.getChildren(connection);
    assert.deepEqual(labels(provider, regions), ['ap-beijing']);
    assert.equal((provider.getTreeItem(regions[0]!) as unknown as TreeItem).description, '华北地区(北京)');
    cloud.fail = new Error('unreachable');
    const offline = connect(cloud, { regions: ['ap-beijing'] });
    const [c2] = await offline.getChildren();
    assert.deepEqual(labels(offline, await offline.getChildren(c2)), ['ap-beijing']);
  });

  it('loads nothing before a node is expanded (lazy)', async () => {
    const cloud = fakeCloud({ lists: { instances: instances(3) } });
    const provider = connect(cloud);
    await path(provider, 'Test', 'ap-guangzhou');
    assert.deepEqual(
      cloud.calls.map((c) => c.kind),
      ['regions'],
    );
  });

  it('lists every row of a list that fits in a folder, read a page at a time (no "Load more")', async () => {
    const cloud = fakeCloud({ lists: { instances: instances(250) } });
    const provider = connect(cloud);
    const group = await path(provider, 'Test', 'ap-guangzhou', 'Instances');
    const rows = await provider.getChildren(group);
    assert.equal(rows.length, 250);
    assert.ok(rows.every((r) => r.type === 'resource'));
    assert.deepEqual(
      cloud.calls.filter((c) => c.kind === 'instances').map((c) => [c.offset, c.limit]),
      [
        [0, 100],
        [100, 100],
        [200, 100],
      ],
    );
    assert.equal(new Set(rows.map((r) => r.key)).size, 250, 'keys stay unique across pages');
  });

  it('keeps a "Load more" row for a list whose length the API does not give', async () => {
    const cloud = fakeCloud({ lists: { instances: instances(250) }, noTotal: true });
    const provider = connect(cloud);
    const group = await path(provider, 'Test', 'ap-guangzhou', 'Instances');
    let rows = await provider.getChildren(group);
    assert.equal(rows.length, 101);
    const more = rows.at(-1) as LoadMoreNode;
    const item = provider.getTreeItem(more) as unknown as TreeItem;
    assert.equal(item.label, 'Load more…');
    assert.equal(item.command?.command, 'tceops.loadMore');
    await provider.loadMore(more);
    rows = await provider.getChildren(group);
    assert.equal(rows.length, 201);
    await provider.loadMore(rows.at(-1) as LoadMoreNode);
    rows = await provider.getChildren(group);
    assert.equal(rows.length, 250, 'the last page has no Load more row');
    assert.equal(new Set(rows.map((r) => r.key)).size, 250);
  });

  it('builds instance rows with icon, description and state-encoded contextValue', async () => {
    const cloud = fakeCloud({ lists: { instances: instances(1, 'STOPPED') } });
    const provider = connect(cloud);
    const group = await path(provider, 'Test', 'ap-guangzhou', 'Instances');
    const [row] = await provider.getChildren(group);
    const item = provider.getTreeItem(row!) as unknown as TreeItem;
    assert.equal(item.label, 'web-0');
    assert.equal(item.description, 'ins-00000000 · STOPPED · S5.MEDIUM4 · 10.0.0.1');
    assert.equal(item.accessibilityInformation?.label, 'web-0, instance ins-00000000, STOPPED, 10.0.0.1');
    assert.equal(item.contextValue, 'tceops.instance.stopped');
    assert.equal(item.iconPath?.id, 'vm-outline');
    assert.equal(item.id, row!.key);
    assert.equal(item.tooltip, undefined, 'the tooltip waits for a hover');
    assert.equal(item.command, undefined, 'the command waits for a hover or an open (VS Code resolves it then)');
    const resolved = provider.resolveTreeItem(item as never, row!) as unknown as TreeItem;
    assert.match(String((resolved.tooltip as { value: string }).value), /State: `STOPPED`/);
    assert.equal(resolved.command?.command, 'tceops.showDetails', 'Enter opens the details');
    assert.deepEqual(resolved.command?.arguments, [row, { preserveFocus: true }]);
  });

  it("shows a file system's permission group (→ rules) and mount targets", async () => {
    const cloud = fakeCloud({
      lists: {
        filesystems: [
          {
            FileSystemId: 'cfs-1',
            FsName: 'shared',
            LifeCycleState: 'available',
            PGroup: { PGroupId: 'pgroup-1', Name: 'default' },
          },
        ],
      },
      children: {
        'cfs-1': [{ MountTargetId: 'mt-1', IpAddress: '10.0.0.9', LifeCycleState: 'available' }],
        'pgroup-1': [{ RuleId: 'rule-1', AuthClientIp: '10.0.0.0/24', RWPermission: 'RW', Priority: 1 }],
      },
    });
    const provider = connect(cloud);
    const fs = await path(provider, 'Test', 'ap-guangzhou', 'File Systems', 'shared');
    const children = await provider.getChildren(fs);
    assert.deepEqual(labels(provider, children), ['Permission group: default', '10.0.0.9']);
    const rules = await provider.getChildren(children[0]);
    assert.deepEqual(labels(provider, rules), ['10.0.0.0/24 → RW']);
    assert.equal((rules[0] as ResourceNode).region, 'ap-guangzhou');
  });

  it('says so when a list is empty, and shows a load failure as a row that retries', async () => {
    const cloud = fakeCloud({ lists: { images: [] } });
    const provider = connect(cloud);
    const images = await path(provider, 'Test', 'ap-guangzhou', 'Images');
    assert.deepEqual(labels(provider, await provider.getChildren(images)), ['No images']);
    cloud.fail = new Error('AuthFailure.SignatureFailure: the signature is wrong (RequestId r-9)');
    const keys = await path(provider, 'Test', 'ap-guangzhou', 'Key Pairs');
    const [row] = await provider.getChildren(keys);
    const item = provider.getTreeItem(row!) as unknown as TreeItem;
    assert.equal(item.label, 'Could not load: AuthFailure.SignatureFailure: the signature is wrong (RequestId r-9)');
    assert.deepEqual(item.command?.arguments, [keys]);
    cloud.fail = undefined;
    provider.refresh(keys);
    assert.deepEqual(labels(provider, await provider.getChildren(keys)), ['No key pairs']);
  });

  it('cancels a slow load when the node collapses, and loads again when asked', async () => {
    let release!: () => void;
    const cloud = fakeCloud({ lists: { instances: instances(2) } });
    const provider = connect(cloud, { regions: ['ap-guangzhou'] });
    const group = (await path(provider, 'Test', 'ap-guangzhou', 'Instances').catch(() => undefined)) as GroupNode;
    provider.refresh(group);
    cloud.hold = new Promise((r) => (release = r));
    const loading = provider.getChildren(group);
    assert.ok(provider.busy);
    provider.collapsed(group);
    const rows = await loading;
    assert.deepEqual(labels(provider, rows), ['Loading cancelled — click to retry']);
    assert.ok(!provider.busy);
    release();
    cloud.hold = undefined;
    provider.refresh(group);
    assert.deepEqual(labels(provider, await provider.getChildren(group)), ['web-0', 'web-1']);
  });

  it('shares one load between concurrent expansions of the same node', async () => {
    const cloud = fakeCloud({ lists: { instances: instances(5) } });
    const provider = connect(cloud, { regions: ['ap-guangzhou'] });
    const group = await path(provider, 'Test', 'ap-guangzhou', 'Instances');
    provider.refresh(group);
    const before = cloud.calls.length;
    const [a, b] = await Promise.all([provider.getChildren(group), provider.getChildren(group)]);
    assert.equal(a.length, 5);
    assert.deepEqual(b, a);
    assert.equal(cloud.calls.length - before, 1);
  });

  it('filters instances by state, name or tag, and marks the group as filtered', async () => {
    const cloud = fakeCloud({
      lists: {
        instances: [
          ...instances(4),
          ...instances(2, 'STOPPED').map((i, n) => ({ ...i, InstanceId: `ins-s${n}`, InstanceName: `db-${n}` })),
        ],
      },
    });
    const provider = connect(cloud, { regions: ['ap-guangzhou'] });
    const group = (await path(provider, 'Test', 'ap-guangzhou', 'Instances')) as GroupNode;
    provider.setFilter(group, { state: 'STOPPED' });
    assert.deepEqual(labels(provider, await provider.getChildren(group)), ['db-0', 'db-1']);
    const item = provider.getTreeItem(group) as unknown as TreeItem;
    assert.equal(item.contextValue, 'tceops.group.instances.filtered');
    assert.equal(item.description, 'filter: state=STOPPED');
    provider.setFilter(group, { tag: { key: 'env', value: 'production' } });
    assert.deepEqual(labels(provider, await provider.getChildren(group)), ['web-1', 'web-3', 'db-1']);
    provider.setFilter(group, { name: 'nothing' });
    assert.deepEqual(labels(provider, await provider.getChildren(group)), ['Nothing matches the filter']);
    provider.setFilter(group, undefined);
    assert.equal((provider.getTreeItem(group) as unknown as TreeItem).contextValue, 'tceops.group.instances');
    assert.equal((await provider.getChildren(group)).length, 6);
  });

  it('keeps polling working after a full refresh (a reconnect)', async () => {
    const cloud = fakeCloud({ lists: { instances: instances(1, 'STOPPING') } });
    const provider = connect(cloud, { regions: ['ap-guangzhou'] });
    await path(provider, 'Test', 'ap-guangzhou', 'Instances');
    assert.equal(provider.polling.size, 1, 'a STOPPING instance is polled');
    provider.refresh();
    assert.equal(provider.polling.size, 0);
    const group = await path(provider, 'Test', 'ap-guangzhou', 'Instances');
    const [row] = (await provider.getChildren(group)) as ResourceNode[];
    assert.ok(provider.polling.has(row!), 'polled again after the refresh');
    cloud.lists.instances![0]!.InstanceState = 'STOPPED';
    await provider.polling.tick();
    assert.equal(row!.item.InstanceState, 'STOPPED');
    assert.equal((provider.getTreeItem(row!) as unknown as TreeItem).contextValue, 'tceops.instance.stopped');
    assert.equal(provider.polling.size, 0);
  });

  it('shows no rows without a connection, so the welcome view (Sign In, emulator) takes their place', async () => {
    const provider = new ExplorerProvider({ connection: () => ({ reason: 'no credentials' }), pollIntervalMs: 1000 });
    providers.push(provider);
    assert.deepEqual(await provider.getChildren(), []);
  });

  it("a row's refresh reads the instance again; when that fails the row says so instead of keeping RUNNING", async () => {
    const cloud = fakeCloud({ lists: { instances: instances(2) } });
    const provider = connect(cloud);
    const group = await path(provider, 'Test', 'ap-guangzhou', 'Instances');
    const [row] = (await provider.getChildren(group)) as ResourceNode[];
    cloud.lists.instances![0]!.InstanceState = 'STOPPED';
    await provider.refreshItem(row!);
    assert.equal((provider.getTreeItem(row!) as unknown as TreeItem).contextValue, 'tceops.instance.stopped');
    cloud.fail = new Error('connect ECONNREFUSED 127.0.0.1:4566');
    await provider.refreshItem(row!);
    const item = provider.getTreeItem(row!) as unknown as TreeItem;
    assert.match(String(item.description), /^refresh failed · ins-00000000 · STOPPED/);
    assert.equal(item.iconPath?.id, 'warning');
    assert.match(String(item.accessibilityInformation?.label), /refresh failed: connect ECONNREFUSED/);
    cloud.fail = undefined;
    await provider.refreshItem(row!);
    assert.doesNotMatch(String((provider.getTreeItem(row!) as unknown as TreeItem).description), /refresh failed/);
  });

  it('a full refresh with the cloud down replaces the rows with the error (no stale RUNNING left)', async () => {
    const cloud = fakeCloud({ lists: { instances: instances(2) } });
    const provider = connect(cloud);
    const group = await path(provider, 'Test', 'ap-guangzhou', 'Instances');
    assert.equal((await provider.getChildren(group)).length, 2);
    cloud.fail = new Error('connect ECONNREFUSED 127.0.0.1:4566');
    provider.refresh();
    const [connection] = await provider.getChildren();
    const rows = await provider.getChildren(connection);
    assert.deepEqual(labels(provider, rows), ['Could not load: connect ECONNREFUSED 127.0.0.1:4566']);
    assert.equal((provider.getTreeItem(rows[0]!) as unknown as TreeItem).command?.command, 'tceops.retry');
  });

  it('marks the polled rows of a region whose polling failed', async () => {
    const cloud = fakeCloud({ lists: { instances: instances(1, 'STOPPING') } });
    const provider = connect(cloud);
    const group = await path(provider, 'Test', 'ap-guangzhou', 'Instances');
    const [row] = (await provider.getChildren(group)) as ResourceNode[];
    assert.ok(provider.polling.has(row!));
    cloud.fail = new Error('RequestLimitExceeded');
    await provider.polling.tick();
    assert.equal(row!.error, 'RequestLimitExceeded');
  });
});

describe('vscode tree: long lists in folders', () => {
  afterEach(() => {
    for (const provider of providers.splice(0)) provider.dispose();
  });

  /** Pages of 10 rows: a folder holds 50. */
  async function instancesGroup(cloud: FakeCloud): Promise<{ provider: ExplorerProvider; group: GroupNode }> {
    const provider = connect(cloud, { regions: ['ap-guangzhou'], pageSize: 10 });
    const group = (await path(provider, 'Test', 'ap-guangzhou', 'Instances')) as GroupNode;
    return { provider, group };
  }

  /** What the tree announces as changed: the node's key, or "(all)". */
  function changes(provider: ExplorerProvider): string[] {
    const seen: string[] = [];
    provider.onDidChangeTreeData((node) => seen.push(node?.key ?? '(all)'));
    return seen;
  }

  const rowNames = (nodes: Node[]) =>
    nodes.filter((n) => n.type === 'resource').map((n) => String(n.item.InstanceName));

  it('shows a list longer than a folder as folders of its rows: first and last boundaries, each read when opened', async () => {
    const cloud = fakeCloud({ lists: { instances: instances(125) } });
    const { provider, group } = await instancesGroup(cloud);
    const folders = (await provider.getChildren(group)) as PageNode[];
    assert.deepEqual(labels(provider, folders), ['Instances 1–50', 'Instances 51–100', 'Instances 101–125']);
    const first = provider.getTreeItem(folders[0]!) as unknown as TreeItem;
    assert.equal(first.description, 'of 125');
    assert.equal(first.accessibilityInformation?.label, 'Instances 1 to 50 of 125');
    assert.equal(first.contextValue, 'tceops.page');
    assert.equal(first.collapsibleState, 1, 'collapsed: read when opened');
    assert.deepEqual(
      cloud.calls.filter((c) => c.kind === 'instances').map((c) => c.offset),
      [0],
      'only the first request, to learn the length',
    );

    const firstRows = await provider.getChildren(folders[0]);
    assert.deepEqual(
      rowNames(firstRows),
      Array.from({ length: 50 }, (_, i) => `web-${i}`),
    );
    // The first folder reuses the group's first request instead of reading offset 0 again.
    assert.deepEqual(
      cloud.calls.filter((c) => c.kind === 'instances').map((c) => c.offset),
      [0, 10, 20, 30, 40],
    );
    const lastRows = await provider.getChildren(folders[2]);
    assert.deepEqual(
      rowNames(lastRows),
      Array.from({ length: 25 }, (_, i) => `web-${100 + i}`),
    );
    assert.deepEqual(
      cloud.calls
        .filter((c) => c.kind === 'instances')
        .slice(5)
        .map((c) => [c.offset, c.limit]),
      [
        [100, 10],
        [110, 10],
        [120, 10],
      ],
    );
    const middle = await provider.getChildren(folders[1]);
    assert.deepEqual(
      rowNames(middle),
      Array.from({ length: 50 }, (_, i) => `web-${50 + i}`),
    );
    const keys = [...firstRows, ...middle, ...lastRows].map((n) => n.key);
    assert.equal(new Set(keys).size, 125, 'every row once, with a key of its own');
  });

  it('makes no empty folder when the length is an exact multiple, and no folder when it fits', async () => {
    const exact = await instancesGroup(fakeCloud({ lists: { instances: instances(100) } }));
    assert.deepEqual(labels(exact.provider, await exact.provider.getChildren(exact.group)), [
      'Instances 1–50',
      'Instances 51–100',
    ]);
    const fits = await instancesGroup(fakeCloud({ lists: { instances: instances(50) } }));
    const rows = await fits.provider.getChildren(fits.group);
    assert.equal(rows.length, 50);
    assert.ok(rows.every((r) => r.type === 'resource'));
  });

  it("a row's new state refreshes that row alone, not its folder or the list", async () => {
    const cloud = fakeCloud({ lists: { instances: instances(120, 'STOPPING') } });
    const { provider, group } = await instancesGroup(cloud);
    const folders = await provider.getChildren(group);
    const rows = (await provider.getChildren(folders[1])) as ResourceNode[];
    assert.equal(provider.polling.size, 50, 'the open folder’s STOPPING rows are polled');
    const seen = changes(provider);
    cloud.lists.instances![60]!.InstanceState = 'STOPPED';
    await provider.polling.tick();
    const changed = rows.find((r) => r.id === cloud.lists.instances![60]!.InstanceId)!;
    assert.deepEqual([...new Set(seen)], [changed.key]);
    assert.equal((provider.getTreeItem(changed) as unknown as TreeItem).contextValue, 'tceops.instance.stopped');
  });

  it('a folder whose rows all terminated says so and offers to refresh the list; the refresh renumbers', async () => {
    const cloud = fakeCloud({ lists: { instances: instances(60, 'TERMINATING') } });
    const { provider, group } = await instancesGroup(cloud);
    const folders = (await provider.getChildren(group)) as PageNode[];
    assert.deepEqual(labels(provider, folders), ['Instances 1–50', 'Instances 51–60']);
    assert.equal((await provider.getChildren(folders[1])).length, 10);
    const seen = changes(provider);
    cloud.lists.instances!.splice(50); // the ten in the last folder are gone
    await provider.polling.tick();
    assert.deepEqual([...new Set(seen)], [folders[1]!.key], 'only the emptied folder is announced');
    const [left, ...rest] = await provider.getChildren(folders[1]);
    assert.deepEqual(rest, []);
    const item = provider.getTreeItem(left!) as unknown as TreeItem;
    assert.equal(item.label, 'Nothing left in this range — click to refresh the list');
    assert.equal(item.command?.command, 'tceops.retry');
    assert.deepEqual(item.command?.arguments, [group]);
    assert.equal(provider.loadedResources('instance').length, 0, 'no row of a terminated instance is left');
    provider.refresh(group);
    const after = await provider.getChildren(group);
    assert.equal(after.length, 50, '50 left: they fit in one folder, shown as rows');
    assert.ok(after.every((n) => n.type === 'resource'));
  });

  it('a filter applies across folders: folders count the matches, each holds its range of them', async () => {
    const cloud = fakeCloud({ lists: { instances: instances(130) } });
    const { provider, group } = await instancesGroup(cloud);
    const before = cloud.calls.length;
    provider.setFilter(group, { tag: { key: 'env', value: 'production' } });
    const folders = await provider.getChildren(group);
    assert.deepEqual(labels(provider, folders), ['Instances 1–50', 'Instances 51–65']);
    assert.equal((provider.getTreeItem(folders[1]!) as unknown as TreeItem).description, 'of 65');
    const second = await provider.getChildren(folders[1]);
    assert.deepEqual(
      rowNames(second),
      Array.from({ length: 15 }, (_, i) => `web-${2 * (50 + i) + 1}`),
    );
    assert.ok(
      cloud.calls
        .slice(before)
        .filter((c) => c.kind === 'instances')
        .every((c) => c.filter?.tag?.value === 'production'),
      'every read of every folder carries the filter',
    );
    provider.setFilter(group, { state: 'STOPPED' });
    assert.deepEqual(labels(provider, await provider.getChildren(group)), ['Nothing matches the filter']);
  });

  it('a name pattern reads a folder at a time (every instance is listed to match one), not a page at a time', async () => {
    const cloud = fakeCloud({ lists: { instances: instances(130) } });
    const { provider, group } = await instancesGroup(cloud);
    const before = cloud.calls.length;
    provider.setFilter(group, { name: 'web-1*' }); // web-1, web-10…19, web-100…129: 41
    const rows = await provider.getChildren(group);
    assert.equal(rows.length, 41);
    assert.deepEqual(
      cloud.calls.slice(before).map((c) => [c.offset, c.limit]),
      [[0, 50]],
      'one request for up to a folder',
    );
  });

  it('collapsing a folder lets go of its rows and their polling (ours and VS Code’s); opening it reads them again', async () => {
    const cloud = fakeCloud({ lists: { instances: instances(120, 'STARTING') } });
    const { provider, group } = await instancesGroup(cloud);
    const folders = await provider.getChildren(group);
    await provider.getChildren(folders[0]);
    await provider.getChildren(folders[2]);
    assert.equal(provider.loadedResources('instance').length, 70);
    assert.equal(provider.polling.size, 70);
    const seen = changes(provider);
    provider.collapsed(folders[0]!);
    assert.deepEqual(seen, [folders[0]!.key], 'announced, so VS Code drops its copies of the rows');
    assert.equal(provider.loadedResources('instance').length, 20);
    assert.equal(provider.polling.size, 20);
    const before = cloud.calls.length;
    assert.equal((await provider.getChildren(folders[0])).length, 50);
    assert.equal(cloud.calls.length - before, 5, 'read again when opened');
    provider.collapsed(group);
    assert.equal(provider.loadedResources('instance').length, 0, 'a collapsed list holds no rows');
    assert.equal(provider.polling.size, 0);
    assert.equal(seen.at(-1), group.key);
    assert.deepEqual(labels(provider, await provider.getChildren(group)), labels(provider, folders), 'folders kept');
  });

  it('the last folder says how many rows arrived since the length was read, and how to see them', async () => {
    const cloud = fakeCloud({ lists: { instances: instances(120) } });
    const { provider, group } = await instancesGroup(cloud);
    const folders = await provider.getChildren(group);
    cloud.lists.instances = instances(160);
    const rows = await provider.getChildren(folders[2]);
    assert.equal(rows.filter((r) => r.type === 'resource').length, 50, 'the last folder takes up to a folder of rows');
    const note = provider.getTreeItem(rows.at(-1)!) as unknown as TreeItem;
    assert.equal(note.label, '10 more instances since this list was read — click to refresh');
    assert.deepEqual(note.command?.arguments, [group]);
    const middle = await provider.getChildren(folders[1]);
    assert.ok(
      middle.every((r) => r.type === 'resource'),
      'a folder before the last ends where the next begins: no note',
    );
  });

  it('shows cloud text in folder rows inert, like every row', async () => {
    const hostile = instances(60).map((i, n) => (n === 55 ? { ...i, InstanceName: 'evil\u202Egnp.exe\u0007' } : i));
    const cloud = fakeCloud({ lists: { instances: hostile } });
    const { provider, group } = await instancesGroup(cloud);
    const folders = await provider.getChildren(group);
    const rows = await provider.getChildren(folders[1]);
    const item = provider.getTreeItem(rows[5]!) as unknown as TreeItem;
    for (const text of [String(item.label), String(item.accessibilityInformation?.label)])
      assert.ok(!text.includes('\u202E') && !text.includes('\u0007'), `not inert: ${JSON.stringify(text)}`);
  });
});
