/**
 * A small stand-in for the `vscode` module, enough for the extension's logic to run under mocha. `window` is
 * scriptable: queue the answers to the next dialogs and input boxes, then read back what was shown.
 */

export class Disposable {
  constructor(private readonly callback: () => void = () => {}) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => {
      for (const item of items) item.dispose();
    });
  }
  dispose(): void {
    this.callback();
  }
}

export class EventEmitter<T> {
  private listeners: ((value: T) => void)[] = [];
  readonly fired: T[] = [];
  event = (listener: (value: T) => void): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    });
  };
  fire(value: T): void {
    this.fired.push(value);
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}

export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}

export enum ConfigurationTarget {
  Global = 1,
  Workspace = 2,
  WorkspaceFolder = 3,
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

export class MarkdownString {
  supportThemeIcons = false;
  isTrusted = false;
  constructor(public value = '') {}
}

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: string | MarkdownString;
  iconPath?: ThemeIcon;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  accessibilityInformation?: { label: string; role?: string };
  constructor(
    public label: string,
    public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None,
  ) {}
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
    readonly query: string,
    readonly authority = '',
  ) {}
  static parse(value: string): Uri {
    const url = new URL(value);
    return new Uri(
      url.protocol.replace(/:$/, ''),
      decodeURIComponent(url.pathname),
      url.search.replace(/^\?/, ''),
      url.host,
    );
  }
  static from(parts: { scheme: string; path: string; query?: string }): Uri {
    return new Uri(parts.scheme, parts.path, parts.query ?? '');
  }
  toString(): string {
    return `${this.scheme}:${this.authority ? `//${this.authority}` : ''}${this.path}${this.query ? `?${this.query}` : ''}`;
  }
}

export class CancellationTokenSource {
  token = { isCancellationRequested: false, onCancellationRequested: new EventEmitter<void>().event };
  cancel(): void {
    this.token.isCancellationRequested = true;
  }
  dispose(): void {}
}

/** One thing the extension showed: a message, a dialog, an input box, a quick pick. */
export interface Shown {
  kind: 'info' | 'warning' | 'error' | 'input' | 'quickPick' | 'progress';
  message: string;
  options?: Record<string, unknown>;
  items?: unknown[];
  /** For progress notices: each message reported, in order. */
  reports?: string[];
  /** For progress notices: its task has not settled yet (VS Code still shows it). */
  open?: boolean;
  /** For input boxes: what validateInput said about the queued answer. */
  validation?: string | undefined;
}

/** An answer to the next prompt: a button title or item label, a typed text, or undefined (dismissed). */
export type Answer = string | undefined;

const answers: Answer[] = [];
export const shown: Shown[] = [];
export const output: Record<string, string[]> = {};
export const clipboard: { text: string } = { text: '' };
export const contextKeys: Record<string, unknown> = {};
export const settings: Record<string, unknown> = {};
export const commandHandlers = new Map<string, (...args: unknown[]) => unknown>();

/** Answer the next prompts, in order. */
export function answer(...next: Answer[]): void {
  answers.push(...next);
}

/** SecretStorage in memory, with its change event. */
export function memorySecrets() {
  const values = new Map<string, string>();
  const changed = new EventEmitter<{ key: string }>();
  return {
    values,
    async get(key: string) {
      return values.get(key);
    },
    async store(key: string, value: string) {
      values.set(key, value);
      changed.fire({ key });
    },
    async delete(key: string) {
      values.delete(key);
      changed.fire({ key });
    },
    onDidChange: changed.event,
  };
}

/** Answers queued but never asked for: a test should end with none. */
export function unusedAnswers(): Answer[] {
  return [...answers];
}

export function resetStub(): void {
  answers.length = 0;
  window.statusBar.length = 0;
  window.statusItems.length = 0;
  window.terminals.length = 0;
  shown.length = 0;
  clipboard.text = '';
  env.opened.length = 0;
  for (const key of Object.keys(output)) delete output[key];
  for (const key of Object.keys(contextKeys)) delete contextKeys[key];
  for (const key of Object.keys(settings)) delete settings[key];
  commandHandlers.clear();
}

function nextAnswer(kind: Shown['kind'], message: string): Answer {
  if (answers.length === 0) throw new Error(`the test did not queue an answer for the ${kind} "${message}"`);
  return answers.shift();
}

function buttonTitle(item: unknown): string {
  return typeof item === 'string'
    ? item
    : String((item as { title?: string; label?: string }).title ?? (item as { label?: string }).label);
}

function message(kind: 'info' | 'warning' | 'error') {
  return async (text: string, ...rest: unknown[]): Promise<unknown> => {
    const options =
      rest[0] && typeof rest[0] === 'object' && !('title' in (rest[0] as object))
        ? (rest.shift() as Record<string, unknown>)
        : undefined;
    shown.push({ kind, message: text, options, items: rest.map(buttonTitle) });
    // A modal needs an answer. A notification with buttons may be ignored: it takes the next queued answer
    // only when that answer is one of its buttons.
    if (options?.modal) {
      const chosen = nextAnswer(kind, text);
      return rest.find((item) => buttonTitle(item) === chosen);
    }
    const titles = rest.map(buttonTitle);
    if (answers.length > 0 && titles.includes(String(answers[0]))) {
      const chosen = answers.shift();
      return rest.find((item) => buttonTitle(item) === chosen);
    }
    return undefined;
  };
}

export const window = {
  showInformationMessage: message('info'),
  showWarningMessage: message('warning'),
  showErrorMessage: message('error'),
  async showInputBox(options: { prompt?: string; title?: string; validateInput?: (v: string) => unknown } = {}) {
    const entry: Shown = { kind: 'input', message: options.title ?? options.prompt ?? '', options };
    shown.push(entry);
    const value = nextAnswer('input', entry.message);
    if (value !== undefined && options.validateInput) {
      const problem = await options.validateInput(value);
      entry.validation = typeof problem === 'string' ? problem : (problem as { message?: string } | undefined)?.message;
      // VS Code keeps the box open while the input is invalid: a test that types a wrong value sees it refused.
      if (entry.validation) return undefined;
    }
    return value;
  },
  async showQuickPick(items: unknown[] | Promise<unknown[]>, options: Record<string, unknown> = {}) {
    const list = await items;
    shown.push({
      kind: 'quickPick',
      message: String(options.title ?? options.placeHolder ?? ''),
      options,
      items: list,
    });
    const chosen = nextAnswer('quickPick', String(options.title ?? options.placeHolder ?? ''));
    if (chosen === undefined) return undefined;
    const labels = chosen.split('|');
    const picked = list.filter((item) =>
      labels.includes(typeof item === 'string' ? item : String((item as { label: string }).label)),
    );
    if (picked.length === 0) throw new Error(`no quick pick item "${chosen}"`);
    return options.canPickMany ? picked : picked[0];
  },
  async withProgress<T>(
    options: { title?: string },
    task: (progress: { report(v: unknown): void }, token: unknown) => Promise<T>,
  ) {
    const entry: Shown = { kind: 'progress', message: options.title ?? '', options, reports: [], open: true };
    shown.push(entry);
    const report = (v: unknown) => entry.reports!.push(String((v as { message?: string }).message ?? ''));
    try {
      return await task({ report }, new CancellationTokenSource().token);
    } finally {
      entry.open = false;
    }
  },
  createOutputChannel(name: string) {
    output[name] ??= [];
    return {
      name,
      appendLine(line: string) {
        output[name]!.push(line);
      },
      append(text: string) {
        output[name]!.push(text);
      },
      show() {},
      clear() {
        output[name] = [];
      },
      dispose() {},
    };
  },
  statusBar: [] as string[],
  setStatusBarMessage(text: string) {
    window.statusBar.push(text);
    return new Disposable();
  },
  async showTextDocument(document: unknown) {
    return { document };
  },
  views: {} as Record<string, { message?: string; selection: unknown[]; revealed: unknown[] }>,
  createTreeView(id: string, options: { treeDataProvider: unknown }) {
    const view = {
      ...options,
      message: undefined as string | undefined,
      visible: false,
      selection: [] as unknown[],
      revealed: [] as unknown[],
      onDidCollapseElement: new EventEmitter<unknown>().event,
      onDidExpandElement: new EventEmitter<unknown>().event,
      onDidChangeSelection: new EventEmitter<unknown>().event,
      onDidChangeVisibility: new EventEmitter<unknown>().event,
      async reveal(node: unknown) {
        view.revealed.push(node);
      },
      dispose() {},
    };
    window.views[id] = view;
    return view;
  },
  statusItems: [] as { text: string; tooltip?: unknown; command?: unknown }[],
  createStatusBarItem() {
    const item = {
      text: '',
      tooltip: undefined as unknown,
      command: undefined as unknown,
      show() {},
      hide() {},
      dispose() {},
    };
    window.statusItems.push(item);
    return item;
  },
  terminals: [] as { name: string; shellPath?: string; shellArgs?: string[] }[],
  createTerminal(options: { name: string; shellPath?: string; shellArgs?: string[] }) {
    const terminal = { ...options, creationOptions: options, show() {}, sendText() {}, dispose() {} };
    window.terminals.push(terminal);
    return terminal;
  },
};

export const commands = {
  registerCommand(id: string, handler: (...args: unknown[]) => unknown): Disposable {
    commandHandlers.set(id, handler);
    return new Disposable(() => commandHandlers.delete(id));
  },
  async executeCommand(id: string, ...args: unknown[]): Promise<unknown> {
    if (id === 'setContext') {
      contextKeys[String(args[0])] = args[1];
      return undefined;
    }
    const handler = commandHandlers.get(id);
    return handler ? handler(...args) : undefined;
  },
};

const configurationChanged = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();

export const workspace = {
  getConfiguration(section?: string) {
    const prefix = section ? `${section}.` : '';
    return {
      get<T>(key: string, fallback?: T): T | undefined {
        const value = settings[prefix + key];
        return (value === undefined ? fallback : value) as T | undefined;
      },
      async update(key: string, value: unknown) {
        settings[prefix + key] = value;
        configurationChanged.fire({ affectsConfiguration: (s: string) => (prefix + key).startsWith(s) });
      },
    };
  },
  onDidChangeConfiguration: configurationChanged.event,
  contentProviders: new Map<string, { provideTextDocumentContent(uri: Uri): string }>(),
  registerTextDocumentContentProvider(
    scheme: string,
    provider: { provideTextDocumentContent(uri: Uri): string },
  ): Disposable {
    workspace.contentProviders.set(scheme, provider);
    return new Disposable(() => workspace.contentProviders.delete(scheme));
  },
  async openTextDocument(uri: Uri) {
    const provider = workspace.contentProviders.get(uri.scheme);
    return { uri, text: provider?.provideTextDocumentContent(uri) };
  },
};

export const env = {
  clipboard: {
    async writeText(text: string) {
      clipboard.text = text;
    },
    async readText() {
      return clipboard.text;
    },
  },
  uiKind: 1,
  /** What openExternal was given, in order. */
  opened: [] as string[],
  async openExternal(uri: Uri) {
    env.opened.push(uri.toString());
    return true;
  },
};

export const extensions = {
  installed: new Set<string>(),
  getExtension(id: string) {
    return extensions.installed.has(id) ? { id } : undefined;
  },
  onDidChange: new EventEmitter<void>().event,
};

export const languages = {
  async setTextDocumentLanguage(document: unknown) {
    return document;
  },
};
