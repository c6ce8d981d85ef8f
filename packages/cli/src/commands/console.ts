/**
 * `tceops console`: a chat console on the same pipeline as Slack, for trying tceops without Slack. You type as a
 * user, switch user to approve, and see approvals and progress as they happen.
 */
import { createInterface } from 'node:readline';
import type { CommandContext, Engine } from '@tceops/core';
import type { Io } from '../output.ts';
import type { Prompter } from '../prompt.ts';
import { approvalText, progressText, renderOutcome } from '../render.ts';
import { answer } from './grammar.ts';

export const CONSOLE_HELP = `Type commands as you would after /tce in Slack, e.g. "cvm instances" or "cvm stop web-1".
  as <user>     switch user (to approve someone else's request)
  whoami        who you are typing as
  exit          leave (also Ctrl-D)`;

export async function runConsole(options: {
  engine: Engine;
  user: string;
  io: Io;
  prompter: Prompter;
  input?: NodeJS.ReadableStream;
  banner?: string;
  /** "as <user>" is offered only on the embedded emulator (see identity.ts). */
  switchUser?: boolean;
}): Promise<number> {
  const { engine, io } = options;
  let context: CommandContext = { actor: { id: options.user }, surface: 'console' };
  const offProgress = engine.onProgress((event) => io.out(progressText(event)));
  const offApproval = engine.onApprovalChange((approval) =>
    io.out(`[approval] ${approvalText(approval).split('\n')[0]}`),
  );
  if (options.banner) io.out(options.banner);
  io.out(CONSOLE_HELP);
  const rl = createInterface({
    input: options.input ?? process.stdin,
    output: process.stdout,
    terminal: options.prompter.interactive,
    completer: (line: string): [string[], string] => [engine.complete(line), line.split(/\s+/).pop() ?? ''],
  });
  // Lines are queued as they arrive, so none is lost while a command is still running (piped input arrives early).
  const queued: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let closed = false;
  rl.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else queued.push(line);
  });
  rl.on('close', () => {
    closed = true;
    for (const next of waiting.splice(0)) next(undefined);
  });
  const readLine = (question: string): Promise<string | undefined> => {
    rl.setPrompt(question);
    rl.prompt();
    if (queued.length) return Promise.resolve(queued.shift());
    if (closed) return Promise.resolve(undefined);
    return new Promise((resolve) => waiting.push(resolve));
  };
  // Questions go through the console's own line reader; a secret on a terminal pauses it and reads without echo.
  const prompter: Prompter = {
    // The console reads its answers from the same lines as its commands, terminal or not.
    interactive: true,
    ask: async (question) => ((await readLine(question)) ?? '').trim(),
    async askSecret(question) {
      if (!options.prompter.interactive) return (await readLine(question)) ?? '';
      rl.pause();
      try {
        return await options.prompter.askSecret(question);
      } finally {
        rl.resume();
      }
    },
  };

  try {
    for (;;) {
      const read = await readLine(`${context.actor.id}> `);
      if (read === undefined) break; // input closed
      const line = read.trim();
      if (!line) continue;
      if (line === 'exit' || line === 'quit') break;
      if (line === 'whoami') {
        io.out(context.actor.id);
        continue;
      }
      const as = /^as\s+(\S+)$/.exec(line);
      if (as && !options.switchUser) {
        io.err('Error: "as" works only on the embedded emulator; here you act as yourself.');
        continue;
      }
      if (as) {
        context = { ...context, actor: { id: as[1]! } };
        io.out(`now typing as ${as[1]}`);
        continue;
      }
      try {
        const outcome = await answer(await engine.run(line, context), {
          engine,
          context,
          prompter,
          io,
          format: 'table',
          yes: false,
          dryRun: false,
        });
        renderOutcome(outcome, io, 'table');
      } catch (error) {
        io.err(`Error: ${(error as Error).message}`);
      }
    }
  } finally {
    rl.close();
    // Show the progress of what is still running before leaving.
    await engine.idle();
    offProgress();
    offApproval();
  }
  return 0;
}
