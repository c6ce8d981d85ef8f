/**
 * The API catalog, loaded from the committed JSON (generated from the TCE docs by `npm run catalog`).
 */
import { InputError } from '../api/errors.ts';
import { closest } from '../commands/suggest.ts';
import cfs2018 from './data/cfs-2018-04-16.json' with { type: 'json' };
import cfs2019 from './data/cfs-2019-07-19.json' with { type: 'json' };
import csm2021 from './data/csm-2021-09-15.json' with { type: 'json' };
import cvm2017 from './data/cvm-2017-03-12.json' with { type: 'json' };
import type { Action, ServiceCatalog, Structure } from './types.ts';

export { riskOf } from './risk.ts';
export type * from './types.ts';

const CATALOGS = [cvm2017, cfs2018, cfs2019, csm2021] as unknown as ServiceCatalog[];

export function listServices(): { service: string; versions: string[]; latest: string }[] {
  const byService = new Map<string, string[]>();
  for (const c of CATALOGS) byService.set(c.service, [...(byService.get(c.service) ?? []), c.version].sort());
  return [...byService].map(([service, versions]) => ({ service, versions, latest: versions[versions.length - 1]! }));
}

export function latestVersion(service: string): string {
  return getServiceCatalog(service).version;
}

/** The catalog of one service: the newest version unless one is named. */
export function getServiceCatalog(service: string, version?: string): ServiceCatalog {
  const name = service.toLowerCase();
  const versions = CATALOGS.filter((c) => c.service === name);
  if (versions.length === 0) {
    const known = listServices().map((s) => s.service);
    const near = closest(service, known);
    throw new InputError(
      `unknown service "${service}"`,
      'InvalidAction',
      `services: ${known.join(', ')}${near.length ? `; did you mean ${near[0]}?` : ''}`,
    );
  }
  if (!version) return versions.reduce((a, b) => (a.version > b.version ? a : b));
  const found = versions.find((c) => c.version === version);
  if (!found) {
    throw new InputError(
      `${name} has no API version ${version}`,
      'NoSuchVersion',
      `versions: ${versions.map((c) => c.version).join(', ')}`,
    );
  }
  return found;
}

export function findAction(service: string, action: string, version?: string): Action {
  const catalog = getServiceCatalog(service, version);
  const found =
    catalog.actions[action] ??
    Object.values(catalog.actions).find((a) => a.name.toLowerCase() === action.toLowerCase());
  if (found) return found;
  const near = closest(action, Object.keys(catalog.actions));
  throw new InputError(
    `${catalog.service} ${catalog.version} has no action "${action}"`,
    'InvalidAction',
    near.length ? `did you mean ${near.join(', ')}?` : `list them with "tceops catalog ${catalog.service}"`,
  );
}

export function findStructure(service: string, version: string, name: string): Structure | undefined {
  return getServiceCatalog(service, version).structures[name];
}
