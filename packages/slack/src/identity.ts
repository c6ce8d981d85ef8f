/**
 * Who is asking: the Slack user ID is the actor's identity for the policy, and the user groups they belong to
 * are their roles (policy rules may name either). Group membership comes from usergroups.list, cached briefly;
 * when it cannot be read (missing usergroups:read scope, Slack down) the actor has no groups, which can only
 * narrow what they may do.
 */
import type { webApi } from '@slack/bolt';
import type { CommandContext } from './core.ts';
import type { Log } from './logger.ts';

export class GroupDirectory {
  private members?: Map<string, string[]>;
  private loadedAt = 0;
  private loading?: Promise<Map<string, string[]>>;
  private warnedAt = 0;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Log,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  async groupsOf(userId: string): Promise<string[]> {
    const members = await this.load();
    return members.get(userId) ?? [];
  }

  private async load(): Promise<Map<string, string[]>> {
    if (this.members && Date.now() - this.loadedAt < this.ttlMs) return this.members;
    this.loading ??= this.fetch().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async fetch(): Promise<Map<string, string[]>> {
    const byUser = new Map<string, string[]>();
    try {
      const response = await this.client.usergroups.list({ include_users: true });
      for (const group of response.usergroups ?? []) {
        for (const user of group.users ?? []) {
          if (!group.id) continue;
          byUser.set(user, [...(byUser.get(user) ?? []), group.id]);
        }
      }
    } catch (error) {
      if (Date.now() - this.warnedAt > this.ttlMs) {
        this.warnedAt = Date.now();
        this.log.warn('could not read Slack user groups; policy roles given as groups will not match', { error });
      }
    }
    this.members = byUser;
    this.loadedAt = Date.now();
    return byUser;
  }
}

/** Who Slack says acted: the user ID decides; the name is only shown; the org (enterprise, else team) qualifies. */
export interface SlackUser {
  id: string;
  name?: string;
  org?: string;
}

/** From a slash command's fields. `user_name` is Slack's deprecated handle: shown, never used to decide. */
export function commandUser(command: {
  user_id: string;
  user_name?: string;
  team_id?: string;
  enterprise_id?: string;
}): SlackUser {
  const org = command.enterprise_id || command.team_id;
  return { id: command.user_id, name: command.user_name, ...(org ? { org } : {}) };
}

/** From an interaction payload (block_actions, view_submission). */
export function interactionUser(body: {
  user: { id: string; name?: string; username?: string; team_id?: string };
  team?: { id?: string } | null;
  enterprise?: { id?: string } | null;
}): SlackUser {
  const org = body.enterprise?.id || body.user.team_id || body.team?.id;
  return { id: body.user.id, name: body.user.username ?? body.user.name, ...(org ? { org } : {}) };
}

export async function contextFor(
  groups: GroupDirectory,
  user: SlackUser,
  channel: string | undefined,
): Promise<CommandContext> {
  return {
    actor: {
      id: user.id,
      name: user.name,
      groups: await groups.groupsOf(user.id),
      ...(user.org ? { org: user.org } : {}),
    },
    surface: 'slack',
    channel,
  };
}
