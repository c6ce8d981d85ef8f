/**
 * Activation: the explorer view, its commands, the connection (emulator, Sign In keys, tccli profile) and the
 * command pipeline. Everything with a decision in it lives in its own module; this file wires them together.
 */
import { userInfo } from 'node:os';
import path from 'node:path';
import { loadPolicy } from '@tceops/core';
import * as vscode from 'vscode';
import { runAction } from './actions/run.ts';
import { type Cloud, openCloud } from './cloud.ts';
import {
  checkSecretId,
  checkSecretKey,
  type EmulatorSession,
  planConnection,
  SECRET_ID_KEY,
  SECRET_KEY_KEY,
} from './connection.ts';
import { ACTIONS } from './actions/definitions.ts';
import { DETAILS_SCHEME, DetailsProvider } from './details.ts';
import type { EnginePort } from './engine-port.ts';
import { askFilter } from './filter.ts';
import { createLog } from './log.ts';
import { forgetSecret, registerSecret } from './redact.ts';
import { readSettings } from './settings.ts';
import type { GroupNode, LoadMoreNode, Node, ResourceNode } from './tree/nodes.ts';
import { type ConnectionState, ExplorerProvider } from './tree/provider.ts';
import { type Prompts, prompts, setPrompts } from './ui/prompts.ts';

export const VIEW_ID = 'tceops.explorer';

/** What activate() returns: used by the integration tests inside a real extension host. */
export interface TceopsApi {
  provider: ExplorerProvider;
  setPrompts(replacement: Prompts | undefined): void;
  startEmulator(): Promise<string>;
  /** Settles once the connection is resolved after a settings or sign-in change. */
  ready(): Promise<void>;
}

export async function activate(context: vscode.ExtensionContext): Promise<TceopsApi> {
  const log = createLog();
  const actor = { id: localUser(), name: localUser() };
  let emulator: { session: EmulatorSession; stop(): Promise<void> } | undefined;
  let cloud: Cloud | undefined;
  let connection: ConnectionState = { messages: [{ text: 'Connecting…', icon: 'loading~spin' }] };
  let engine: Promise<EnginePort> | undefined;

  const provider = new ExplorerProvider({
    connection: () => connection,
    pollIntervalMs: () => readSettings().pollIntervalMs,
    progress: (work) => Promise.resolve(vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => work)),
    onLoading: (busy) => void vscode.commands.executeCommand('setContext', 'tceops.loading', busy),
    log: (line) => log.line(line),
  });
  const view = vscode.window.createTreeView(VIEW_ID, {
    treeDataProvider: provider,
    canSelectMany: true,
    showCollapseAll: true,
  });
  const details = new DetailsProvider();

  async function connect(): Promise<void> {
    const settings = readSettings();
    const secretId = await context.secrets.get(SECRET_ID_KEY);
    const secretKey = await context.secrets.get(SECRET_KEY_KEY);
    const keys = secretId && secretKey ? { secretId, secretKey } : undefined;
    registerSecret(secretKey);
    await vscode.commands.executeCommand('setContext', 'tceops.signedIn', Boolean(keys));
    await vscode.commands.executeCommand('setContext', 'tceops.emulatorRunning', Boolean(emulator));
    const plan = planConnection(settings, keys, emulator?.session, process.env);
    const previous = cloud;
    cloud = undefined;
    const closing = engine;
    engine = undefined;
    void closing?.then((e) => e.close()).catch(() => {});
    previous?.close();
    try {
      const store =
        settings.store || process.env.TCEOPS_STORE || `file:${path.join(context.globalStorageUri.fsPath, 'store')}`;
      cloud = openCloud(plan, { policyFile: settings.policyFile, store });
      connection = {
        key: plan.key,
        label: plan.label,
        description: plan.description,
        source: cloud.source,
        regions: settings.regions,
        pageSize: settings.pageSize,
      };
      log.line(`connected: ${plan.label} (${plan.description}); keys from ${cloud.credentialSource}`);
      checkPolicy(settings.policyFile);
      await vscode.commands.executeCommand('setContext', 'tceops.noConnection', false);
    } catch (error) {
      const reason = (error as Error).message;
      log.line(`not connected: ${reason}`);
      connection = {
        messages: [
          { text: reason.split('\n')[0]!, icon: 'warning' },
          {
            text: 'Sign in with a SecretId and SecretKey',
            icon: 'key',
            command: { command: 'tceops.signIn', title: 'Sign In' },
          },
          {
            text: 'Start the local emulator',
            icon: 'beaker',
            command: { command: 'tceops.startEmulator', title: 'Start Local Emulator' },
          },
        ],
      };
      await vscode.commands.executeCommand('setContext', 'tceops.noConnection', true);
    }
    provider.refresh();
  }

  /** A bad policy file is reported at once (browsing still works; every action will refuse with the same reason). */
  function checkPolicy(file: string): void {
    if (!file) return;
    try {
      loadPolicy(file);
    } catch (error) {
      const reason = (error as Error).message;
      log.line(`the policy file is refused: ${reason}`);
      void vscode.window
        .showErrorMessage(`tceops.policyFile is refused: ${reason.split('\n')[1] ?? reason}`, 'Show Log')
        .then((c) => c && log.show());
    }
  }

  let connecting = connect();
  const reconnect = () => {
    connecting = connecting.then(connect, connect);
    return connecting;
  };

  function getEngine(): Promise<EnginePort> {
    if (!cloud)
      return Promise.reject(new Error('not connected: sign in, set tceops.profile, or start the local emulator'));
    engine ??= cloud.engine().catch((error) => {
      engine = undefined;
      throw error;
    });
    return engine;
  }

  async function startEmulator(): Promise<string> {
    if (emulator) return emulator.session.endpoint;
    const { startLocalEmulator } = await import('./emulator.ts');
    emulator = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Starting the local TCE emulator…' },
      () => startLocalEmulator(),
    );
    log.line(`local emulator listening on ${emulator.session.endpoint} (loopback only; demo data)`);
    await reconnect();
    void vscode.window.showInformationMessage(
      `The local TCE emulator is running at ${emulator.session.endpoint}; the explorer now shows its demo resources.`,
    );
    return emulator.session.endpoint;
  }

  const register = (id: string, handler: (...args: never[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown));

  register('tceops.refresh', (node?: Node) => (node ? provider.refresh(node) : reconnect()));
  register('tceops.showLog', () => log.show());
  register('tceops.cancelLoading', () => provider.cancelLoading());
  register('tceops.loadMore', (node: LoadMoreNode) => provider.loadMore(node));
  register('tceops.signIn', async () => {
    const secretId = await vscode.window.showInputBox({
      title: 'Sign in to TCE (1/2)',
      prompt: 'SecretId',
      ignoreFocusOut: true,
      validateInput: checkSecretId,
    });
    if (secretId === undefined) return;
    const secretKey = await vscode.window.showInputBox({
      title: 'Sign in to TCE (2/2)',
      prompt: 'SecretKey (kept in VS Code secret storage)',
      password: true,
      ignoreFocusOut: true,
      validateInput: checkSecretKey,
    });
    if (secretKey === undefined) return;
    registerSecret(secretKey);
    await context.secrets.store(SECRET_ID_KEY, secretId.trim());
    await context.secrets.store(SECRET_KEY_KEY, secretKey);
    log.line('signed in; keys stored in VS Code secret storage');
    await reconnect();
  });
  register('tceops.signOut', async () => {
    forgetSecret(await context.secrets.get(SECRET_KEY_KEY));
    await context.secrets.delete(SECRET_ID_KEY);
    await context.secrets.delete(SECRET_KEY_KEY);
    log.line('signed out; keys removed from secret storage');
    await reconnect();
  });
  register('tceops.startEmulator', () =>
    startEmulator().catch((error) => {
      log.line(`the emulator did not start: ${(error as Error).message}`);
      void vscode.window.showErrorMessage(`The local emulator did not start: ${(error as Error).message}`);
    }),
  );
  register('tceops.stopEmulator', async () => {
    const running = emulator;
    emulator = undefined;
    await running?.stop();
    log.line('local emulator stopped');
    await reconnect();
  });
  register('tceops.chooseRegions', async () => {
    const settings = readSettings();
    let available: string[] = [];
    try {
      available = cloud ? (await cloud.source.regions()).map((r) => r.Region) : [];
    } catch (error) {
      log.line(`DescribeRegions failed: ${(error as Error).message}`);
    }
    let chosen: string[] | undefined;
    if (available.length) {
      const picked = await vscode.window.showQuickPick(
        available.map((r) => ({ label: r, picked: settings.regions.includes(r) })),
        { title: 'Regions to show (none: all)', canPickMany: true },
      );
      chosen = picked?.map((p) => p.label);
    } else {
      const typed = await vscode.window.showInputBox({
        title: 'Regions to show',
        prompt: 'Comma-separated, e.g. ap-guangzhou, ap-shanghai',
        value: settings.regions.join(', '),
      });
      chosen = typed
        ?.split(',')
        .map((r) => r.trim())
        .filter(Boolean);
    }
    if (chosen)
      await vscode.workspace.getConfiguration('tceops').update('regions', chosen, vscode.ConfigurationTarget.Global);
  });
  register('tceops.filter', async (group: GroupNode) => {
    const filter = await askFilter(provider.filterOf(group), prompts());
    if (filter) provider.setFilter(group, filter);
  });
  register('tceops.clearFilter', (group: GroupNode) => provider.setFilter(group, undefined));
  register('tceops.copyId', async (node: ResourceNode, nodes?: Node[]) => {
    const chosen = nodes?.some((n) => n.key === node.key) ? nodes : [node];
    const ids = chosen.filter((n): n is ResourceNode => n.type === 'resource').map((n) => n.id);
    await vscode.env.clipboard.writeText(ids.join(' '));
    vscode.window.setStatusBarMessage(`Copied ${ids.join(' ')}`, 3000);
  });
  register('tceops.showDetails', async (node: ResourceNode) => {
    let item = node.item;
    if (node.kind === 'instance' && cloud) {
      const [fresh] = await cloud.source.instancesById(node.region, [node.id]).catch(() => []);
      if (fresh) item = fresh;
    }
    const uri = DetailsProvider.uriOf(node.region, node.kind, node.id);
    details.set(uri, item);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'json');
    await vscode.window.showTextDocument(document, { preview: true });
  });
  for (const action of ACTIONS) {
    register(action.command, (node: Node, nodes?: Node[]) =>
      runAction(action.command, node, nodes, { engine: getEngine, actor, provider, log, ui: prompts }),
    );
  }

  context.subscriptions.push(
    view,
    provider,
    { dispose: () => log.dispose() },
    { dispose: () => void emulator?.stop() },
    { dispose: () => cloud?.close() },
    vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, details),
    view.onDidCollapseElement((event) => provider.collapsed(event.element)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('tceops')) void reconnect();
    }),
    context.secrets.onDidChange((event) => {
      if (event.key === SECRET_ID_KEY || event.key === SECRET_KEY_KEY) void reconnect();
    }),
  );

  return {
    provider,
    setPrompts,
    startEmulator,
    ready: () => connecting,
  };
}

export function deactivate(): void {}

function localUser(): string {
  try {
    return userInfo().username || 'vscode';
  } catch {
    return 'vscode';
  }
}
