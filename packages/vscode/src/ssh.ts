/**
 * Connect to an instance: the ssh command for its address, with the private key of its key pair (a setting
 * maps key pair IDs to key files). Values from the cloud are checked before they reach a command line: an
 * address must be an IP address and a user a plain name, so nothing a name or tag holds can become shell text.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import type { Item } from './data/source.ts';

export interface SshSettings {
  /** Login user; CVM images log in as root unless the image says otherwise. */
  user: string;
  /** Key pair ID (skey-…) or key pair name → private key file. */
  keyFiles: Record<string, string>;
}

export interface SshTarget {
  user: string;
  address: string;
  /** The instance's key pairs (LoginSettings.KeyIds). */
  keyIds: string[];
  /** The private key file, when one of its key pairs has one set. */
  keyFile?: string;
  /** The key pair that has no key file set (to ask for it). */
  missingKeyId?: string;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f:]+$/i;
const USER = /^[a-z_][a-z0-9_.-]{0,31}$/i;

export function isAddress(value: string): boolean {
  return IPV4.test(value) || (IPV6.test(value) && value.includes(':') && value.length <= 39);
}

/** Where and as whom to connect, or why it cannot be done. */
export function sshTarget(item: Item, settings: SshSettings): SshTarget | { problem: string } {
  const first = (v: unknown) => (Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);
  const address = first(item.PublicIpAddresses) ?? first(item.PrivateIpAddresses);
  if (!address) return { problem: 'the instance has no IP address' };
  if (!isAddress(address)) return { problem: `"${address.slice(0, 60)}" is not an IP address` };
  const user = settings.user.trim() || 'root';
  if (!USER.test(user)) return { problem: `"${user.slice(0, 40)}" is not a login name (tceops.ssh.user)` };
  const keyIds = ((item.LoginSettings as { KeyIds?: unknown } | undefined)?.KeyIds ?? []) as unknown[];
  const ids = keyIds.filter((k): k is string => typeof k === 'string');
  const withFile = ids.find((id) => settings.keyFiles[id]);
  const keyFile = withFile ? expandHome(settings.keyFiles[withFile]!) : undefined;
  if (keyFile !== undefined && hasControl(keyFile)) return { problem: 'the key file path has control characters' };
  return { user, address, keyIds: ids, keyFile, missingKeyId: keyFile ? undefined : ids[0] };
}

/** ssh's arguments: no shell parses them (the terminal runs ssh itself). */
export function sshArgs(target: SshTarget): string[] {
  const key = target.keyFile ? ['-i', target.keyFile, '-o', 'IdentitiesOnly=yes'] : [];
  return [...key, `${target.user}@${target.address}`];
}

/** The same command as text to paste into a POSIX shell: every argument that needs it single-quoted. */
export function sshCommandText(target: SshTarget): string {
  return ['ssh', ...sshArgs(target)].map(shellQuote).join(' ');
}

export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Control characters (a newline in a path would end the command line where it is pasted). */
export function hasControl(text: string): boolean {
  return [...text].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
}

function expandHome(file: string): string {
  return file === '~' || file.startsWith('~/') ? path.join(homedir(), file.slice(1)) : file;
}

/** The ~/.ssh/config entry Remote-SSH needs to use the key (it reads keys from there, not from arguments). */
export function sshConfigEntry(target: SshTarget): string {
  return [
    `Host ${target.address}`,
    `  HostName ${target.address}`,
    `  User ${target.user}`,
    ...(target.keyFile ? [`  IdentityFile ${target.keyFile}`, '  IdentitiesOnly yes'] : []),
  ].join('\n');
}
