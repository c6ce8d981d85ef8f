/**
 * Sign-in through Slack, for the terminal and the extension: `/tce login CODE` binds a one-time code to the Slack
 * user who typed it; `/tce tokens` lists their sign-ins; `/tce logout` revokes them all, `/tce logout tok-…` one.
 * A server admin (TCEOPS_ADMINS: user or user-group IDs) may revoke anyone's: `/tce logout tok-…` or
 * `/tce logout <@U…>`. Every answer is private.
 */
import { code, esc, fitLines, inline, type Message, section, slackDate } from '../blocks/common.ts';
import type { Outcome, TokenInfo } from '../core.ts';
import type { SlackUser } from '../identity.ts';
import type { Deps } from './deps.ts';
import { deliver, note } from './deliver.ts';
import { answerPrivately, type Reply } from './reply.ts';

export const SESSION_COMMAND = /^(login|tokens|logout)(?:\s+(.*))?$/i;

function tokenLine(t: TokenInfo, now: number): string {
  const state = t.revokedAt
    ? 'revoked'
    : Date.parse(t.expiresAt) <= now
      ? 'expired'
      : `expires ${slackDate(t.expiresAt)}`;
  return `${code(t.id)} ${inline(t.client)} · signed in ${slackDate(t.createdAt)} · ${state}`;
}

function isAdmin(deps: Deps, user: SlackUser, groups: string[]): boolean {
  return deps.admins.some((a) => a === user.id || groups.includes(a));
}

export async function handleSessionCommand(deps: Deps, reply: Reply, user: SlackUser, text: string): Promise<void> {
  const sessions = deps.sessions;
  const say = (message: Message) => answerPrivately(deps, reply, message);
  if (!sessions) return say(note('Sign-in is not enabled on this tceops bot.'));
  const [, verb, rest = ''] = SESSION_COMMAND.exec(text.trim())!;
  const arg = rest.trim();
  switch (verb!.toLowerCase()) {
    case 'login': {
      if (!arg) return say(note('Usage: `/tce login CODE` with the code `tceops login --server URL` printed.'));
      const result = await sessions.bindCode(arg, user);
      deps.log.info('sign-in code', { user: user.id, ok: result.ok, reason: result.ok ? undefined : result.reason });
      if (result.ok)
        return say(
          note(
            `:white_check_mark: Signed in ${esc(result.client)} as <@${user.id}>. Commands from there now run as you.`,
          ),
        );
      if (result.reason === 'locked')
        return say(note(`:no_entry: Too many wrong codes. Try again after ${slackDate(result.retryAt!)}.`));
      return say(note(':x: That code is unknown, expired or used already. Run `tceops login` again for a new one.'));
    }
    case 'tokens': {
      const tokens = await sessions.list(user.id);
      const now = Date.now();
      if (!tokens.length) return say(note('You have no sign-ins. `tceops login --server URL` makes one.'));
      return say({
        text: `Your sign-ins (${tokens.length})`,
        blocks: [
          section(
            `*Your sign-ins*\n${
              fitLines(
                tokens.map((t) => tokenLine(t, now)),
                2800,
              ).text
            }`,
          ),
          section('Revoke one with `/tce logout tok-…`, all with `/tce logout`.'),
        ],
      });
    }
    default: {
      const groups = await deps.groups.groupsOf(user.id);
      const admin = isAdmin(deps, user, groups);
      if (!arg) {
        const count = await sessions.revokeAll(user.id);
        return say(note(`Signed out: ${count} sign-in${count === 1 ? '' : 's'} revoked.`));
      }
      const mention = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(arg);
      if (mention) {
        if (!admin) return say(note(':no_entry: Only a tceops admin may sign out someone else.'));
        const count = await sessions.revokeAll(mention[1]!, user.id);
        deps.log.info('sign-ins revoked by an admin', { by: user.id, user: mention[1], count });
        return say(note(`Revoked ${count} sign-in${count === 1 ? '' : 's'} of <@${mention[1]}>.`));
      }
      if (/^tok-[0-9a-f]{10}$/.test(arg)) {
        const revoked = await sessions.revokeById(arg, user, admin);
        if (!revoked) return say(note(`:x: You have no sign-in ${code(arg)}.`));
        return say(note(`Revoked ${code(arg)} (${esc(revoked.client)}).`));
      }
      return say(note('Usage: `/tce logout` (all your sign-ins), `/tce logout tok-…` (one).'));
    }
  }
}

/**
 * A command from the terminal or the extension (through the server's API) asked for approval: post the request
 * where Slack requests go, naming the Slack user who signed in, and tell them privately where it is.
 */
export async function announceOutcome(
  deps: Deps,
  user: { id: string; name?: string; org?: string },
  outcome: Outcome,
): Promise<void> {
  if (outcome.kind !== 'approval' || outcome.approval.state !== 'pending' || outcome.approval.approvers.length) return;
  if (await deps.tracker.knows(outcome.approval.id)) return;
  await deliver(deps, { user, receivedAt: performance.now() }, outcome);
}
