/** Progress of executions and waiters, one line per target, latest event wins. */
import type { ProgressEvent } from '../core.ts';
import { code, esc, stateEmoji } from './common.ts';

export function progressLines(events: readonly ProgressEvent[]): string {
  return events
    .map(
      (e) =>
        `${e.done ? ':white_check_mark:' : stateEmoji(e.state)} ${code(e.targetId)} ${esc(e.state)}${e.message ? ` · ${esc(e.message)}` : ''}`,
    )
    .join('\n');
}
