/**
 * Questions on a terminal: a yes/no, a typed ID, a password that is not echoed.
 */
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { inert } from '@tceops/core/inert.ts';

export interface Prompter {
  interactive: boolean;
  ask(question: string): Promise<string>;
  askSecret(question: string): Promise<string>;
}

export function terminalPrompter(
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Prompter {
  const interactive = Boolean((input as { isTTY?: boolean }).isTTY);
  return {
    interactive,
    async ask(question) {
      const rl = createInterface({ input, output, terminal: interactive });
      try {
        return (await rl.question(inert(question, { multiline: true }))).trim();
      } finally {
        rl.close();
      }
    },
    async askSecret(question) {
      output.write(inert(question, { multiline: true }));
      let muted = true;
      // Echo nothing typed; the question itself went out above.
      const sink = new Writable({
        write(chunk, _encoding, done) {
          if (!muted) output.write(chunk);
          done();
        },
      });
      const rl = createInterface({ input, output: sink, terminal: interactive });
      try {
        return await rl.question('');
      } finally {
        muted = false;
        rl.close();
        output.write('\n');
      }
    },
  };
}
