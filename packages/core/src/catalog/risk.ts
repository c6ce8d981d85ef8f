/**
 * Every action's risk class, which policy maps to allow / confirm / approve:
 * - read: Describe*, Query*, Inquiry* (price and resource enquiries), Get*;
 * - destructive: irreversible, Terminate* and Delete*, and the overrides below;
 * - sensitive: the docs' 敏感操作保护 list (关机、重启、重置密码、销毁: stop, reboot, reset password, destroy), and
 *   actions that interrupt a running machine or change who can reach it;
 * - write: everything else.
 * Name patterns give most classes; every hand-made exception is in RISK_OVERRIDES with its reason.
 */
import type { Risk } from './types.ts';

/** The exceptions to the name patterns, each with its reason. Keys are "service:Action" (every version). */
export const RISK_OVERRIDES: Record<string, { risk: Risk; why: string }> = {
  // CVM
  'cvm:StopInstances': {
    risk: 'sensitive',
    why: 'stop (关机) is on the sensitive-operation list; a forced stop can lose data',
  },
  'cvm:RebootInstances': { risk: 'sensitive', why: 'reboot (重启) is on the sensitive-operation list' },
  'cvm:ResetInstancesPassword': {
    risk: 'sensitive',
    why: 'reset password (重置密码) is on the sensitive-operation list',
  },
  'cvm:ResetInstance': { risk: 'destructive', why: 'reinstalling formats the system disk' },
  'cvm:ResetInstancesType': { risk: 'sensitive', why: 'changing the type stops a running instance (ForceStop)' },
  'cvm:ResizeInstanceDisks': { risk: 'sensitive', why: 'resizing stops a running instance (ForceStop)' },
  'cvm:ModifyInstancesVpcAttribute': {
    risk: 'sensitive',
    why: 'stops and restarts the instance (ForceStop defaults to TRUE)',
  },
  'cvm:UpdateInstanceVpcConfig': {
    risk: 'sensitive',
    why: 'stops and restarts the instance (ForceStop defaults to TRUE)',
  },
  'cvm:ModifyInstancesDisasterRecoverGroup': {
    risk: 'sensitive',
    why: 'with Force the instance may move host and reboot',
  },
  'cvm:ModifyInstancesProject': { risk: 'sensitive', why: 'moving project unbinds the instance’s security groups' },
  'cvm:AssociateInstancesKeyPairs': {
    risk: 'sensitive',
    why: 'the key replaces the old one, disables password login, may stop the instance',
  },
  'cvm:DisassociateInstancesKeyPairs': { risk: 'sensitive', why: 'removing a key can lock people out' },
  'cvm:CreateImage': { risk: 'sensitive', why: 'may power off or reboot the instance (ForcePoweroff, Reboot)' },
  'cvm:ModifyImageSharePermission': {
    risk: 'sensitive',
    why: 'shares a custom image, and the data on it, with other accounts',
  },
  // CSM
  'csm:StartMigrationJob': {
    risk: 'destructive',
    why: 'migrating into an instance overwrites its disks (the guide says back it up first)',
  },
  'csm:CreateMigrationJob': {
    risk: 'sensitive',
    why: 'with RunMode Immediate or Timed the migration starts by itself',
  },
  'csm:LiveMigrateLhInstance': { risk: 'sensitive', why: 'migrates a running server' },
  'csm:ExitLiveMigrateLhInstance': { risk: 'sensitive', why: 'ends a live migration' },
  'csm:StopMigrationJob': { risk: 'sensitive', why: 'interrupts a running migration' },
  // CFS
  'cfs:UpdateCfsFileSystemPGroup': { risk: 'sensitive', why: 'changes which clients may mount the file system' },
  'cfs:UpdateCfsRule': { risk: 'sensitive', why: 'changes which clients may mount the file system' },
  'cfs:DeleteCfsRule': {
    risk: 'sensitive',
    why: 'can be recreated, but clients lose access (or, for the last rule, everyone gains it)',
  },
  'cfs:UpdateCfsFileSystemSizeLimit': { risk: 'sensitive', why: 'a lower limit can stop writes' },
};

const READ = /^(Describe|Query|Inquiry|Get)[A-Z]/;
const DESTRUCTIVE = /^(Terminate|Delete)[A-Z]/;

export function riskOf(service: string, action: string): Risk {
  const override = RISK_OVERRIDES[`${service.toLowerCase()}:${action}`];
  if (override) return override.risk;
  if (READ.test(action)) return 'read';
  if (DESTRUCTIVE.test(action)) return 'destructive';
  return 'write';
}
