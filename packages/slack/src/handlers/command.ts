/**
 * /tce <text>: acknowledged at once with nothing awaited before it (Slack allows 3 seconds; cloud calls can take
 * longer), then answered through the response_url or a message.
 */
import type { App } from '@slack/bolt';
import { secretFlagsIn, tokenize } from '@tceops/core';
import { renderError } from '../blocks/error.ts';
import { commandUser, contextFor } from '../identity.ts';
import type { Deps } from './deps.ts';
import { deliver } from './deliver.ts';
import { answerPrivately } from './reply.ts';
import { safely } from './safe.ts';
import { handleSessionCommand, SESSION_COMMAND } from './sessions.ts';
import { LAUNCH_FORM, openLaunchForm } from './launch.ts';

const DRY_RUN = /(^|\s)--dry-run(?=\s|$)/;
/**
 * Whether the text carries a secret (Slack keeps it and shows it in the client's history): decided by core on
 * the parsed words, so quoting (`"--Password" x`, `--Pass''word x`) does not get past it. The engine refuses the
 * same words too; checking here keeps the text out of this app's log.
 */
export function carriesSecret(text: string): boolean {
  try {
    return secretFlagsIn(tokenize(text)).length > 0;
  } catch {
    return false; // unbalanced quotes: the engine refuses the text as malformed, and logs nothing of it
  }
}

export function registerCommand(app: App, deps: Deps, name = '/tce'): void {
  app.command(name, async ({ command, ack }) => {
    const receivedAt = performance.now();
    await ack();
    deps.acked(receivedAt);
    let text = command.text.trim();
    const dryRun = DRY_RUN.test(text);
    if (dryRun) text = text.replace(DRY_RUN, ' ').trim();
    if (!text) text = 'help';
    const user = commandUser(command);
    if (carriesSecret(text)) {
      deps.metrics.commands.inc({ source: 'slash', outcome: 'refused-secret' });
      deps.log.warn('refused a command carrying a secret flag', { user: user.id, channel: command.channel_id });
      const refusal = Object.assign(
        new Error(
          'Passwords and keys are not accepted in /tce text: Slack would keep them. Nothing was run.\nFor a new instance password use `/tce cvm reset-password <instance>`, which asks in a private form.',
        ),
        { code: 'SecretInCommand' },
      );
      return answerPrivately(
        deps,
        { user, channel: command.channel_id, responseUrl: command.response_url, receivedAt },
        renderError(refusal),
      );
    }
    // Sign-in (login, tokens, logout) is answered here, never by the command pipeline.
    if (SESSION_COMMAND.test(text))
      return handleSessionCommand(
        deps,
        { user, channel: command.channel_id, responseUrl: command.response_url, receivedAt },
        user,
        text,
      );
    const ctx = await contextFor(deps.groups, user, command.channel_id);
    // `cvm run` with no options: the launch form, whose submission runs the full command (handlers/launch.ts).
    if (LAUNCH_FORM.test(text) && !dryRun) {
      const reply = {
        user,
        channel: command.channel_id,
        responseUrl: command.response_url,
        triggerId: command.trigger_id,
        receivedAt,
      };
      if (await openLaunchForm(deps, reply, ctx)) return;
    }
    deps.log.info('command', { user: user.id, channel: command.channel_id, command: text, dryRun });
    const outcome = await safely(deps, 'run', () => deps.engine.run(text, ctx, { dryRun }));
    deps.metrics.commands.inc({ source: 'slash', outcome: outcome.kind });
    await deliver(
      deps,
      {
        user,
        channel: command.channel_id,
        responseUrl: command.response_url,
        triggerId: command.trigger_id,
        receivedAt,
        command: text,
      },
      outcome,
    );
  });
}
