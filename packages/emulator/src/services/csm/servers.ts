/**
 * CSM source servers: registered by the migration client (CreateSourceServer), listed with filters and paging
 * (Limit 1 to 50), renamed, deleted (refused while a job is unfinished). Status: OFFLINE, ONLINE, MIGRATING.
 */
import { isoTime } from '../../clock.ts';
import { fail } from '../../failure.ts';
import type { SourceServer, Stored } from '../../state.ts';
import { applyFilters, type Filter, inRegion, page } from '../common.ts';
import type { Call, Handlers } from '../types.ts';
import { addSourceServer } from './store.ts';

export const UNFINISHED = ['PENDING', 'RUNNING', 'STOPPING'];

export function requireServer(call: Call, id: string): Stored<SourceServer> {
  const stored = call.state.csm.sourceServers[id];
  if (!stored || stored.region !== call.region)
    fail('ResourceNotFound.InvalidLiveMigrateSourceServerId', `no source server ${id} in ${call.region}`);
  return stored;
}

function checkText(name: string, value: string | undefined, max: number): void {
  if (value === undefined) return;
  if (value.length > max) fail('InvalidParameterValue.TooLong', `${name} is longer than ${max} characters`);
  if (/[<>"'`]/.test(value))
    fail('InvalidParameterValue.ParameterValueContainsIllegalCharacter', `${name} may not contain < > " ' or \``);
}

function createSourceServer(call: Call) {
  const p = call.params as {
    Name?: string;
    Description?: string;
    OsType: string;
    Architecture: string;
    Identifier: string;
    ServerInfo: { ProcessorNum?: number; Ip?: string; Memory?: number };
    SystemDiskInfo: { Size?: number };
  };
  checkText('Name', p.Name, 60);
  checkText('Description', p.Description, 256);
  if (Object.values(call.state.csm.sourceServers).some((s) => s.item.Identifier === p.Identifier))
    fail('InvalidParameterValue.SourceServerExist', `a source server with Identifier ${p.Identifier} is registered`);
  const id = addSourceServer(call.state, call.region, {
    name: p.Name ?? p.Identifier,
    status: 'ONLINE',
    os: p.OsType,
    ip: p.ServerInfo.Ip ?? '',
    cpu: p.ServerInfo.ProcessorNum ?? 1,
    memoryGb: Math.round((p.ServerInfo.Memory ?? 1024) / 1024),
    diskGb: p.SystemDiskInfo.Size ?? 50,
    createdAt: call.now,
    identifier: p.Identifier,
    architecture: p.Architecture,
  });
  const server = call.state.csm.sourceServers[id]!.item;
  server.Description = p.Description ?? '';
  server.ServerInfo = { ...server.ServerInfo, ...p.ServerInfo };
  server.SystemDiskInfo = { ...p.SystemDiskInfo };
  return { SourceServerId: id };
}

function describeSourceServers(call: Call) {
  const p = call.params as { Filters?: Filter[] };
  const jobs = Object.values(call.state.csm.jobs).map((s) => s.item);
  const servers = applyFilters(
    inRegion(call.state.csm.sourceServers, call.region).map((s) => s.item),
    p.Filters,
    {
      'source-server-id': (s) => s.SourceServerId,
      name: (s) => s.Name,
      'job-id': (s) => jobs.filter((j) => j.SourceServerId === s.SourceServerId).map((j) => j.JobId),
      status: (s) => s.Status,
      'os-type': (s) => s.OsType,
      architecture: (s) => s.Architecture,
      product: (s) => s.Product,
      'session-token': () => undefined,
    },
  );
  return { TotalCount: servers.length, SourceServers: page(servers, call.params, { limit: 20, max: 50 }) };
}

function modifySourceServer(call: Call) {
  const p = call.params as { SourceServerId: string; Name?: string; Description?: string; Status?: string };
  const server = requireServer(call, p.SourceServerId).item;
  checkText('Name', p.Name, 60);
  checkText('Description', p.Description, 256);
  if (p.Status !== undefined) {
    // The migration client reports itself online or offline; MIGRATING is the emulator's to set.
    if (!['ONLINE', 'OFFLINE'].includes(p.Status))
      fail('InvalidParameterValue', `Status may be set to ONLINE or OFFLINE, not "${p.Status}"`);
    if (server.Status === 'MIGRATING')
      fail('FailedOperation.SourceServerStatusNotSupport', `${p.SourceServerId} is MIGRATING; stop its job first`);
    server.Status = p.Status;
  }
  if (p.Name !== undefined) server.Name = p.Name;
  if (p.Description !== undefined) server.Description = p.Description;
  server.UpdateTime = isoTime(call.now);
  return {};
}

function deleteSourceServer(call: Call) {
  const p = call.params as { SourceServerId: string };
  const server = requireServer(call, p.SourceServerId).item;
  const open = Object.values(call.state.csm.jobs).filter(
    (j) => j.item.SourceServerId === p.SourceServerId && UNFINISHED.includes(j.item.Status),
  );
  if (open.length)
    fail(
      'FailedOperation.SourceServerRelatedUnFinishedJob',
      `${p.SourceServerId} has unfinished jobs: ${open.map((j) => j.item.JobId).join(', ')}`,
    );
  if (server.Status === 'MIGRATING')
    fail('FailedOperation.SourceServerStatusNotSupport', `${p.SourceServerId} is MIGRATING`);
  delete call.state.csm.sourceServers[p.SourceServerId];
  return {};
}

function describeSourceServerDeniedActions(call: Call) {
  const p = call.params as { SourceServerIds: string[] };
  return {
    SourceServerDeniedActionSet: p.SourceServerIds.map((id) => {
      const server = requireServer(call, id).item;
      const denied: { Action: string; Code: string; Message: string }[] = [];
      const open = Object.values(call.state.csm.jobs).some(
        (j) => j.item.SourceServerId === id && UNFINISHED.includes(j.item.Status),
      );
      if (open || server.Status === 'MIGRATING')
        denied.push({
          Action: 'DeleteSourceServer',
          Code: 'FailedOperation.SourceServerRelatedUnFinishedJob',
          Message: 'an unfinished job uses it',
        });
      if (server.Status !== 'ONLINE')
        denied.push({
          Action: 'CreateMigrationJob',
          Code: 'ResourceNotFound.InvalidLiveMigrateOnlineSourceServerId',
          Message: `it is ${server.Status}`,
        });
      return { SourceServerId: id, DeniedActions: denied };
    }),
  };
}

export const serverHandlers: Handlers = {
  CreateSourceServer: createSourceServer,
  DescribeSourceServers: describeSourceServers,
  ModifySourceServer: modifySourceServer,
  DeleteSourceServer: deleteSourceServer,
  DescribeSourceServerDeniedActions: describeSourceServerDeniedActions,
};
