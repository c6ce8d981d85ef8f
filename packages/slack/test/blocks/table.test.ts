import assert from 'node:assert/strict';
import { currentOffset, regionOf, renderTable, withOffset } from '../../src/blocks/table.ts';
import type { TableView } from '../../src/core.ts';
import { assertValidBlocks } from '../../../../test/slack/block-kit-check.ts';
import { elements, textOf } from '../../../../test/slack/harness.ts';

function instances(n: number, state = 'RUNNING', name = (i: number) => `web-${i}`): TableView {
  const ids = Array.from({ length: n }, (_, i) => `ins-${String(i).padStart(8, '0')}`);
  return {
    kind: 'instance',
    title: 'Instances',
    columns: [],
    rows: ids.map((id, i) => ({
      state,
      name: name(i),
      id,
      type: 'S5.MEDIUM4',
      zone: 'ap-guangzhou-3',
      privateIp: '10.0.0.1',
      publicIp: '',
    })),
    items: [],
    states: ids.map(() => state),
    ids,
    total: n,
    requestIds: ['req-1'],
  };
}

describe('table blocks', () => {
  it('offers only the actions a state allows, as a button when there is just one', () => {
    const pending = renderTable(instances(1, 'PENDING'));
    assert.equal(elements(pending.blocks, 'tce_run')[0]!.type, 'button', 'Details alone is a button');
    const shutdown = renderTable(instances(1, 'SHUTDOWN'));
    const [menu] = elements(shutdown.blocks, 'tce_run') as { options: { value: string }[] }[];
    assert.deepEqual(
      menu!.options.map((o) => o.value),
      ['cvm show ins-00000000', 'cvm terminate ins-00000000'],
    );
  });

  it('carries the --region of the listing into every menu command', () => {
    const view = renderTable(instances(1), { command: 'cvm instances --region ap-shanghai', region: 'ap-shanghai' });
    const [menu] = elements(view.blocks, 'tce_run') as { options: { value: string }[] }[];
    assert.ok(menu!.options.every((o) => o.value.endsWith(' --region ap-shanghai')));
  });

  it('escapes names so that a name cannot inject mentions or links', () => {
    const view = renderTable(instances(1, 'RUNNING', () => '<!channel> & <http://evil|x>'));
    const text = textOf(view.blocks);
    assert.ok(!text.includes('<!channel>'));
    assert.match(text, /&lt;!channel&gt; &amp; &lt;http:\/\/evil\|x&gt;/);
  });

  it('stays inside Slack limits with 100 rows: rows as text up to what a message holds, the rest a page away', () => {
    const view = renderTable(
      instances(100, 'RUNNING', (i) => `web-${i}-${'x'.repeat(50)}`),
      {
        command: 'cvm instances --limit 100',
      },
    );
    assertValidBlocks(view.blocks);
    const text = textOf(view.blocks);
    const shown = Array.from({ length: 100 }, (_, i) => text.includes(`ins-${String(i).padStart(8, '0')}`));
    const n = shown.indexOf(false);
    assert.ok(n > 40 && shown.slice(n).every((s) => !s), `the first ${n} rows, in order`);
    assert.match(text, new RegExp(`Showing 1–${n} of 100`));
    const [next] = elements(view.blocks, 'tce_page');
    assert.equal(next?.value, `cvm instances --limit 100 --offset ${n}`);
  });

  it('says when nothing matched', () => {
    assert.match(textOf(renderTable(instances(0)).blocks), /Nothing found/);
  });

  it('renders other kinds generically, with their own actions', () => {
    const view: TableView = {
      kind: 'filesystem',
      title: 'File systems',
      columns: [
        { key: 'name', title: 'Name' },
        { key: 'id', title: 'ID' },
        { key: 'size', title: 'Size' },
      ],
      rows: [{ name: 'shared', id: 'cfs-abc12345', size: '10 GiB' }],
      items: [],
      ids: ['cfs-abc12345'],
      states: ['AVAILABLE'],
      requestIds: [],
    };
    const message = renderTable(view);
    assertValidBlocks(message.blocks);
    assert.match(textOf(message.blocks), /:large_green_circle: \*shared\* `cfs-abc12345` AVAILABLE\nSize: 10 GiB/);
    const [menu] = elements(message.blocks, 'tce_run') as { options: { value: string }[] }[];
    assert.deepEqual(
      menu!.options.map((o) => o.value),
      ['cfs show cfs-abc12345', 'cfs delete cfs-abc12345'],
    );
  });

  it('pages by replacing --offset in the command', () => {
    assert.equal(
      withOffset('cvm instances --offset 20 --state RUNNING', 40),
      'cvm instances --state RUNNING --offset 40',
    );
    assert.equal(withOffset('cvm instances --offset=20', 40), 'cvm instances --offset 40');
    assert.equal(currentOffset('cvm instances --offset 20'), 20);
    assert.equal(currentOffset('cvm instances'), 0);
    assert.equal(regionOf('cvm instances --region=ap-beijing'), 'ap-beijing');
    assert.equal(regionOf('cvm instances'), undefined);
  });

  it('never cuts a paging command to fit a button: past 2,000 characters it says how to page instead', () => {
    const command = `cvm instances --name ${'x'.repeat(2100)}`;
    const view = { ...instances(3), nextOffset: 3, total: 10 };
    const m = renderTable(view, { command });
    assertValidBlocks(m.blocks);
    assert.equal(elements(m.blocks, 'tce_page').length, 0);
    assert.match(textOf(m.blocks), /run the command again with `--offset 3`/);
  });
});
