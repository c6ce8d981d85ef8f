/**
 * The state file, written in proportion to what changed. Two files:
 * - `<file>`: a snapshot of the whole state, written atomically (a temporary file in the same directory, fsync,
 *   rename, fsync of the directory) — on the first write, when the journal has grown as large as the snapshot, and
 *   on a clean stop, so a stopped emulator leaves one plain JSON file;
 * - `<file>.journal`: what changed since that snapshot, appended a moment after each change: one line per write,
 *   holding every record that changed (or went) since the previous line, fsync'd.
 * At 10,000 instances a change writes a few kilobytes instead of 12 MB. A kill loses at most the last moment: a
 * line is applied whole or not at all (a torn last line is ignored), and a journal that does not belong to the
 * snapshot (its generation differs: a compaction was interrupted) is ignored, since the snapshot holds it all.
 * What changed is found by comparing each record's JSON with the JSON last written for it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { type FileHandle, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseJson, stringifyJson } from './core.ts';
import { type EmulatorState, STATE_FORMAT } from './state.ts';

/** A record's place in the state: [service, collection, id], or [key] for a top-level value (the ID counter). */
type Path = [string] | [string, string, string];

interface JournalLine {
  /** The snapshot this line follows. */
  g: string;
  /** Changed records with their new value; a path alone means the record is gone. */
  ops: { p: Path; v?: unknown }[];
}

const SNAPSHOT_GENERATION = 'journal';

function journalOf(file: string): string {
  return `${file}.journal`;
}

/**
 * A record's JSON, to tell whether it changed: the native stringify, which throws on the rare record holding a
 * bigint (an Int64 beyond 2^53) — that one takes the lossless path. Far cheaper than checking each record first.
 */
function textOf(record: unknown): string {
  try {
    return JSON.stringify(record);
  } catch {
    return stringifyJson(record);
  }
}

/** Every record of the state with its path, and every top-level value that is not a service. */
function* recordsOf(state: EmulatorState): Generator<[string, Path, unknown]> {
  for (const [key, value] of Object.entries(state)) {
    if (key === 'format') continue;
    if (!value || typeof value !== 'object') {
      yield [key, [key], value];
      continue;
    }
    for (const [collection, records] of Object.entries(value as Record<string, Record<string, unknown>>))
      for (const [id, record] of Object.entries(records))
        yield [`${key}\u0000${collection}\u0000${id}`, [key, collection, id], record];
  }
}

function apply(state: EmulatorState, { p, v }: JournalLine['ops'][number]): void {
  const target = state as unknown as Record<string, unknown>;
  if (p.length === 1) {
    target[p[0]] = v;
    return;
  }
  const [service, collection, id] = p;
  target[service] ??= {};
  const services = target[service] as Record<string, Record<string, unknown>>;
  services[collection] ??= {};
  const records = services[collection];
  if (v === undefined) delete records[id];
  else records[id] = v;
}

/** The state in the files, or undefined when there is none yet. A file that is not an emulator state throws. */
export async function loadState(file: string): Promise<EmulatorState | undefined> {
  return (await loadWithGeneration(file))?.state;
}

async function loadWithGeneration(
  file: string,
): Promise<{ state: EmulatorState; generation?: string; journalBytes: number } | undefined> {
  if (!existsSync(file)) return undefined;
  const text = await readFile(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = parseJson(text);
  } catch (error) {
    throw new Error(`the state file ${file} is not valid JSON (${(error as Error).message}); move it away or fix it`);
  }
  const state = parsed as (Partial<EmulatorState> & { [SNAPSHOT_GENERATION]?: unknown }) | null;
  if (!state || state.format !== STATE_FORMAT || !state.cvm || !state.cfs || !state.csm) {
    throw new Error(
      `the state file ${file} is not a tceops emulator state (format "${STATE_FORMAT}"); move it away or choose another --state-file`,
    );
  }
  const generation = typeof state[SNAPSHOT_GENERATION] === 'string' ? state[SNAPSHOT_GENERATION] : undefined;
  delete state[SNAPSHOT_GENERATION];
  let journalBytes = 0;
  if (generation && existsSync(journalOf(file))) {
    const journal = await readFile(journalOf(file), 'utf8');
    // Only whole lines count: the last one may have been cut short by a kill.
    const end = journal.lastIndexOf('\n') + 1;
    for (const line of journal.slice(0, end).split('\n')) {
      if (!line) continue;
      let entry: JournalLine;
      try {
        entry = parseJson(line) as JournalLine;
      } catch {
        break; // a damaged line ends what can be trusted
      }
      if (entry?.g !== generation || !Array.isArray(entry.ops)) break;
      for (const op of entry.ops) apply(state as EmulatorState, op);
      journalBytes += Buffer.byteLength(line) + 1;
    }
  }
  return { state: state as EmulatorState, generation, journalBytes };
}

async function syncDirectory(file: string): Promise<void> {
  // A rename or a new file is durable only once the directory is synced (not possible on every platform).
  try {
    const directory = await open(dirname(file), 'r');
    await directory.sync().finally(() => directory.close());
  } catch {
    // Best effort.
  }
}

/** The whole state in one file, atomically; `generation` names the journal that may follow it. */
export async function writeStateAtomically(file: string, state: EmulatorState, generation?: string): Promise<number> {
  const text = stringifyJson(generation ? { ...state, [SNAPSHOT_GENERATION]: generation } : state);
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
  await syncDirectory(file);
  return Buffer.byteLength(text);
}

export interface Persister {
  /** Something changed: write soon (within `delayMs`). */
  changed(): void;
  /** Write now if anything is unwritten, and wait for it; `compact` writes a whole snapshot and no journal. */
  flush(options?: { compact?: boolean }): Promise<void>;
  lastWrite(): { at?: string; error?: string; bytes?: number; journalBytes?: number };
}

/**
 * Writes `current()` to `file` soon after each change. `loaded` is what was read from the files at start, so that
 * only what changes afterwards is appended (undefined: nothing was there, the first write is a snapshot).
 */
export function createPersister(
  file: string,
  current: () => EmulatorState,
  delayMs = 250,
  minCompactBytes = 1024 * 1024,
): Persister {
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> | undefined;
  let lastAt: string | undefined;
  let lastError: string | undefined;
  let lastBytes: number | undefined;
  // What the files hold: each record's JSON, the snapshot's generation and size, the journal's size.
  let written: Map<string, string> | undefined;
  let generation: string | undefined;
  let snapshotBytes = 0;
  let journalBytes = 0;
  let journal: FileHandle | undefined;
  let started = false;

  async function start(): Promise<void> {
    started = true;
    const loaded = await loadWithGeneration(file).catch(() => undefined);
    if (!loaded?.generation) return; // no snapshot with a journal yet: the first write makes one
    generation = loaded.generation;
    snapshotBytes = (await stat(file)).size;
    journalBytes = loaded.journalBytes;
    written = new Map();
    for (const [key, , record] of recordsOf(loaded.state)) written.set(key, textOf(record));
    if (existsSync(journalOf(file))) {
      journal = await open(journalOf(file), 'r+');
      // Drop a torn tail, so the next line starts on a line of its own.
      await journal.truncate(journalBytes);
    } else {
      journal = await open(journalOf(file), 'w', 0o600);
    }
  }

  async function compact(state: EmulatorState): Promise<number> {
    await journal?.close();
    journal = undefined;
    const next = randomBytes(6).toString('hex');
    snapshotBytes = await writeStateAtomically(file, state, next);
    generation = next;
    written = new Map();
    for (const [key, , record] of recordsOf(state)) written.set(key, textOf(record));
    // A fresh journal for the new snapshot; the old one, if a kill leaves it, names another generation.
    journal = await open(journalOf(file), 'w', 0o600);
    await journal.sync();
    await syncDirectory(file);
    journalBytes = 0;
    return snapshotBytes;
  }

  async function append(state: EmulatorState): Promise<number | undefined> {
    const ops: JournalLine['ops'] = [];
    const seen = new Set<string>();
    for (const [key, path, record] of recordsOf(state)) {
      seen.add(key);
      const text = textOf(record);
      if (written!.get(key) === text) continue;
      ops.push({ p: path, v: record });
      written!.set(key, text);
    }
    for (const [key] of written!) {
      if (seen.has(key)) continue;
      ops.push({ p: key.split('\u0000') as Path });
      written!.delete(key);
    }
    if (!ops.length) return 0;
    const line = `${stringifyJson({ g: generation!, ops } satisfies JournalLine)}\n`;
    const bytes = Buffer.byteLength(line);
    // A journal as large as the snapshot is replaced by a new snapshot: replay stays short.
    if (journalBytes + bytes > Math.max(minCompactBytes, snapshotBytes)) return undefined;
    await journal!.write(line, journalBytes);
    await journal!.datasync();
    journalBytes += bytes;
    return bytes;
  }

  async function writeOnce(forceCompact: boolean): Promise<void> {
    dirty = false;
    try {
      if (!started) await start();
      const state = current();
      const appended = written && !forceCompact ? await append(state) : undefined;
      lastBytes = appended ?? (await compact(state));
      lastAt = new Date().toISOString();
      lastError = undefined;
    } catch (error) {
      dirty = true;
      // Start again from a snapshot: what the files hold is no longer known for sure.
      written = undefined;
      lastError = (error as Error).message;
      console.error(`emulator: could not write the state file ${file}: ${lastError}`);
    }
  }

  async function flush(options: { compact?: boolean } = {}): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    // One write at a time; a change during a write is written after it.
    while (writing) await writing;
    const compactNow = options.compact === true && (journal !== undefined || existsSync(journalOf(file)));
    if (!dirty && !compactNow) return;
    writing = writeOnce(compactNow).finally(() => {
      writing = undefined;
    });
    await writing;
    if (compactNow && !lastError) {
      // Everything is in the snapshot: leave one plain file behind.
      await journal?.close();
      journal = undefined;
      await unlink(journalOf(file)).catch(() => {});
      started = false;
      written = undefined;
      journalBytes = 0;
    }
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
    lastWrite: () => ({ at: lastAt, error: lastError, bytes: lastBytes, journalBytes }),
  };
}
