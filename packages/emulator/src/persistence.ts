/**
 * The state file: written whole and atomically (a temporary file in the same directory, fsync, rename, fsync of
 * the directory), a moment after each change, so a kill loses at most the last second and a reader never sees
 * half a file; read back on start.
 */
import { existsSync } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseJson, stringifyJson } from './core.ts';
import { type EmulatorState, STATE_FORMAT } from './state.ts';

/** The state in the file, or undefined when there is no file yet. A file that is not an emulator state throws. */
export async function loadState(file: string): Promise<EmulatorState | undefined> {
  if (!existsSync(file)) return undefined;
  const text = await readFile(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = parseJson(text);
  } catch (error) {
    throw new Error(`the state file ${file} is not valid JSON (${(error as Error).message}); move it away or fix it`);
  }
  const state = parsed as Partial<EmulatorState> | null;
  if (!state || state.format !== STATE_FORMAT || !state.cvm || !state.cfs || !state.csm) {
    throw new Error(
      `the state file ${file} is not a tceops emulator state (format "${STATE_FORMAT}"); move it away or choose another --state-file`,
    );
  }
  return state as EmulatorState;
}

export async function writeStateAtomically(file: string, state: EmulatorState): Promise<void> {
  const text = stringifyJson(state);
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
  // The rename itself is durable only once the directory is synced (not possible on every platform).
  try {
    const directory = await open(dirname(file), 'r');
    await directory.sync().finally(() => directory.close());
  } catch {
    // Best effort.
  }
}

export interface Persister {
  /** Something changed: write soon (within `delayMs`). */
  changed(): void;
  /** Write now if anything is unwritten, and wait for it. */
  flush(): Promise<void>;
  lastWrite(): { at?: string; error?: string };
}

export function createPersister(file: string, current: () => EmulatorState, delayMs = 250): Persister {
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> | undefined;
  let lastAt: string | undefined;
  let lastError: string | undefined;

  async function writeOnce(): Promise<void> {
    dirty = false;
    try {
      await writeStateAtomically(file, current());
      lastAt = new Date().toISOString();
      lastError = undefined;
    } catch (error) {
      dirty = true;
      lastError = (error as Error).message;
      console.error(`emulator: could not write the state file ${file}: ${lastError}`);
    }
  }

  async function flush(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    // One write at a time; a change during a write is written after it.
    while (writing) await writing;
    if (!dirty) return;
    writing = writeOnce().finally(() => {
      writing = undefined;
    });
    await writing;
  }

  return {
    changed() {
      dirty = true;
      if (!timer) {
        timer = setTimeout(() => {
          timer = undefined;
          void flush();
        }, delayMs);
        timer.unref();
      }
    },
    flush,
    lastWrite: () => ({ at: lastAt, error: lastError }),
  };
}
