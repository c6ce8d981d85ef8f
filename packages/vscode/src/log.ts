/** The "TCE" output channel: every action, its outcome, TCE codes and RequestIds. Secrets never reach it. */
import { inert } from '@tceops/core';
import * as vscode from 'vscode';
import { redact } from './redact.ts';

export interface Log {
  line(text: string): void;
  show(): void;
  dispose(): void;
  /** The last lines written, redacted as in the channel. */
  recent(): string[];
}

export function createLog(name = 'TCE'): Log {
  const channel = vscode.window.createOutputChannel(name);
  const recent: string[] = [];
  return {
    line(text) {
      // One entry per line, controls written out: a name from the cloud cannot forge a line or recolour one.
      const line = `[${new Date().toISOString()}] ${inert(redact(text))}`;
      channel.appendLine(line);
      recent.push(line);
      if (recent.length > 1000) recent.shift();
    },
    recent: () => [...recent],
    show() {
      channel.show(true);
    },
    dispose() {
      channel.dispose();
    },
  };
}
