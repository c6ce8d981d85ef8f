/**
 * Every engine call starts from a checked identity: the actor's ID, groups and org are normalized (NFKC) and a
 * refused one (spaces, control or invisible characters) ends the call with an input error before anything is
 * parsed, planned or recorded. The display name is kept for showing only.
 */
import { TceopsError } from '../api/errors.ts';
import type { CommandContext, Engine, Outcome } from '../commands/types.ts';
import { toPrincipal } from '../policy/roles.ts';
import { normalizeIdentity } from './normalize.ts';

export function verifiedContext(ctx: CommandContext): CommandContext {
  const { id, groups, org } = toPrincipal(ctx.actor);
  const actor = { ...ctx.actor, id, ...(groups ? { groups } : {}), ...(org ? { org } : {}) };
  return { ...ctx, actor };
}

async function checked(ctx: CommandContext, work: (ctx: CommandContext) => Promise<Outcome>): Promise<Outcome> {
  let verified: CommandContext;
  try {
    verified = verifiedContext(ctx);
  } catch (error) {
    if (error instanceof TceopsError) return { kind: 'error', error };
    throw error;
  }
  return work(verified);
}

export function withVerifiedActors(engine: Engine): Engine {
  return {
    ...engine,
    run: (text, ctx, options) => checked(ctx, (c) => engine.run(text, c, options)),
    // Explaining is for a name the caller chooses ("what would alice get"): both are normalized; a refused one throws.
    explain: async (text, ctx, subject) =>
      engine.explain(text, verifiedContext(ctx), subject ? verifiedContext(subject) : undefined),
    confirm: (planId, ctx, input) => checked(ctx, (c) => engine.confirm(planId, c, input)),
    approve: (id, ctx) => checked(ctx, (c) => engine.approve(id, c)),
    deny: (id, ctx, reason) => checked(ctx, (c) => engine.deny(id, c, reason)),
    cancel: (id, ctx) => checked(ctx, (c) => engine.cancel(id, c)),
    listApprovals: (filter = {}) =>
      engine.listApprovals({
        ...filter,
        ...(filter.requester ? { requester: normalizeIdentity(filter.requester, 'requester') } : {}),
        ...(filter.approver ? { approver: normalizeIdentity(filter.approver, 'approver') } : {}),
      }),
  };
}
