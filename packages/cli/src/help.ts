/** `tceops help [command]`: the terminal's usage, then the shared grammar's help (loaded only for this command). */
import { helpText } from '@tceops/core/commands/help.ts';

export function helpFor(words: string[], usage: string): string {
  return words.length ? helpText(words.join(' ')) : `${usage}\n\n${helpText()}`;
}
