/**
 * Every question the extension asks the user, in one place. The default asks through vscode.window; tests
 * inside a real extension host swap in scripted answers through the extension's test API (as the AWS Toolkit
 * does with its test window), since a real modal cannot be answered from the extension host.
 */
import * as vscode from 'vscode';

export interface QuickPickChoice {
  label: string;
  description?: string;
  detail?: string;
  value: string;
}

export interface Prompts {
  /** A modal warning with one action button; true when that button was pressed. */
  confirm(message: string, detail: string, button: string): Promise<boolean>;
  /** An input box that accepts only `expected` (type-the-ID confirmation). */
  typed(title: string, prompt: string, expected: string): Promise<boolean>;
  /** A password box; undefined when dismissed. */
  secret(title: string, prompt: string, validate?: (value: string) => string | undefined): Promise<string | undefined>;
  input(
    title: string,
    prompt: string,
    options?: { value?: string; placeHolder?: string; validate?: (value: string) => string | undefined },
  ): Promise<string | undefined>;
  pick(title: string, choices: QuickPickChoice[]): Promise<string | undefined>;
}

export function windowPrompts(): Prompts {
  return {
    async confirm(message, detail, button) {
      const chosen = await vscode.window.showWarningMessage(message, { modal: true, detail }, { title: button });
      return chosen?.title === button;
    },
    async typed(title, prompt, expected) {
      const value = await vscode.window.showInputBox({
        title,
        prompt,
        placeHolder: expected,
        ignoreFocusOut: true,
        validateInput: (text) => (text === expected ? undefined : `Type ${expected} exactly to confirm`),
      });
      return value === expected;
    },
    async secret(title, prompt, validate) {
      return vscode.window.showInputBox({
        title,
        prompt,
        password: true,
        ignoreFocusOut: true,
        validateInput: validate,
      });
    },
    async input(title, prompt, options = {}) {
      return vscode.window.showInputBox({
        title,
        prompt,
        value: options.value,
        placeHolder: options.placeHolder,
        ignoreFocusOut: true,
        validateInput: options.validate,
      });
    },
    async pick(title, choices) {
      const chosen = await vscode.window.showQuickPick(
        choices.map((c) => ({ label: c.label, description: c.description, detail: c.detail, value: c.value })),
        { title, placeHolder: title, ignoreFocusOut: true },
      );
      return chosen?.value;
    },
  };
}

let current: Prompts | undefined;

export function prompts(): Prompts {
  current ??= windowPrompts();
  return current;
}

/** Replace the prompts (tests); undefined restores the real ones. */
export function setPrompts(replacement: Prompts | undefined): void {
  current = replacement;
}
