/**
 * `tceops call … --params @file`: the file is read here, on the terminal's machine — in server mode too, where
 * its text is sent as the parameters and the server never reads a path (its engine takes only JSON). Bounded
 * (64 KB, a regular file: not a FIFO that blocks, not /dev/zero), checked to be a JSON object, and refused here
 * when it carries a secret, so the secret never leaves the machine (the server refuses it again). The text is
 * passed on as written: the engine parses it with large numbers kept exact. Errors name the file and the place,
 * never the content — a malformed file may hold a password.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '@tceops/core/api/errors.ts';
import { parseJson } from '@tceops/core/api/json.ts';
import { inert } from '@tceops/core/inert.ts';

export const MAX_PARAMS_FILE = 64 * 1024;

function readBounded(path: string): string {
  let fd: number;
  try {
    // Non-blocking: opening a FIFO for reading would otherwise wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new InputError(
      `cannot read --params file ${inert(path)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new InputError(`--params file ${inert(path)} is not a regular file`);
    if (stat.size > MAX_PARAMS_FILE)
      throw new InputError(`--params file ${inert(path)} is ${stat.size} bytes; the limit is 64 KB`);
    // At most one byte over the limit: a file that grew since it was measured is refused too.
    const buffer = Buffer.alloc(MAX_PARAMS_FILE + 1);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    if (read > MAX_PARAMS_FILE) throw new InputError(`--params file ${inert(path)} is over 64 KB`);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Where a parse failed, as line and column, from the parser's "position N" (never its message: it quotes). */
function place(text: string, error: unknown): string {
  const at = /position (\d+)/.exec((error as Error).message ?? '');
  if (!at) return '';
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  return ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}

/** The file's text, once it is known to be a JSON object without secrets. */
export async function readParamsFile(path: string): Promise<string> {
  const text = readBounded(path);
  let parsed: unknown;
  try {
    parsed = parseJson(text);
  } catch (error) {
    throw new InputError(
      `--params file ${inert(path)} is not valid JSON${place(text, error)}; nothing was sent`,
      'InvalidParameter',
      'give a JSON object, e.g. {"Limit": 10}',
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new InputError(
      `--params file ${inert(path)} must hold a JSON object, e.g. {"Limit": 10}`,
      'InvalidParameter',
    );
  // Loaded only here: the secrets module brings the catalog with it.
  const { secretsIn } = await import('@tceops/core/catalog/secrets.ts');
  const secrets = secretsIn(parsed);
  if (secrets.length)
    throw new InputError(
      `--params file ${inert(path)}: ${secrets.map((s) => inert(s)).join(', ')} carries a secret, and secrets are not accepted in parameters; nothing was sent`,
      'SecretInCommand',
      'a password is asked for privately: "cvm reset-password <instance>", or "cvm run ... --ask-password"',
    );
  return text.trim();
}

/**
 * The words with `--params @file` (or `--params=@file`) replaced by the file's text; other words as they are.
 * An inline JSON value stays inline.
 */
export async function withParamsFile(words: string[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const joined = word.startsWith('--params=') ? word.slice('--params='.length) : undefined;
    const value = joined ?? (word === '--params' ? words[i + 1] : undefined);
    if (value?.startsWith('@')) {
      out.push('--params', await readParamsFile(value.slice(1)));
      if (joined === undefined) i++;
      continue;
    }
    out.push(word);
  }
  return out;
}
