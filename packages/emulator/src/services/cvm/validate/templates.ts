/**
 * Launch template refusals that need the image: Windows' HostName takes 2 to 15 characters, no dots, not all
 * digits (000:15813, 16043); the rest of HostName's shape and the template's other prose rules are the catalog's.
 */
import { refusal, refuse } from '../../refusals.ts';
import type { Call } from '../../types.ts';

const WINDOWS_HOSTNAME = Object.fromEntries(
  (
    [
      ['000:15813', 'CreateLaunchTemplate'],
      ['000:16043', 'ModifyLaunchTemplate'],
    ] as const
  ).map(([source, action]) => [
    action,
    refusal({
      source,
      service: 'cvm',
      action,
      code: 'InvalidParameterValue',
      says: 'Windows HostName 2 to 15, no dots',
    }),
  ]),
);

export function checkTemplateHostName(call: Call, hostName: string | undefined, windows: boolean): void {
  const r = WINDOWS_HOSTNAME[call.action];
  if (!r || hostName === undefined || !windows) return;
  if (hostName.length > 15 || hostName.includes('.') || /^\d+$/.test(hostName))
    refuse(r, 'a Windows HostName takes 2 to 15 letters, digits and dashes, not all digits');
}
