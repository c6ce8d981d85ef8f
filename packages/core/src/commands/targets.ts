/**
 * Targets: names resolved to IDs (refusing ambiguity), then described — name, state, type, tags — so a plan
 * shows what it will touch and its hash binds the state it was approved in.
 */
import type { TceClient } from '../api/client.ts';
import { InputError } from '../api/errors.ts';
import { listAll } from '../api/paginate.ts';
import { ID_FORMATS } from '../catalog/ids.ts';
import { CFS_VERSION } from './resources/filesystems.ts';
import { describeInstances, type Instance } from './resources/instances.ts';
import { tagsOf } from './resources/common.ts';
import type { TargetKind } from '../plan/types.ts';
import type { PlanTargetView } from './types.ts';

export type { TargetKind };

/** Kinds tceops cannot describe: a plan names them, marked unknown, and the policy assumes the worst. */
export const UNDESCRIBABLE: readonly TargetKind[] = ['host', 'sourceServer', 'rule'];

export interface DescribedTarget extends PlanTargetView {
  kind: TargetKind;
  zone?: string;
  raw: Record<string, unknown>;
  /** Not described: see UNDESCRIBABLE. */
  unknown?: boolean;
}

/** Instance names → IDs. Two instances with one name are refused, listing both. */
export async function resolveInstanceNames(client: TceClient, region: string, values: string[]): Promise<string[]> {
  const prefix = ID_FORMATS.instance.prefix;
  const names = values.filter((v) => !v.toLowerCase().startsWith(prefix));
  if (names.length === 0) return values;
  const byName = new Map<string, Instance[]>();
  for (const name of names) {
    const matches = await listAll<Instance>(
      client,
      'cvm',
      'DescribeInstances',
      { Filters: [{ Name: 'instance-name', Values: [name] }] },
      { itemsKey: 'InstanceSet', region },
    );
    // The API may match loosely; only exact names count.
    byName.set(
      name,
      matches.filter((i) => i.InstanceName === name),
    );
  }
  return values.map((value) => {
    if (value.toLowerCase().startsWith(prefix)) return value;
    const matches = byName.get(value) ?? [];
    if (matches.length === 0) {
      throw new InputError(
        `no instance named "${value}" in ${region}`,
        'InvalidInstanceId.NotFound',
        'list them with "cvm instances", or give the ID',
      );
    }
    if (matches.length > 1) {
      const list = matches.map((m) => `${m.InstanceId} (${m.InstanceState}, ${m.Placement?.Zone ?? '?'})`).join(', ');
      throw new InputError(
        `"${value}" names ${matches.length} instances: ${list}`,
        'InvalidParameterValue',
        'give the ID of the one you mean',
      );
    }
    return matches[0]!.InstanceId;
  });
}

function notFound(kind: TargetKind, missing: string[], region: string): InputError {
  const codes: Record<TargetKind, string> = {
    instance: 'InvalidInstanceId.NotFound',
    image: 'InvalidImageId.NotFound',
    filesystem: 'ResourceNotFound.FileSystemNotFound',
    pgroup: 'ResourceNotFound.PGroupNotFound',
    rule: 'ResourceNotFound',
    job: 'ResourceNotFound',
    keypair: 'InvalidKeyPairId.NotFound',
    host: 'ResourceNotFound',
    sourceServer: 'ResourceNotFound',
  };
  return new InputError(`${kind} ${missing.join(', ')} not found in ${region}`, codes[kind]);
}

export async function describeTargets(
  client: TceClient,
  region: string,
  kind: TargetKind,
  ids: string[],
): Promise<DescribedTarget[]> {
  let described: DescribedTarget[];
  if (UNDESCRIBABLE.includes(kind)) return ids.map((id) => ({ kind, id, tags: {}, raw: {}, unknown: true }));
  switch (kind) {
    case 'instance':
      described = (await describeInstances(client, region, ids)).map((i) => ({
        kind,
        id: i.InstanceId,
        name: i.InstanceName,
        state: i.InstanceState,
        type: i.InstanceType,
        zone: i.Placement?.Zone,
        tags: tagsOf(i),
        raw: i,
      }));
      break;
    case 'image': {
      const found: DescribedTarget[] = [];
      for (let i = 0; i < ids.length; i += 100) {
        const r = await client.call<{ ImageSet: Record<string, unknown>[] }>(
          'cvm',
          'DescribeImages',
          { ImageIds: ids.slice(i, i + 100) },
          { region },
        );
        for (const image of r.ImageSet ?? []) {
          found.push({
            kind,
            id: String(image.ImageId),
            name: image.ImageName as string | undefined,
            state: image.ImageState as string | undefined,
            type: image.ImageType as string | undefined,
            tags: tagsOf(image as { Tags?: { Key: string; Value: string }[] }),
            raw: image,
          });
        }
      }
      described = found;
      break;
    }
    case 'filesystem': {
      described = [];
      for (const id of ids) {
        const r = await client.call<{ FileSystems: Record<string, unknown>[] }>(
          'cfs',
          'DescribeCfsFileSystems',
          { FileSystemId: id },
          { region, version: CFS_VERSION },
        );
        for (const fs of r.FileSystems ?? []) {
          described.push({
            kind,
            id: String(fs.FileSystemId),
            name: fs.FsName as string | undefined,
            state: fs.LifeCycleState as string | undefined,
            type: fs.StorageType as string | undefined,
            zone: fs.Zone as string | undefined,
            tags: Object.fromEntries(
              ((fs.Tags as { TagKey: string; TagValue: string }[] | undefined) ?? []).map((t) => [
                t.TagKey,
                t.TagValue,
              ]),
            ),
            raw: fs,
          });
        }
      }
      break;
    }
    case 'pgroup': {
      described = [];
      for (const id of ids) {
        const r = await client.call<{ PGroupList: Record<string, unknown>[] }>(
          'cfs',
          'DescribeCfsPGroups',
          { PGroupId: id },
          { region, version: CFS_VERSION },
        );
        for (const g of (r.PGroupList ?? []).filter((p) => p.PGroupId === id)) {
          described.push({ kind, id, name: g.Name as string | undefined, tags: {}, raw: g });
        }
      }
      break;
    }
    case 'job': {
      described = [];
      for (const id of ids) {
        const r = await client.call<{ MigrationJobs: Record<string, unknown>[] }>(
          'csm',
          'DescribeMigrationJobs',
          { Filters: [{ Name: 'job-id', Values: [id] }] },
          { region },
        );
        for (const job of (r.MigrationJobs ?? []).filter((j) => j.JobId === id)) {
          described.push({
            kind,
            id,
            name: job.Name as string | undefined,
            state: job.Status as string | undefined,
            tags: {},
            raw: job,
          });
        }
      }
      break;
    }
    case 'keypair': {
      described = [];
      for (let i = 0; i < ids.length; i += 100) {
        const r = await client.call<{ KeyPairSet: Record<string, unknown>[] }>(
          'cvm',
          'DescribeKeyPairs',
          { KeyIds: ids.slice(i, i + 100), Limit: 100 },
          { region },
        );
        for (const key of r.KeyPairSet ?? []) {
          described.push({
            kind,
            id: String(key.KeyId),
            name: key.KeyName as string | undefined,
            tags: tagsOf(key as { Tags?: { Key: string; Value: string }[] }),
            raw: key,
          });
        }
      }
      break;
    }
    default:
      described = ids.map((id) => ({ kind, id, tags: {}, raw: {}, unknown: true }));
  }
  const foundIds = new Set(described.map((t) => t.id));
  const missing = ids.filter((id) => !foundIds.has(id));
  if (missing.length) throw notFound(kind, missing, region);
  // Keep the order the user gave.
  return ids.map((id) => described.find((t) => t.id === id)!);
}

/** Targets of several kinds (a `call` may name an instance and an image), each kind described in one go. */
export async function describeMixed(
  client: TceClient,
  region: string,
  targets: { kind: TargetKind; id: string }[],
): Promise<DescribedTarget[]> {
  const byKind = new Map<TargetKind, string[]>();
  for (const t of targets) byKind.set(t.kind, [...(byKind.get(t.kind) ?? []), t.id]);
  const described = new Map<string, DescribedTarget>();
  for (const [kind, ids] of byKind) {
    for (const t of await describeTargets(client, region, kind, [...new Set(ids)])) described.set(`${kind}:${t.id}`, t);
  }
  return targets.map((t) => described.get(`${t.kind}:${t.id}`)!);
}
