/**
 * The API catalog, loaded from the committed JSON that `npm run catalog` generates from the TCE docs: one file per
 * service version, read when that service version is first asked for (files.ts), so a command pays only for the
 * services it uses.
 */
import { InputError } from '../api/errors.ts';
import { closest } from '../suggest.ts';
import { CATALOG_FILES, readCatalogFile } from './files.ts';
import type { Action, ServiceCatalog, Structure } from './types.ts';

export { RISK_OVERRIDES, riskOf } from './risk.ts';
export { hostNameProblem, isIpv4, RULES, type Rule, rulesFor } from './rules.ts';
export type * from './types.ts';

/** The service versions, known from the file names alone: listing them reads no catalog. */
const ENTRIES = CATALOG_FILES.map((file) => {
  const [, service, version] = /^([a-z0-9]+)-(\d{4}-\d{2}-\d{2})$/.exec(file)!;
  return { file, service: service!, version: version! };
});

const loaded = new Map<string, ServiceCatalog>();

function load(entry: (typeof ENTRIES)[number]): ServiceCatalog {
  let catalog = loaded.get(entry.file);
  if (!catalog) {
    catalog = readCatalogFile(entry.file) as ServiceCatalog;
    // A file renamed or regenerated into the wrong name would answer for another service: refuse it.
    if (catalog.service !== entry.service || catalog.version !== entry.version)
      throw new Error(`the catalog file ${entry.file}.json holds ${catalog.service} ${catalog.version}`);
    loaded.set(entry.file, catalog);
  }
  return catalog;
}

/** The service versions this process has read so far, as `service-version` (what a start pays for). */
export function loadedCatalogs(): string[] {
  return [...loaded.keys()];
}

/** Every service with its versions, oldest first; `latest` is the default. */
export function listServices(): { service: string; versions: string[]; latest: string }[] {
  const byService = new Map<string, string[]>();
  for (const c of ENTRIES) byService.set(c.service, [...(byService.get(c.service) ?? []), c.version].sort());
  return [...byService].map(([service, versions]) => ({ service, versions, latest: versions[versions.length - 1]! }));
}

/** The catalog of a service version, or undefined when there is none. Service names are case-insensitive. */
export function catalogOf(service: string, version?: string): ServiceCatalog | undefined {
  const versions = ENTRIES.filter((c) => c.service === service.toLowerCase());
  const entry = version
    ? versions.find((c) => c.version === version)
    : versions.reduce<(typeof ENTRIES)[number] | undefined>((a, b) => (a && a.version > b.version ? a : b), undefined);
  return entry && load(entry);
}

/** The catalog of one service: the newest version unless one is named. Throws InputError for unknown ones. */
export function getServiceCatalog(service: string, version?: string): ServiceCatalog {
  const found = catalogOf(service, version);
  if (found) return found;
  const services = listServices();
  const known = services.find((s) => s.service === service.toLowerCase());
  if (!known) {
    const near = closest(
      service,
      services.map((s) => s.service),
    );
    throw new InputError(
      `unknown service "${service}"`,
      'InvalidAction',
      `services: ${services.map((s) => s.service).join(', ')}${near.length ? `; did you mean ${near[0]}?` : ''}`,
    );
  }
  throw new InputError(
    `${known.service} has no API version ${version}`,
    'NoSuchVersion',
    `versions: ${known.versions.join(', ')} (the default is ${known.latest})`,
  );
}

export function latestVersion(service: string): string {
  return getServiceCatalog(service).version;
}

/**
 * One action of a service (newest version unless one is named). The name may differ in case; the action returned
 * carries the documented spelling. Throws InputError (InvalidAction) with the closest names for unknown ones.
 */
export function findAction(service: string, action: string, version?: string): Action {
  const catalog = getServiceCatalog(service, version);
  const found =
    catalog.actions[action] ??
    Object.values(catalog.actions).find((a) => a.name.toLowerCase() === action.toLowerCase());
  if (found) return found;
  const near = closest(action, Object.keys(catalog.actions));
  const elsewhere = listServices()
    .find((s) => s.service === catalog.service)!
    .versions.filter((v) => v !== catalog.version && catalogOf(catalog.service, v)?.actions[action]);
  throw new InputError(
    `${catalog.service} ${catalog.version} has no action "${action}"`,
    'InvalidAction',
    elsewhere.length
      ? `it exists in ${catalog.service} ${elsewhere.join(', ')}: choose that version`
      : near.length
        ? `did you mean ${near.join(', ')}?`
        : `list them with "tceops catalog ${catalog.service}"`,
  );
}

export function findStructure(service: string, version: string | undefined, name: string): Structure | undefined {
  return catalogOf(service, version)?.structures[name];
}
