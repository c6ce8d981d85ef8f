/** Progress of executions and waiters, one line per target, latest event wins. */
import type { ProgressEvent } from '../core.ts';
import { code, fitLines, inline, stateEmoji } from './common.ts';

/** Fits in `max` characters: the targets still moving first, then those done, and "…and N more". */
export function progressLines(events: readonly ProgressEvent[], max = 2500): string {
  const ordered = [...events.filter((e) => !e.done), ...events.filter((e) => e.done)];
  const lines = ordered.map(
    (e) =>
      `${e.done ? ':white_check_mark:' : stateEmoji(e.state)} ${code(e.targetId)} ${inline(e.state)}${e.message ? ` · ${inline(e.message)}` : ''}`,
  );
  const done = events.filter((e) => e.done).length;
  const head = events.length > 1 ? `Progress: ${done} of ${events.length} settled\n` : '';
  return head + fitLines(lines, max - head.length).text;
}
