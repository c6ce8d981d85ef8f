/**
 * The terminal in server mode: the grammar, `call` and the console run on the tceops server through its API, as
 * the Slack user who signed in. No cloud keys, store or policy are read here; --as is refused (exit 2).
 */
import { readCredentials } from '@tceops/core/server/credentials.ts';
import { createRemoteEngine, whoami } from '@tceops/core/server/remote.ts';
import { runConsole } from './commands/console.ts';
import { runGrammar } from './commands/grammar.ts';
import { claimedUser, refuseClaim } from './identity.ts';
import { withParamsFile } from './params-file.ts';
import type { Io } from './io.ts';
import { type Prompter, terminalPrompter } from './prompt.ts';
import { type ServerTarget, serverTarget } from './server.ts';

export { serverTarget };

export async function runRemote(
  command: string,
  words: string[],
  cli: Record<string, string>,
  target: ServerTarget,
  deps: { io: Io; env: NodeJS.ProcessEnv; prompter?: Prompter },
): Promise<number> {
  const { io, env } = deps;
  refuseClaim(claimedUser(cli, env), 'server');
  const prompter = deps.prompter ?? terminalPrompter();
  // progress: what a command runs is followed live, printed as in local mode.
  const engine = createRemoteEngine({ server: target.server, token: target.token, surface: 'cli', progress: true });
  // The server decides who acts, from the token: this id is never sent (the remote engine sends no actor); it only
  // fills the local command context.
  const me = readCredentials(env)?.user?.id ?? 'you';
  const context = { actor: { id: me }, surface: 'cli' as const };
  if (command === 'console') {
    // The console's prompt and its "whoami" show who the server says this is (not what a file claims).
    const user = (await whoami(target.server, target.token)).user.id;
    return runConsole({ engine, user, io, prompter, banner: `Connected to ${target.server}.`, switchUser: false });
  }
  const output = words.includes('--output') ? words[words.indexOf('--output') + 1] : 'table';
  // A --params @file is read here, never by the server (params-file.ts).
  return runGrammar(command === 'call' ? await withParamsFile(words) : words, {
    engine,
    context,
    prompter,
    io,
    format: output === 'json' ? 'json' : 'table',
    yes: words.includes('--yes'),
    dryRun: words.includes('--dry-run'),
  });
}
