/**
 * `tceops`: the terminal surface. Exit codes: 0 success, 1 an API or policy refusal, 2 bad usage or input.
 */
import type { ClientOptions } from '@tceops/core';
import { ApiError, InputError, TceopsError } from '@tceops/core/api/errors.ts';
import { redact, registerSecret } from '@tceops/core/config/redact.ts';
import { inert } from '@tceops/core/inert.ts';
import { lazyFrom } from '@tceops/core/lazy.ts';
import { type Io, processIo } from './io.ts';
import type { Prompter } from './prompt.ts';

// Each command loads what it needs when it runs: `tceops help` does not load the Slack app, the emulator or
// PostgreSQL's client, and a call loads no more than the call needs.
const lazy = lazyFrom((s) => require(s));
const load = {
  args: lazy('./args.ts', () => import('./args.ts')),
  audit: lazy('./commands/audit.ts', () => import('./commands/audit.ts')),
  call: lazy('./commands/call.ts', () => import('./commands/call.ts')),
  catalog: lazy('./commands/catalog.ts', () => import('./commands/catalog.ts')),
  cloud: lazy('./cloud.ts', () => import('./cloud.ts')),
  console: lazy('./commands/console.ts', () => import('./commands/console.ts')),
  emulator: lazy('@tceops/emulator', () => import('@tceops/emulator')),
  engine: lazy('./engine.ts', () => import('./engine.ts')),
  grammar: lazy('./commands/grammar.ts', () => import('./commands/grammar.ts')),
  help: lazy('./help.ts', () => import('./help.ts')),
  login: lazy('./commands/login.ts', () => import('./commands/login.ts')),
  whoami: lazy('./commands/whoami.ts', () => import('./commands/whoami.ts')),
  remote: lazy('./remote.ts', () => import('./remote.ts')),
  identity: lazy('./identity.ts', () => import('./identity.ts')),
  policy: lazy('./commands/policy.ts', () => import('./commands/policy.ts')),
  prompt: lazy('./prompt.ts', () => import('./prompt.ts')),
  slack: lazy('@tceops/slack', () => import('@tceops/slack')),
};

export const USAGE = `tceops: run a Tencent Cloud TCE deployment from the terminal

  tceops <command>                                        the same commands as /tce in Slack (tceops help)
  tceops call <service> <Action> [--<Param> <value>]...   call any documented action
  tceops catalog [<service>]                              list services and actions
  tceops catalog show <service> <Action>                  an action's parameters, limits and errors
  tceops console [--as USER]                              a chat console on the same pipeline as Slack
  tceops bot                                              the Slack app (the console when Slack is not configured)
  tceops emulator [--port N] [--seed demo|empty]          a local TCE API for trying and testing
  tceops policy check FILE | explain "<command>" --as U   what a policy file decides, and why
  tceops audit verify | list [--kind K] [--actor U]       check the audit log's chain and seals; show its records
  tceops login --server URL | logout                      sign in through Slack to a tceops server, or out
  tceops whoami                                           who commands run as (the server's word when signed in)

Global options: --region R --endpoint URL --profile P --output json|table --yes --dry-run --server URL --as USER
                --method GET|POST --sign-method TC3-HMAC-SHA256|HmacSHA256|HmacSHA1
Configuration: TENCENTCLOUD_SECRET_ID / _SECRET_KEY / _SESSION_TOKEN, TENCENTCLOUD_REGION, TCCLI_PROFILE,
               TCE_ENDPOINT, TCE_DOMAIN, TCE_CA_FILE, TCEOPS_POLICY, TCEOPS_STORE, TCEOPS_STORE_KEY,
               TCEOPS_SERVER, TCEOPS_TOKEN (see the README).`;

/** Flags the terminal handles itself; the rest of argv goes to the shared grammar. */
const CLI_FLAGS = ['endpoint', 'profile', 'as', 'method', 'sign-method', 'timeout', 'server'];

export function splitCliFlags(argv: string[]): { rest: string[]; cli: Record<string, string> } {
  const rest: string[] = [];
  const cli: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(word);
    if (match && CLI_FLAGS.includes(match[1]!)) {
      const value = match[2] ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new InputError(`--${match[1]} needs a value`);
      if (cli[match[1]!] !== undefined) throw new InputError(`--${match[1]} was given twice: give it once`);
      cli[match[1]!] = value;
    } else {
      rest.push(word);
    }
  }
  return { rest, cli };
}

export interface MainDeps {
  io?: Io;
  env?: NodeJS.ProcessEnv;
  prompter?: Prompter;
}

export async function main(argv: string[], deps: MainDeps = {}): Promise<number> {
  const io = deps.io ?? processIo;
  const env = deps.env ?? process.env;
  try {
    const [command, ...rest] = argv;
    if (!command || command === '--help' || command === '-h') {
      io.out(USAGE);
      return 0;
    }
    // Server mode (--server, TCEOPS_SERVER or a saved sign-in): commands run on the server, as the Slack user.
    if (
      !['login', 'logout', 'whoami', 'emulator', 'catalog', 'help', 'policy', 'audit', 'bot', 'start'].includes(command)
    ) {
      const remote = await load.remote();
      const { rest: words, cli } = splitCliFlags(argv);
      const target = remote.serverTarget(cli, env);
      if (target) return await remote.runRemote(command, words, cli, target, { io, env, prompter: deps.prompter });
    }
    switch (command) {
      case 'login':
        return await (await load.login()).runLogin(rest, io, env);
      case 'logout':
        return await (await load.login()).runLogout(rest, io, env);
      case 'whoami':
        return await (await load.whoami()).runWhoami(rest, io, env);
      case 'call':
        return await (await load.call()).runCall(rest, (await load.args()).parseArgs(rest), {
          io,
          prompter: deps.prompter ?? (await load.prompt()).terminalPrompter(),
          user: await callActor(rest, env),
          open: (options) => openPipeline({ ...options, env }, env, io),
        });
      case 'catalog':
        return (await load.catalog()).runCatalog((await load.args()).parseArgs(rest), io);
      case 'emulator': {
        return await (await load.emulator()).runEmulatorCli(rest);
      }
      case 'policy':
        return await (await load.policy()).runPolicy(rest, io, env);
      case 'audit':
        return await (await load.audit()).runAudit(rest, io, env);
      case 'help':
        io.out((await load.help()).helpFor(rest, USAGE));
        return 0;
      default:
        break;
    }
    const { rest: words, cli } = splitCliFlags(argv);
    const prompter = deps.prompter ?? (await load.prompt()).terminalPrompter();
    const clientOptions = {
      endpoint: cli.endpoint,
      profile: cli.profile,
      method: cli.method as 'GET' | 'POST' | undefined,
      signMethod: cli['sign-method'] as 'TC3-HMAC-SHA256' | 'HmacSHA256' | 'HmacSHA1' | undefined,
      timeoutMs: cli.timeout ? Number(cli.timeout) * 1000 : undefined,
      env,
    };
    // The embedded emulator starts exactly when no cloud is configured (cloud.ts); only there may --as pick a name.
    const where = cli.endpoint || (await load.cloud()).cloudConfigured(env, cli.profile) ? 'cloud' : 'emulator';
    if (command === 'console' || command === 'bot' || command === 'start') {
      if (words.length > 1) throw new InputError(`tceops ${command} takes no arguments besides options`);
      if (command !== 'console') {
        const slack = await load.slack();
        if (slack.slackMode(env) !== 'none') return await slack.runBot(env);
        io.out(
          'Slack is not configured (set SLACK_BOT_TOKEN with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET; see the README): starting the local console.',
        );
      }
      const user = (await load.identity()).localActor(cli, env, where);
      const opened = await (await load.engine()).openTerminalPipeline(clientOptions, env);
      const banner = opened.emulatorUrl
        ? `No cloud is configured: using an embedded TCE emulator at ${opened.emulatorUrl} (demo data).`
        : undefined;
      try {
        return await (await load.console()).runConsole({
          engine: opened.engine,
          user,
          io,
          prompter,
          banner,
          switchUser: where === 'emulator',
        });
      } finally {
        await opened.close();
      }
    }
    const user = (await load.identity()).localActor(cli, env, where);
    const { engine, close } = await openPipeline(clientOptions, env, io);
    try {
      const output = words.includes('--output') ? (words[words.indexOf('--output') + 1] as 'json' | 'table') : 'table';
      return await (await load.grammar()).runGrammar(words, {
        engine,
        context: { actor: { id: user }, surface: 'cli' },
        prompter,
        io,
        format: output === 'json' ? 'json' : 'table',
        yes: words.includes('--yes'),
        dryRun: words.includes('--dry-run'),
      });
    } finally {
      await close();
    }
  } catch (error) {
    return reportError(error, io, env, argv);
  }
}

/** Who runs a `tceops call`: the same identity rules as every other command (--as only on the emulator). */
async function callActor(argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { cli } = splitCliFlags(argv);
  const where = cli.endpoint || (await load.cloud()).cloudConfigured(env, cli.profile) ? 'cloud' : 'emulator';
  return (await load.identity()).localActor(cli, env, where);
}

/** The terminal's pipeline: the configured cloud, else an embedded emulator (said on stderr), and its engine. */
async function openPipeline(options: ClientOptions, env: NodeJS.ProcessEnv, io: Io) {
  const opened = await (await load.engine()).openTerminalPipeline(options, env);
  if (opened.emulatorUrl)
    io.err(
      `No cloud is configured: using an embedded TCE emulator at ${opened.emulatorUrl} (demo data, gone when this command ends).`,
    );
  return {
    engine: opened.engine,
    async close() {
      await opened.engine.idle();
      await opened.close();
    },
  };
}

export function reportError(error: unknown, io: Io, env: NodeJS.ProcessEnv = {}, argv: string[] = []): number {
  if (error instanceof ApiError) {
    io.err(
      `Error: ${inert(error.code)}: ${inert(error.apiMessage)}\n  action: ${error.service}:${error.action}\n  RequestId: ${error.requestId || 'none'}`,
    );
    return 1;
  }
  if (error instanceof TceopsError) {
    io.err(`Error: ${redact(error.message)}`);
    return error.exitCode;
  }
  return reportInternalError(error, io, env, argv);
}

/**
 * An error tceops did not expect is a bug in tceops: one inert line saying what failed and how to report it, never
 * a stack trace (it shows paths and internals, and a careless copy of it may carry what the user typed). The stack
 * is shown only with TCEOPS_LOG_LEVEL=debug, the variable the bot's log already reads. Exit 1: the contract's codes
 * are 0, 1 (a refusal or failure) and 2 (bad input), and this was not bad input.
 */
const SECRET_VARIABLES = [
  'TENCENTCLOUD_SECRET_KEY',
  'TENCENTCLOUD_SESSION_TOKEN',
  'TENCENTCLOUD_TOKEN',
  'TCEOPS_TOKEN',
  'TCEOPS_STORE_KEY',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
];

export function reportInternalError(error: unknown, io: Io, env: NodeJS.ProcessEnv, argv: string[]): number {
  // Only the command's leading words (`cvm instances`): its arguments may hold anything the user typed.
  const words: string[] = [];
  for (const word of argv) {
    if (words.length === 2 || !/^[a-z][a-z0-9-]{0,30}$/.test(word)) break;
    words.push(word);
  }
  const what = ['tceops', ...words].join(' ');
  // A failure before any credentials were read has registered none: the environment's own secrets are masked too.
  for (const name of SECRET_VARIABLES) registerSecret(env[name]);
  const summary =
    error instanceof Error ? `${error.name}: ${error.message}` : `a thrown ${error === null ? 'null' : typeof error}`;
  const firstLine = inert(redact(summary).split('\n')[0]!.slice(0, 200));
  io.err(
    `Internal error in \`${what}\` (${firstLine}): this is a bug in tceops, not in your command. Please report it to the tceops maintainers with this line${env.TCEOPS_LOG_LEVEL === 'debug' ? ' and the stack below' : ' (TCEOPS_LOG_LEVEL=debug adds the stack)'}.`,
  );
  if (env.TCEOPS_LOG_LEVEL === 'debug' && error instanceof Error && error.stack)
    io.err(inert(redact(error.stack), { multiline: true }));
  return 1;
}
