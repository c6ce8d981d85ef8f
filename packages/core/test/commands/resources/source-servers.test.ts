/** csm servers: a source server's SessionToken (it lets a client act as the server) is in no view. */
import assert from 'node:assert/strict';
import type { TceClient } from '../../../src/api/client.ts';
import { parseCommand } from '../../../src/commands/parse.ts';
import type { TableView } from '../../../src/commands/types.ts';

describe('commands/resources/source-servers', () => {
  it('drops SessionToken from the items, and sends the status filter', async () => {
    const sent: Record<string, unknown>[] = [];
    const client = {
      region: 'ap-guangzhou',
      async call(_service: string, _action: string, params: Record<string, unknown>) {
        sent.push(params);
        return {
          TotalCount: 1,
          SourceServers: [
            { SourceServerId: 'ss-abcd1234', Name: 'idc-1', Status: 'ONLINE', SessionToken: 'tok-SECRET' },
          ],
          RequestId: 'req-1',
        };
      },
    } as unknown as TceClient;
    const { command } = parseCommand('csm servers --status online', { region: 'ap-guangzhou' });
    const view = (await command.spec.read!(command, { client, region: 'ap-guangzhou' })) as TableView;
    assert.ok(!JSON.stringify(view).includes('tok-SECRET'));
    assert.equal(view.rows[0]!.name, 'idc-1');
    assert.deepEqual(sent[0]!.Filters, [{ Name: 'status', Values: ['ONLINE'] }]);
  });
});
