/** The "TCE" output channel: every action, its outcome, TCE codes and RequestIds. Secrets never reach it. */
import * as vscode from 'vscode';
import { redact } from './redact.ts';

export interface Log {
  line(text: string): void;
  show(): void;
  dispose(): void;
}

export function createLog(name = 'TCE'): Log {
  const channel = vscode.window.createOutputChannel(name);
  return {
    line(text) {
      channel.appendLine(`[${new Date().toISOString()}] ${redact(text)}`);
    },
    show() {
      channel.show(true);
    },
    dispose() {
      channel.dispose();
    },
  };
}
