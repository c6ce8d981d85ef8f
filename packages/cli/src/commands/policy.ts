/**
 * `tceops policy check FILE` and `tceops policy explain "<command>" --as USER`: what a policy decides, and why,
 * before anyone relies on it.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '@tceops/core/api/errors.ts';
import { inert } from '@tceops/core/inert.ts';
import { noExplainThroughServer } from '@tceops/core/server/remote.ts';
import { explainDecision } from '@tceops/core/policy/explain.ts';
import { checkPolicy, formatProblems } from '@tceops/core/policy/load.ts';
import { openTerminalPipeline } from '../engine.ts';
import { localActor } from '../identity.ts';
import { serverTarget } from '../server.ts';
import type { Io } from '../output.ts';

export const POLICY_USAGE = `usage: tceops policy check FILE
       tceops policy explain "<command>" [--as USER] [--surface slack|vscode|cli|console] [--channel C]`;

export async function runPolicy(argv: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === 'check') {
    const [file, ...extra] = rest;
    if (!file || extra.length) throw new InputError('policy check needs one file', 'MissingParameter', POLICY_USAGE);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new InputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const { policy, problems } = checkPolicy(text, file);
    if (problems.length || !policy) {
      io.err(formatProblems(file, problems));
      return 2;
    }
    io.out(
      `${file}: ok — ${policy.rules.filter((r) => r.origin === 'file').length} rules, roles: ${Object.keys(policy.roles).join(', ') || 'none'}`,
    );
    return 0;
  }
  if (verb === 'explain') {
    const flags: Record<string, string> = {};
    const words: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const m = /^--(as|surface|channel|region)$/.exec(rest[i]!);
      if (m) {
        const value = rest[++i];
        if (value === undefined) throw new InputError(`--${m[1]} needs a value`);
        flags[m[1]!] = value;
      } else words.push(rest[i]!);
    }
    if (words.length !== 1)
      throw new InputError('policy explain needs the command in quotes', 'MissingParameter', POLICY_USAGE);
    // Through a server, its policy decides and its API explains nothing: a dry run there says what it would do.
    if (serverTarget({}, env)) throw noExplainThroughServer();
    // The terminal's own pipeline, as every command: explaining plans the targets (reads), and the engine records
    // who asked, for whom.
    const opened = await openTerminalPipeline({ env }, env);
    try {
      if (opened.emulatorUrl)
        io.err(
          `No cloud is configured: explaining against an embedded TCE emulator at ${opened.emulatorUrl} (demo data).`,
        );
      const caller = localActor({}, env, opened.emulatorUrl ? 'emulator' : 'cloud');
      const subject = {
        actor: { id: flags.as ?? caller },
        surface: (flags.surface as 'slack' | 'vscode' | 'cli' | 'console' | undefined) ?? 'cli',
        channel: flags.channel,
        region: flags.region,
      };
      const { plan, decision } = await opened.engine.explain(
        words[0]!,
        { actor: { id: caller }, surface: 'cli' },
        subject,
      );
      if (plan) io.out(`Plan: ${inert(plan.summary)}\n`);
      io.out(explainDecision(decision, subject.actor.id));
      return 0;
    } finally {
      await opened.close();
    }
  }
  throw new InputError(`unknown policy command "${verb ?? ''}"`, 'InvalidAction', POLICY_USAGE);
}
