/**
 * Plans waiting for their requester's confirmation, kept in the store so any replica can take the click, and
 * used at most once. A secret is never part of a pending plan: it arrives with the confirmation.
 */
import { randomBytes } from 'node:crypto';
import { InputError, RefusedError } from '../api/errors.ts';
import type { Plan } from '../plan/types.ts';
import type { Store } from '../store/types.ts';
import type { CommandContext } from './types.ts';

export interface PendingPlan {
  plan: Plan;
  requester: string;
  level: 'click' | 'typed';
  expected?: string;
  secret?: 'Password';
  expiresAt: string;
}

const PREFIX = 'pending-plan:';

export async function savePending(store: Store, pending: PendingPlan): Promise<string> {
  const planId = `pln-${randomBytes(6).toString('hex')}`;
  await store.setValue(`${PREFIX}${planId}`, pending);
  return planId;
}

/** The pending plan, checked against who answers and what they typed; claimed so that it runs once. */
export async function takePending(
  store: Store,
  planId: string,
  ctx: CommandContext,
  input: { typed?: string; password?: string },
  now: Date,
): Promise<PendingPlan> {
  const key = `${PREFIX}${planId}`;
  const pending = (await store.getValue(key)) as PendingPlan | undefined;
  if (!pending)
    throw new RefusedError(
      `no open confirmation ${planId}: it ran already, or never existed`,
      'ResourceNotFound',
      'run the command again',
    );
  if (pending.requester !== ctx.actor.id)
    throw new RefusedError(`only ${pending.requester}, who asked, can confirm this`, 'UnauthorizedOperation');
  if (Date.parse(pending.expiresAt) <= now.getTime())
    throw new RefusedError('this confirmation expired; run the command again', 'ConfirmationExpired');
  if (pending.level === 'typed' && !pending.secret && input.typed !== pending.expected) {
    throw new RefusedError(`not confirmed: type exactly "${pending.expected}"`, 'ConfirmationMismatch');
  }
  if (pending.secret && !input.password) throw new InputError('a new password is needed', 'MissingParameter');
  // One confirmation runs once, however many clicks or replicas see it.
  if (!(await store.setValueIfAbsent(`${key}:used`, { by: ctx.actor.id, at: now.toISOString() }))) {
    throw new RefusedError('this confirmation was already used', 'AlreadyConfirmed');
  }
  return pending;
}
