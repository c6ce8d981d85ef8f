/**
 * Documented refusals the emulator makes from its state (the image's OS, the subnet, addresses in use): each
 * one is declared here with its seed line and code, and thrown through `refuse`, so /_tce/coverage can count
 * them per action beside the catalog's own rules (packages/core/src/catalog/rules.ts), and the fidelity suite
 * can check that every one of them has its test.
 */
import { rulesFor } from '../core.ts';
import { fail } from '../failure.ts';

export interface Refusal {
  /** Seed file and line, e.g. "000:20451". */
  source: string;
  service: string;
  /** The API version it holds in (all of the service's when absent). */
  version?: string;
  action: string;
  code: string;
  says: string;
}

const REFUSALS: Refusal[] = [];

/** Declares a refusal (at module load) and returns it for `refuse`. */
export function refusal(r: Refusal): Refusal {
  REFUSALS.push(r);
  return r;
}

export function refuse(r: Refusal, message: string): never {
  return fail(r.code, `${message} (${r.action}, docs ${r.source})`);
}

export function emulatorRefusals(): readonly Refusal[] {
  return REFUSALS;
}

/** Every documented refusal of one action: the catalog's rules (client and emulator) and the emulator's own. */
export function refusalsOf(service: string, version: string, action: string): Refusal[] {
  const fromCatalog = rulesFor(service, version, action).map((r) => ({
    source: r.source,
    service,
    version,
    action,
    code: r.code,
    says: r.says,
  }));
  const own = REFUSALS.filter(
    (r) => r.service === service && r.action === action && (!r.version || r.version === version),
  );
  return [...fromCatalog, ...own];
}
