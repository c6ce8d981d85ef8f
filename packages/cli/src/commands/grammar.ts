/**
 * `tceops <grammar>`: the same commands as `/tce` in Slack, through the same engine. Confirmations are asked on
 * a terminal; `--yes` answers them (but never replaces an approval); `--dry-run` shows the plan only.
 */
import type { CommandContext, Engine, Outcome } from '@tceops/core';
import { InputError } from '@tceops/core/api/errors.ts';
import type { Io } from '../output.ts';
import type { Prompter } from '../prompt.ts';
import { planText, progressText, renderOutcome } from '../render.ts';

export interface GrammarRun {
  engine: Engine;
  context: CommandContext;
  prompter: Prompter;
  io: Io;
  format: 'json' | 'table';
  yes: boolean;
  dryRun: boolean;
}

/** Answer confirm and secret outcomes until the engine gives a final one. */
export async function answer(outcome: Outcome, run: GrammarRun): Promise<Outcome> {
  const { engine, context, prompter, io } = run;
  if (outcome.kind === 'confirm') {
    if (run.yes) return engine.confirm(outcome.planId, context, { typed: outcome.expected });
    if (!prompter.interactive) {
      throw new InputError(
        'this command needs confirmation and there is no terminal to ask on',
        'MissingParameter',
        'add --yes to confirm it, or --dry-run to see the plan',
      );
    }
    io.err(planText(outcome.plan));
    if (outcome.level === 'typed') {
      const typed = await prompter.ask(`This cannot be undone. Type ${outcome.expected} to confirm: `);
      if (typed !== outcome.expected)
        return { kind: 'denied', reason: 'not confirmed: the text typed did not match', plan: outcome.plan };
      return engine.confirm(outcome.planId, context, { typed });
    }
    const reply = await prompter.ask('Proceed? [y/N] ');
    if (!/^y(es)?$/i.test(reply)) return { kind: 'denied', reason: 'not confirmed', plan: outcome.plan };
    return engine.confirm(outcome.planId, context, {});
  }
  if (outcome.kind === 'secret') {
    io.err(planText(outcome.plan));
    let password: string;
    if (prompter.interactive) {
      password = await prompter.askSecret('New password: ');
      const again = await prompter.askSecret('Again: ');
      if (password !== again) throw new InputError('the two passwords differ; nothing was changed');
    } else {
      // A script gives it on standard input, never as an argument (arguments show up in process lists).
      password = (await prompter.ask('')).replace(/\r?\n$/, '');
    }
    if (!password) throw new InputError('no password given; nothing was changed', 'MissingParameter');
    return engine.confirm(outcome.planId, context, { password });
  }
  return outcome;
}

export async function runGrammar(argv: string[], run: GrammarRun): Promise<number> {
  const unsubscribe = run.engine.onProgress((event) => run.io.err(progressText(event)));
  try {
    const first = await run.engine.run(argv, run.context, { dryRun: run.dryRun, yes: run.yes });
    const final = await answer(first, run);
    const code = renderOutcome(final, run.io, run.format);
    // Follow the targets to their end state before the command returns; progress goes to stderr.
    await run.engine.idle();
    return code;
  } finally {
    unsubscribe();
  }
}
