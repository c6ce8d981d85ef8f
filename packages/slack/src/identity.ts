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

export async function contextFor(
  groups: GroupDirectory,
  user: { id: string; name?: string },
  channel: string | undefined,
): Promise<CommandContext> {
  return { actor: { id: user.id, name: user.name, groups: await groups.groupsOf(user.id) }, surface: 'slack', channel };
}
