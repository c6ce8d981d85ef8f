/**
 * Actions without a stateful handler. Reads answer with an empty result of the documented shape (lists empty,
 * counts zero), so a client sees a well-formed answer; writes are refused with UnsupportedOperation and a message
 * that says the emulator does not model them. `/_tce/coverage` lists which actions are which.
 */
import type { Action } from '../core.ts';
import { fail } from '../failure.ts';
import { isRead } from './common.ts';
import type { Handler } from './types.ts';

const LISTS = /(Set|List|s)$/;

function emptyValue(name: string, type: string, description: string): unknown {
  if (type.startsWith('Array of')) return [];
  if (/^(U?[Ii]nt(64)?|Integer|Float|Double)$/.test(type)) return 0;
  if (/^Bool(ean)?$/.test(type)) return false;
  if (/^(String|Datetime|Datetime_iso|Timestamp|Date)$/.test(type)) return '';
  // A documented structure: a list when the name or description says so, otherwise nothing to report.
  return LISTS.test(name) || /列表|集合/.test(description) ? [] : null;
}

export function genericHandler(action: Action): Handler {
  if (isRead(action.name)) {
    return () => Object.fromEntries(action.output.map((p) => [p.name, emptyValue(p.name, p.type, p.description)]));
  }
  return () =>
    fail(
      'UnsupportedOperation',
      `${action.service}:${action.name} (${action.version}) is documented but not emulated: the emulator keeps no state for it. See /_tce/coverage.`,
    );
}
