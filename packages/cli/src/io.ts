/**
 * Where the terminal writes: a line at a time to stdout and stderr, made inert (core's `inert`): a name from the
 * cloud cannot move the cursor, recolour or reorder the screen. Kept apart from output.ts (which renders, and loads
 * the JSON library) so that commands that only print text start without it.
 */
import { inert } from '@tceops/core/inert.ts';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/**
 * A stream whose reader went away (`tceops approvals | head -1`) takes no more writes and does not crash the
 * command: EPIPE marks it closed, the command finishes with its own exit code.
 */
function writer(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  let watching = false;
  return (text) => {
    if (!watching) {
      watching = true;
      stream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
        closed = true;
      });
    }
    if (closed) return;
    const safe = inert(text, { multiline: true });
    stream.write(safe.endsWith('\n') ? safe : `${safe}\n`);
  };
}

export const processIo: Io = { out: writer(process.stdout), err: writer(process.stderr) };
