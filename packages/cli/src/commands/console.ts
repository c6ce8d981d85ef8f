/**
 * `tceops console`: a chat console on the same pipeline as Slack, for trying tceops without Slack. You type as a
 * user, switch user to approve, and see approvals and progress as they happen.
 */
import { createInterface } from 'node:readline/promises';
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
  const prompt = () => `${context.actor.id}> `;
  // Questions go through the console's own line reader; a secret pauses it and reads without echo.
  const prompter: Prompter = {
    // The console reads its answers from the same lines as its commands, terminal or not.
    interactive: true,
    ask: async (question) => (await rl.question(question)).trim(),
    async askSecret(question) {
      if (!options.prompter.interactive) return rl.question(question);
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
      let line: string;
      try {
        line = (await rl.question(prompt())).trim();
      } catch {
        break; // input closed
      }
      if (!line) continue;
      if (line === 'exit' || line === 'quit') break;
      if (line === 'whoami') {
        io.out(context.actor.id);
        continue;
      }
      const as = /^as\s+(\S+)$/.exec(line);
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
    offProgress();
    offApproval();
    await engine.idle();
  }
  return 0;
}
