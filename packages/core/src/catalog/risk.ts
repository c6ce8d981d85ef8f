/**
 * Every action's risk class: read, write, sensitive (the docs' 敏感操作保护 list: stop, reboot, reset password,
 * destroy) or destructive (irreversible). Name patterns give most; the hand-made overrides are all in one table.
 */
import type { Risk } from './types.ts';

/** Overrides, each with its reason. Keys are "service:Action". */
export const RISK_OVERRIDES: Record<string, { risk: Risk; why: string }> = {
  'cvm:StopInstances': {
    risk: 'sensitive',
    why: 'stop is on the docs’ sensitive-operation list; a forced stop can lose data',
  },
  'cvm:RebootInstances': { risk: 'sensitive', why: 'reboot is on the sensitive-operation list' },
  'cvm:ResetInstancesPassword': { risk: 'sensitive', why: 'reset password is on the sensitive-operation list' },
  'cvm:ResetInstance': { risk: 'destructive', why: 'reinstalling formats the system disk' },
  'cvm:ResetInstancesType': { risk: 'sensitive', why: 'changing the type stops a running instance' },
  'cvm:ResizeInstanceDisks': { risk: 'sensitive', why: 'resizing stops a running instance (ForceStop)' },
  'cvm:ModifyInstancesVpcAttribute': { risk: 'sensitive', why: 'changing the VPC stops and starts the instance' },
  'cvm:DisassociateInstancesKeyPairs': { risk: 'sensitive', why: 'removing a key can lock people out' },
  'cvm:AssociateInstancesKeyPairs': {
    risk: 'sensitive',
    why: 'the new key replaces the old one and disables password login',
  },
  'cvm:TerminateHosts': { risk: 'destructive', why: 'returns a dedicated host and what runs on it' },
  'csm:LiveMigrateLhInstance': { risk: 'sensitive', why: 'moves a running server' },
  'csm:ExitLiveMigrateLhInstance': { risk: 'sensitive', why: 'interrupts a live migration' },
  'csm:StopMigrationJob': { risk: 'sensitive', why: 'interrupts a running migration' },
  'cfs:UpdateCfsFileSystemPGroup': { risk: 'sensitive', why: 'changes who may mount the file system' },
  'cfs:UpdateCfsRule': { risk: 'sensitive', why: 'changes who may mount the file system' },
  'cfs:DeleteCfsRule': { risk: 'sensitive', why: 'clients lose (or, for the last rule, everyone gains) access' },
  'cfs:UpdateCfsFileSystemSizeLimit': { risk: 'sensitive', why: 'a lower limit can stop writes' },
};

const READ = /^(Describe|Query|Inquiry|Get)/;
const DESTRUCTIVE = /^(Terminate|Delete)/;

export function riskOf(service: string, action: string): Risk {
  const override = RISK_OVERRIDES[`${service}:${action}`];
  if (override) return override.risk;
  if (READ.test(action)) return 'read';
  if (DESTRUCTIVE.test(action)) return 'destructive';
  return 'write';
}
