/**
 * Roles: names for groups of people. A member is a Slack user ID (U…, W…), a Slack user group ID (S…), an ID
 * qualified by its enterprise or team ("E0123:U0456"), or — in local mode only, where the actor is the OS user — a
 * local user name; "*" is anyone. Decisions look at IDs and groups only, never at display names: a Slack user can
 * name themselves "alice". Identities are compared after NFKC normalization and without regard to case, and an
 * identity with spaces, control or invisible characters is refused (identity/normalize.ts).
 */
import { identityKey, normalizeIdentity, sameIdentity } from '../identity/normalize.ts';
import type { Policy, Principal } from './types.ts';

/** The principal with its identities checked and normalized; throws InputError for a refused one. */
export function toPrincipal(actor: string | Principal): Principal {
  const p = typeof actor === 'string' ? { id: actor } : actor;
  return {
    ...p,
    id: normalizeIdentity(p.id, 'actor'),
    ...(p.groups ? { groups: p.groups.map((g) => normalizeIdentity(g, 'user group')) } : {}),
    ...(p.org ? { org: normalizeIdentity(p.org, 'Slack team') } : {}),
  };
}

/** Whether a policy member names this principal: its ID (bare or qualified by its org) or one of its groups. */
function names(member: string, principal: Principal): boolean {
  const at = member.indexOf(':');
  if (at > 0) {
    const [org, id] = [member.slice(0, at), member.slice(at + 1)];
    return sameIdentity(org, principal.org) && sameIdentity(id, principal.id);
  }
  return sameIdentity(member, principal.id) || (principal.groups ?? []).some((g) => sameIdentity(member, g));
}

export function isMember(members: readonly string[], actor: string | Principal): boolean {
  if (members.includes('*')) return true;
  const principal = toPrincipal(actor);
  return members.some((m) => names(m, principal));
}

/**
 * Two principals are one person when their IDs are one identity. Orgs are not consulted here: a refusal (own
 * request, second vote) must hold even if two payloads of one user named different teams (Slack Connect). Names
 * are never compared.
 */
export function samePerson(a: string | Principal, b: string | Principal): boolean {
  return identityKey(toPrincipal(a).id) === identityKey(toPrincipal(b).id);
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
