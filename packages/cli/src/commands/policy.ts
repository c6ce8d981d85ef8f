/**
 * `tceops policy check FILE` and `tceops policy explain "<command>" --as USER`: what a policy decides, and why,
 * before anyone relies on it.
 */
import { readFileSync } from 'node:fs';
import { createClient } from '@tceops/core/api/client.ts';
import { InputError } from '@tceops/core/api/errors.ts';
import { inert } from '@tceops/core/inert.ts';
import { explainCommand } from '@tceops/core/commands/explain.ts';
import { explainDecision } from '@tceops/core/policy/explain.ts';
import { checkPolicy, formatProblems, policyFromEnv } from '@tceops/core/policy/load.ts';
import { connectCloud } from '../cloud.ts';
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
    const policy = policyFromEnv(env);
    const cloud = await connectCloud({ env }, env);
    // The plan is read from demo data then, not from any cloud of the user's: said, as every other command says it.
    if (cloud.emulatorUrl)
      io.err(
        `No cloud is configured: explaining against an embedded TCE emulator at ${cloud.emulatorUrl} (demo data).`,
      );
    const client = createClient(cloud.clientOptions);
    try {
      const actor = flags.as ?? env.USER ?? 'local';
      const { plan, decision } = await explainCommand(words[0]!, {
        client,
        policy,
        actor,
        surface: (flags.surface as 'slack' | 'vscode' | 'cli' | 'console' | undefined) ?? 'cli',
        channel: flags.channel,
        region: flags.region,
      });
      if (plan) io.out(`Plan: ${inert(plan.summary)}\n`);
      io.out(explainDecision(decision, actor));
      return 0;
    } finally {
      client.close();
      await cloud.close();
    }
  }
  throw new InputError(`unknown policy command "${verb ?? ''}"`, 'InvalidAction', POLICY_USAGE);
}
