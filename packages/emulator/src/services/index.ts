/** Which handler answers each action, per service and API version; actions without one get the generic answer. */
import { findAction, getServiceCatalog, listServices } from '../core.ts';
import { cfs2018Handlers, cfs2019Handlers } from './cfs/index.ts';
import { cvmHandlers } from './cvm/index.ts';
import { csmHandlers } from './csm/index.ts';
import { genericHandler } from './generic.ts';
import { isRead } from './common.ts';
import { refusalsOf } from './refusals.ts';
import type { Handler, Handlers } from './types.ts';

const HANDLERS: Record<string, Handlers> = {
  'cvm@2017-03-12': cvmHandlers,
  'cfs@2018-04-16': cfs2018Handlers,
  'cfs@2019-07-19': cfs2019Handlers,
  'csm@2021-09-15': csmHandlers,
};

export function handlerFor(service: string, version: string, action: string): Handler {
  return HANDLERS[`${service}@${version}`]?.[action] ?? genericHandler(findAction(service, action, version));
}

export interface CoverageEntry {
  service: string;
  version: string;
  action: string;
  /** emulated: real behaviour on the state; empty: answers an empty result; unsupported: a documented error. */
  status: 'emulated' | 'empty' | 'unsupported';
  /** Documented refusals it implements beyond the catalog's types and limits: rules.ts and the emulator's own. */
  refusals: number;
}

export function coverage(): CoverageEntry[] {
  const out: CoverageEntry[] = [];
  for (const { service, versions } of listServices()) {
    for (const version of versions) {
      const handlers = HANDLERS[`${service}@${version}`] ?? {};
      for (const action of Object.keys(getServiceCatalog(service, version).actions).sort()) {
        const status = handlers[action] ? 'emulated' : isRead(action) ? 'empty' : 'unsupported';
        out.push({ service, version, action, status, refusals: refusalsOf(service, version, action).length });
      }
    }
  }
  return out;
}

/** Handlers named for actions the catalog does not have: a typo would silently never answer. */
export function strayHandlers(): string[] {
  const stray: string[] = [];
  for (const [key, handlers] of Object.entries(HANDLERS)) {
    const [service, version] = key.split('@') as [string, string];
    const actions = getServiceCatalog(service, version).actions;
    for (const name of Object.keys(handlers)) if (!(name in actions)) stray.push(`${key} ${name}`);
  }
  return stray;
}
