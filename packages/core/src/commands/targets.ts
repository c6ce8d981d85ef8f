/**
 * Targets: names resolved to IDs (refusing ambiguity), then described — name, state, type, tags — so a plan
 * shows what it will touch and its hash binds the state it was approved in.
 */
import type { TceClient } from '../api/client.ts';
import { InputError } from '../api/errors.ts';
import { listAll } from '../api/paginate.ts';
import { ID_FORMATS } from '../catalog/ids.ts';
import { KINDS } from '../kinds/index.ts';
import type { DescribedTarget } from '../kinds/types.ts';
import type { TargetKind } from '../plan/types.ts';
import type { Instance } from './resources/instances.ts';

export type { DescribedTarget, TargetKind };

/** Kinds tceops cannot describe: a plan names them, marked unknown, and the policy assumes the worst. */
export const UNDESCRIBABLE: readonly TargetKind[] = Object.values(KINDS)
  .filter((k) => !k.describe)
  .map((k) => k.kind);

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

/** Targets of one kind, described by the kind's module, in the order given; a missing one is refused. */
export async function describeTargets(
  client: TceClient,
  region: string,
  kind: TargetKind,
  ids: string[],
): Promise<DescribedTarget[]> {
  const module = KINDS[kind];
  if (!module.describe) return ids.map((id) => ({ kind, id, tags: {}, raw: {}, unknown: true }));
  const described = await module.describe(client, region, ids);
  const found = new Map(described.map((t) => [t.id, t]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) throw new InputError(`${kind} ${missing.join(', ')} not found in ${region}`, module.notFound);
  return ids.map((id) => found.get(id)!);
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
