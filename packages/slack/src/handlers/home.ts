/**
 * App Home: what waits for this user's approval, their own recent requests, and the regions. Each part that
 * cannot be loaded is named on the page instead of leaving the tab blank.
 */
import type { App } from '@slack/bolt';
import { homeView } from '../blocks/home.ts';
import type { ApprovalSummary, CommandContext } from '../core.ts';
import { contextFor } from '../identity.ts';
import type { Deps } from './deps.ts';

const REGIONS_TTL_MS = 10 * 60_000;

const regionsCache = new WeakMap<Deps, { at: number; list: string[] }>();

async function loadRegions(deps: Deps, ctx: CommandContext): Promise<string[]> {
  const cached = regionsCache.get(deps);
  if (cached && Date.now() - cached.at < REGIONS_TTL_MS) return cached.list;
  const outcome = await deps.engine.run('regions', ctx);
  if (outcome.kind === 'error') throw outcome.error;
  if (outcome.kind !== 'table') throw new Error(`regions came back as ${outcome.kind}`);
  const list = outcome.view.ids ?? outcome.view.rows.map((r) => r.id ?? '').filter(Boolean);
  regionsCache.set(deps, { at: Date.now(), list });
  return list;
}

export function registerHome(app: App, deps: Deps): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab === 'home') await publishHome(deps, event.user);
  });
}

/** Build and publish one user's Home tab (when they open it, and after they decide something from it). */
export async function publishHome(
  deps: Deps,
  userId: string,
  page: { waitingOffset?: number; mineOffset?: number } = {},
): Promise<void> {
  const ctx = await contextFor(deps.groups, { id: userId }, undefined);
  const problems: string[] = [];
  const attempt = async <T>(what: string, load: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await load();
    } catch (error) {
      deps.log.warn('App Home: could not load a part', { what, error });
      problems.push(`Could not load ${what}.`);
      return fallback;
    }
  };
  const [pending, mine, regionList] = await Promise.all([
    attempt('approvals', () => deps.engine.listApprovals({ state: 'pending' }), [] as ApprovalSummary[]),
    attempt('your requests', () => deps.engine.listApprovals({ requester: userId }), [] as ApprovalSummary[]),
    attempt('regions', () => loadRegions(deps, ctx), [] as string[]),
  ]);
  const waiting = pending.filter((a) => mayDecide(a, ctx));
  const recent = [...mine].sort((a, b) => Date.parse(b.expiresAt) - Date.parse(a.expiresAt));
  try {
    await deps.client.views.publish({
      user_id: userId,
      view: homeView({ userId, waiting, mine: recent, regions: regionList, problems, ...page }),
    });
  } catch (error) {
    deps.metrics.errors.inc({ where: 'views.publish' });
    deps.log.error('could not publish App Home', { user: userId, error });
  }
}

/**
 * Whether to list an approval as waiting for this user: not their own, not already approved by them, and the
 * policy names them, one of their groups, or a role (roles are resolved by the engine, which has the last word).
 */
function mayDecide(a: ApprovalSummary, ctx: CommandContext): boolean {
  const me = ctx.actor.id;
  if (a.requester === me || a.approvers.includes(me)) return false;
  if (a.eligible.length === 0) return true;
  const mine = new Set([me, ...(ctx.actor.groups ?? [])]);
  return a.eligible.some((who) => mine.has(who) || !/^[UWS][A-Z0-9]{2,}$/.test(who));
}
