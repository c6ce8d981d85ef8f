/**
 * Roles: names for groups of people. A member is a local user name, a Slack user ID (U…, W…) or a Slack user
 * group ID (S…); "*" is anyone. Matching ignores case, so "Alice" and "alice" are one person.
 */
import type { Policy, Principal } from './types.ts';

export function toPrincipal(actor: string | Principal): Principal {
  return typeof actor === 'string' ? { id: actor } : actor;
}

/** The identities a principal answers to: its ID, its name and its user groups. */
function identities(principal: Principal): string[] {
  return [principal.id, principal.name, ...(principal.groups ?? [])]
    .filter((v): v is string => Boolean(v))
    .map((v) => v.toLowerCase());
}

export function isMember(members: readonly string[], actor: string | Principal): boolean {
  if (members.includes('*')) return true;
  const mine = identities(toPrincipal(actor));
  return members.some((m) => mine.includes(m.toLowerCase()));
}

/** Two principals are one person when they share an ID or a name. */
export function samePerson(a: string | Principal, b: string | Principal): boolean {
  const pa = toPrincipal(a);
  const pb = toPrincipal(b);
  const namesA = [pa.id, pa.name].filter(Boolean).map((v) => v!.toLowerCase());
  return [pb.id, pb.name].filter(Boolean).some((v) => namesA.includes(v!.toLowerCase()));
}

export function rolesOf(policy: Policy, actor: string | Principal, extra: readonly string[] = []): string[] {
  const found = Object.entries(policy.roles)
    .filter(([, members]) => isMember(members, actor))
    .map(([role]) => role);
  return [...new Set([...found, ...extra])].sort();
}

/** Everyone who may approve for the given roles, as the policy names them; ["*"] when no role is named. */
export function eligibleMembers(policy: Policy, approverRoles: readonly string[]): string[] {
  if (approverRoles.length === 0) return ['*'];
  return [...new Set(approverRoles.flatMap((r) => policy.roles[r] ?? []))];
}
