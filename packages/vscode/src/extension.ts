/**
 * Activation: the explorer view, its commands, the connection (emulator, Sign In keys, tccli profile) and the
 * command pipeline. Everything with a decision in it lives in its own module; this file wires them together.
 */
import { userInfo } from 'node:os';
import path from 'node:path';
import { loadPolicy } from '@tceops/core';
import * as vscode from 'vscode';
import { createFileSystem, createInstance, openConsole } from './actions/create.ts';
import { noticeText, type ProgressFeed } from './actions/follow-stream.ts';
import { followFromServer, runAction } from './actions/run.ts';
import { decide, type Verb } from './approvals/decide.ts';
import { type ApprovalNode, ApprovalsProvider, announceFinal } from './approvals/view.ts';
import { type Cloud, openCloud } from './cloud.ts';
import { connectToServer, savedSession, signInToServer, signOutOfServer } from './server/sign-in.ts';
import {
  checkSecretId,
  checkSecretKey,
  type EmulatorSession,
  maskId,
  planConnection,
  SECRET_ID_KEY,
  SECRET_KEY_KEY,
} from './connection.ts';
import { ACTIONS } from './actions/definitions.ts';
import { DETAILS_SCHEME, DetailsProvider } from './details.ts';
import type { ApprovalSummary, EnginePort } from './engine-port.ts';
import { askFilter } from './filter.ts';
import { createLog } from './log.ts';
import { forgetSecret, redact, registerSecret, registerSecretId } from './redact.ts';
import { readSettings } from './settings.ts';
import { hasControl, sshArgs, sshCommandText, sshConfigEntry, type SshTarget, sshTarget } from './ssh.ts';
import { connectionActions, type StatusInfo, statusView } from './status.ts';
import type { GroupNode, LoadMoreNode, Node, ResourceNode } from './tree/nodes.ts';
import { type ConnectionState, ExplorerProvider } from './tree/provider.ts';
import { type Prompts, prompts, setPrompts } from './ui/prompts.ts';

export const VIEW_ID = 'tceops.explorer';
export const APPROVALS_VIEW_ID = 'tceops.approvals';
/** Connection settings: a change reconnects. Others (regions, page size, polling) apply without reconnecting. */
const CONNECTION_SETTINGS = ['endpoint', 'domain', 'profile', 'policyFile', 'store'];

/** What activate() returns: used by the integration tests inside a real extension host. */
export interface TceopsApi {
  provider: ExplorerProvider;
  approvals: ApprovalsProvider;
  /** What the status bar item shows now. */
  status(): { text: string; tooltip: string };
  /** The SSH terminals opened by Connect via SSH. */
  setPrompts(replacement: Prompts | undefined): void;
  startEmulator(): Promise<string>;
  sshTerminals: vscode.Terminal[];
  /** The last lines written to the TCE output channel, as written (tests check no secret is among them). */
  logLines(): string[];
  /** Settles once the connection is resolved after a settings or sign-in change. */
  ready(): Promise<void>;
  /** Closes the connection and its pipeline, as deactivation does; settles when the store is closed. */
  close(): Promise<void>;
}

export async function activate(context: vscode.ExtensionContext): Promise<TceopsApi> {
  const started = performance.now();
  const log = createLog();
  // Local mode: the OS user. Through a tceops server: the Slack user its whoami names (set on connecting).
  const localActor = { id: localUser(), name: localUser() };
  let actor = localActor;
  let emulator: { session: EmulatorSession; stop(): Promise<void> } | undefined;
  let cloud: Cloud | undefined;
  let connection: ConnectionState = { reason: 'Connecting…' };
  let engine: Promise<EnginePort> | undefined;
  let status: StatusInfo = { connected: false, emulator: false, where: '', reason: 'connecting' };
  let signedIn = false;
  /** Set while Sign In / Sign Out write the keys: their change events must not each reconnect. */
  let writingKeys = false;
  let lastConnected: string | undefined;
  const sshTerminals: vscode.Terminal[] = [];

  const statusItem = vscode.window.createStatusBarItem('tceops.connection', vscode.StatusBarAlignment.Left, 50);
  statusItem.name = 'TCE Connection';
  statusItem.command = 'tceops.connectionActions';
  const showStatus = () => {
    const view = statusView(status);
    statusItem.text = view.text;
    statusItem.tooltip = view.tooltip;
    statusItem.accessibilityInformation = { label: view.accessibility, role: 'button' };
    statusItem.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    statusItem.show();
  };
  showStatus();

  const provider = new ExplorerProvider({
    connection: () => connection,
    pollIntervalMs: () => readSettings().pollIntervalMs,
    progress: (work) => Promise.resolve(vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => work)),
    onLoading: (busy) => void vscode.commands.executeCommand('setContext', 'tceops.loading', busy),
    log: (line) => log.line(line),
    onRegions: (count) => {
      status = { ...status, regions: count };
      showStatus();
    },
  });
  const view = vscode.window.createTreeView(VIEW_ID, {
    treeDataProvider: provider,
    canSelectMany: true,
    showCollapseAll: true,
  });
  const approvals = new ApprovalsProvider({
    engine: () => getEngine(),
    connected: () => cloud !== undefined,
    me: () => actor.id,
    viaServer: () => status.server === true,
    intervalMs: () => readSettings().pollIntervalMs,
    follow: (feed) => cloud?.followApprovals?.(feed),
    log: (line) => log.line(line),
    onFinal: (a, followed) => {
      announceFinal(a);
      // A run followed on the stream has had its rows read at its end; otherwise the tree follows the targets.
      if (!followed)
        followTargets(
          a.plan.region,
          a.plan.targets.map((t) => t.id),
        );
    },
    onRun: (a, feed) => followRun(a, feed),
  });
  const approvalsView = vscode.window.createTreeView(APPROVALS_VIEW_ID, { treeDataProvider: approvals });
  const details = new DetailsProvider();

  /** The connection's store: the setting, else TCEOPS_STORE, else a folder in the extension's global storage. */
  const storeOf = (settings: { store: string }) =>
    settings.store || process.env.TCEOPS_STORE || `file:${path.join(context.globalStorageUri.fsPath, 'store')}`;

  async function connect(): Promise<void> {
    const settings = readSettings();
    const secretId = await context.secrets.get(SECRET_ID_KEY);
    const secretKey = await context.secrets.get(SECRET_KEY_KEY);
    const keys = secretId && secretKey ? { secretId, secretKey } : undefined;
    signedIn = Boolean(keys);
    registerSecret(secretKey);
    registerSecretId(secretId);
    await vscode.commands.executeCommand('setContext', 'tceops.signedIn', signedIn);
    await vscode.commands.executeCommand('setContext', 'tceops.emulatorRunning', Boolean(emulator));
    const plan = planConnection(settings, keys, emulator?.session, process.env);
    const previous = cloud;
    cloud = undefined;
    engine = undefined;
    actor = localActor;
    // The connection's pipeline (store, timers) goes with it: opened by an action or by the tree's first read.
    void previous?.close().catch(() => {});
    try {
      const store = storeOf(settings);
      // Signed in to a tceops server: the tree and every action go through it (server/sign-in.ts).
      const session = await savedSession(context.secrets);
      const server = session ? await connectToServer(session, context.secrets) : undefined;
      actor = server ? { id: server.me.user.id, name: server.me.user.name ?? server.me.user.id } : localActor;
      cloud = server ? server.cloud : openCloud(plan, { policyFile: settings.policyFile, store, actor });
      connection = {
        key: session ? `server:${session.server}` : plan.key,
        label: session ? 'tceops server' : plan.label,
        description: session ? session.server : plan.description,
        source: cloud.source,
        regions: settings.regions,
        pageSize: settings.pageSize,
      };
      status = {
        connected: true,
        emulator: !session && plan.source === 'emulator',
        server: Boolean(session),
        where: session ? session.server : plan.where,
        identity: cloud.identity,
        regions: settings.regions.length || undefined,
      };
      // Once per connection, however many events (settings, secrets) led here.
      const said = session
        ? `connected: tceops server ${session.server} (${cloud.identity})`
        : `connected: ${plan.label} (${plan.description}); keys ${cloud.identity} from ${cloud.credentialSource}`;
      if (said !== lastConnected) log.line(said);
      lastConnected = said;
      checkPolicy(settings.policyFile);
      await vscode.commands.executeCommand('setContext', 'tceops.noConnection', false);
    } catch (error) {
      const reason = (error as Error).message;
      log.line(`not connected: ${reason}`);
      connection = { reason };
      lastConnected = undefined;
      status = { connected: false, emulator: false, where: plan.where, reason: reason.split('\n')[0] };
      // The welcome view offers Sign In and the emulator (a view message would hide it); the status bar
      // item's tooltip and the log say why.
      await vscode.commands.executeCommand('setContext', 'tceops.noConnection', true);
    }
    showStatus();
    provider.refresh();
    void approvals.restart();
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
  let queued: Promise<void> | undefined;
  /** Reconnect once, after the connection in progress: several triggers in a row share one reconnect. */
  const reconnect = () => {
    queued ??= connecting.then(
      () => {
        queued = undefined;
        return connect();
      },
      () => {
        queued = undefined;
        return connect();
      },
    );
    connecting = queued;
    return queued;
  };

  async function closeConnection(): Promise<void> {
    const closing = cloud;
    cloud = undefined;
    engine = undefined;
    await closing?.close().catch(() => {});
  }

  /** The tceops server's URL while the connection goes through one. */
  const signedInServer = () => (status.server ? status.where : undefined);

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

  /**
   * Sign In checks the keys with one cheap read (the regions) before keeping them, through a pipeline opened on them
   * like any connection's: the policy decides the read and the audit records it.
   */
  async function checkKeys(secretId: string, secretKey: string): Promise<string | undefined> {
    const settings = readSettings();
    const plan = planConnection(settings, { secretId, secretKey }, undefined, process.env);
    // Local keys, a local pipeline: recorded as the local user, even while signed in to a server as someone else.
    const trial = openCloud(plan, { policyFile: settings.policyFile, store: storeOf(settings), actor: localActor });
    try {
      await trial.source.regions();
      return undefined;
    } catch (error) {
      const e = error as { code?: string; message: string };
      return `${e.code ? `${e.code}: ` : ''}${e.message.split('\n')[0]}`;
    } finally {
      await trial.close();
    }
  }

  const register = (id: string, handler: (...args: never[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown));

  // The view's Refresh reloads everything (whatever is selected); a row's own Refresh reloads that row.
  // Reloads the rows, not the connection: an action waiting at its confirmation keeps its pipeline.
  register('tceops.refresh', async () => {
    await connecting;
    // Not connected (a server that did not answer, say): try again rather than reload nothing.
    if (!cloud) await reconnect();
    provider.refresh();
    await approvals.reload();
  });
  register('tceops.refreshItem', (node?: Node) => (node ? provider.refreshItem(node) : provider.refresh()));
  register('tceops.retry', async (node: Node) => {
    provider.refresh(node);
    // The retry row goes away with the reload: put the focus back on the node that was retried.
    await provider.getChildren(node);
    await view.reveal(node, { select: true, focus: true, expand: true }).then(undefined, () => {});
  });
  register('tceops.showLog', () => log.show());
  register('tceops.openSettings', () =>
    vscode.commands.executeCommand('workbench.action.openSettings', '@ext:tceops.tceops-vscode'),
  );
  register('tceops.connectionActions', async () => {
    const actions = connectionActions({ connected: status.connected, emulator: Boolean(emulator), signedIn });
    const view = statusView(status);
    const picked = await vscode.window.showQuickPick(
      actions.map((a) => ({ label: a.label, command: a.command })),
      { title: view.tooltip.split('\n')[0], placeHolder: view.tooltip.split('\n').slice(0, 3).join(' · ') },
    );
    if (picked) await vscode.commands.executeCommand(picked.command);
  });
  register('tceops.cancelLoading', () => provider.cancelLoading());
  register('tceops.loadMore', (node: LoadMoreNode) => provider.loadMore(node));
  register('tceops.signIn', async () => {
    const ui = prompts();
    const secretId = await ui.input('Sign in to TCE (1/2)', 'SecretId', { validate: checkSecretId });
    if (secretId === undefined) return;
    const secretKey = await ui.secret(
      'Sign in to TCE (2/2)',
      'SecretKey (kept in VS Code secret storage)',
      checkSecretKey,
    );
    if (secretKey === undefined) return;
    registerSecret(secretKey);
    registerSecretId(secretId.trim());
    const problem = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Checking the keys with TCE…' },
      () => checkKeys(secretId.trim(), secretKey),
    );
    if (problem) {
      log.line(`sign in refused: ${problem}`);
      const auth = /^AuthFailure|InvalidCredential|SecretId|signature/i.test(problem);
      if (auth) {
        void vscode.window.showErrorMessage(`TCE refused these keys: ${redact(problem)}. Nothing was stored.`);
        return;
      }
      const keep = await ui.confirm(
        'The keys could not be checked',
        `${redact(problem)}\n\nKeep them anyway (for example, the endpoint is not reachable from here yet)?`,
        'Keep the Keys',
      );
      if (!keep) return;
    }
    writingKeys = true;
    try {
      await context.secrets.store(SECRET_ID_KEY, secretId.trim());
      await context.secrets.store(SECRET_KEY_KEY, secretKey);
    } finally {
      writingKeys = false;
    }
    log.line(`signed in as ${maskId(secretId.trim())}; keys stored in VS Code secret storage`);
    await reconnect();
  });
  register('tceops.signOut', async () => {
    forgetSecret(await context.secrets.get(SECRET_KEY_KEY));
    writingKeys = true;
    try {
      await context.secrets.delete(SECRET_ID_KEY);
      await context.secrets.delete(SECRET_KEY_KEY);
    } finally {
      writingKeys = false;
    }
    log.line('signed out; keys removed from secret storage');
    await reconnect();
  });
  register('tceops.signInServer', async () => {
    try {
      const session = await signInToServer(vscode, context.secrets, { log: (line) => log.line(line) });
      if (session) await reconnect();
    } catch (error) {
      log.line(`sign-in to the server failed: ${(error as Error).message}`);
      void vscode.window.showErrorMessage(`Sign-in failed: ${(error as Error).message}`);
    }
  });
  register('tceops.signOutServer', async () => {
    await signOutOfServer(context.secrets);
    log.line('signed out of the tceops server');
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
    let available: { Region: string; RegionName?: string }[] = [];
    try {
      available = cloud ? await cloud.source.regions() : [];
    } catch (error) {
      log.line(`DescribeRegions failed: ${(error as Error).message}`);
    }
    let chosen: string[] | undefined;
    if (available.length) {
      const picked = await vscode.window.showQuickPick(
        available.map((r) => ({
          label: r.Region,
          description: r.RegionName,
          picked: settings.regions.includes(r.Region),
        })),
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
  register('tceops.filter', async (group?: GroupNode) => {
    // From the keybinding there is no argument: filter the instances of the selected node's region.
    const target = group ?? (await instancesGroupOf(view.selection[0]));
    if (!target) {
      void vscode.window.showInformationMessage(
        'Select a region (or something in it) in the TCE Explorer to filter its instances.',
      );
      return;
    }
    const filter = await askFilter(provider.filterOf(target), prompts());
    if (filter) provider.setFilter(target, filter);
  });
  register('tceops.clearFilter', (group: GroupNode) => provider.setFilter(group, undefined));
  register('tceops.copyId', async (node: ResourceNode, nodes?: Node[]) => {
    const chosen = nodes?.some((n) => n.key === node.key) ? nodes : [node];
    const ids = chosen.filter((n): n is ResourceNode => n.type === 'resource').map((n) => n.id);
    await vscode.env.clipboard.writeText(ids.join(' '));
    vscode.window.setStatusBarMessage(`Copied ${ids.join(' ')}`, 3000);
  });
  register('tceops.showDetails', async (node?: ResourceNode, options?: { preserveFocus?: boolean }) => {
    node ??= view.selection.find((n): n is ResourceNode => n.type === 'resource');
    if (node?.type !== 'resource') return;
    let item = node.item;
    if (node.kind === 'instance' && cloud) {
      const [fresh] = await cloud.source.instancesById(node.region, [node.id]).catch(() => []);
      if (fresh) item = fresh;
    }
    const uri = DetailsProvider.uriOf(node.region, node.kind, node.id);
    details.set(uri, item);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'json');
    await vscode.window.showTextDocument(document, { preview: true, preserveFocus: options?.preserveFocus === true });
  });
  for (const action of ACTIONS) {
    register(action.command, (node: Node, nodes?: Node[]) =>
      runAction(action.command, node, nodes, {
        engine: getEngine,
        actor,
        provider,
        log,
        ui: prompts,
        onApproval: (a) => approvals.track(a),
        server: signedInServer(),
      }),
    );
  }

  // Create Instance…, Create File System…, Open Console: their own steps, the same pipeline.
  const createDeps = () => ({
    engine: getEngine,
    actor,
    provider,
    log,
    ui: prompts,
    onApproval: (a: ApprovalSummary) => approvals.track(a),
    server: signedInServer(),
  });
  register('tceops.instance.create', (node?: Node) => createInstance(node, createDeps()));
  register('tceops.filesystem.create', (node?: Node) => createFileSystem(node, createDeps()));
  register('tceops.instance.openConsole', (node?: Node) => openConsole(node, createDeps()));

  // ---- Approvals -------------------------------------------------------------------------------------------------
  const decideWith = (verb: Verb) => async (node?: ApprovalNode) => {
    if (node?.type !== 'approval') return undefined;
    const outcome = await decide(verb, node.approval, {
      engine: getEngine,
      ctx: { actor, surface: 'vscode', region: node.approval.plan.region },
      ui: prompts(),
      log,
      provider,
    });
    await approvals.reload();
    return outcome;
  };
  register('tceops.approval.approve', decideWith('approve'));
  register('tceops.approval.deny', decideWith('deny'));
  register('tceops.approval.cancel', decideWith('cancel'));
  register(
    'tceops.approval.dismiss',
    (node?: ApprovalNode) => node?.type === 'approval' && approvals.dismiss(node.approval.id),
  );
  register('tceops.approval.copyCommand', async (node?: ApprovalNode) => {
    if (node?.type !== 'approval') return;
    await vscode.env.clipboard.writeText(`approve ${node.approval.id}`);
    vscode.window.setStatusBarMessage(`Copied "approve ${node.approval.id}"`, 3000);
  });
  register('tceops.approvals.refresh', () => approvals.reload());

  // ---- Connect to an instance ------------------------------------------------------------------------------------
  /** The ssh target of an instance; asks for the key file when its key pair has none set. */
  async function sshFor(node?: Node): Promise<SshTarget | undefined> {
    if (node?.type !== 'resource' || node.kind !== 'instance') return undefined;
    const config = vscode.workspace.getConfiguration('tceops');
    const settings = {
      user: String(config.get('ssh.user', 'root') ?? 'root'),
      keyFiles: { ...(config.get<Record<string, string>>('ssh.keyFiles', {}) ?? {}) },
    };
    let target = sshTarget(node.item, settings);
    if ('problem' in target) {
      void vscode.window.showErrorMessage(`Cannot connect to ${node.id}: ${target.problem}.`);
      return undefined;
    }
    if (target.missingKeyId) {
      const keyId = target.missingKeyId;
      const file = await prompts().input(
        `Private key for key pair ${keyId}`,
        `Path of the private key file for ${keyId} (saved in tceops.ssh.keyFiles). Empty: connect without a key.`,
        { placeHolder: '~/.ssh/id_rsa', validate: (v) => (hasControl(v) ? 'No control characters' : undefined) },
      );
      if (file === undefined) return undefined;
      if (file.trim()) {
        settings.keyFiles[keyId] = file.trim();
        await config.update('ssh.keyFiles', settings.keyFiles, vscode.ConfigurationTarget.Global);
        target = sshTarget(node.item, settings) as SshTarget;
      }
    }
    return target;
  }
  register('tceops.instance.connectSsh', async (node?: Node) => {
    const target = await sshFor(node);
    if (!target) return undefined;
    // ssh itself is the terminal's process: its arguments are never parsed by a shell.
    const terminal = vscode.window.createTerminal({
      name: `ssh ${target.user}@${target.address}`,
      shellPath: 'ssh',
      shellArgs: sshArgs(target),
      iconPath: new vscode.ThemeIcon('remote'),
    });
    sshTerminals.push(terminal);
    terminal.show();
    log.line(`Connect via SSH: ${sshCommandText(target)}`);
    return terminal;
  });
  register('tceops.instance.copySshCommand', async (node?: Node) => {
    const target = await sshFor(node);
    if (!target) return undefined;
    const text = sshCommandText(target);
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(`Copied: ${text}`, 4000);
    return text;
  });
  register('tceops.instance.openRemoteSsh', async (node?: Node) => {
    const target = await sshFor(node);
    if (!target) return;
    if (target.keyFile) {
      // Remote-SSH takes the key from ~/.ssh/config, not from arguments: offer the entry to paste there.
      const choice = await vscode.window.showInformationMessage(
        `Remote-SSH reads the key for ${target.address} from ~/.ssh/config.`,
        'Copy Config Entry',
        'Open',
      );
      if (choice === 'Copy Config Entry') await vscode.env.clipboard.writeText(sshConfigEntry(target));
      if (choice === undefined) return;
    }
    await vscode.commands.executeCommand('vscode.newWindow', {
      remoteAuthority: `ssh-remote+${target.user}@${target.address}`,
      reuseWindow: false,
    });
  });
  const remoteSsh = () =>
    void vscode.commands.executeCommand(
      'setContext',
      'tceops.remoteSshInstalled',
      Boolean(vscode.extensions.getExtension('ms-vscode-remote.remote-ssh')),
    );
  remoteSsh();

  /** A request decided elsewhere ran: follow its instances until they settle (or go); reload other lists. */
  function followTargets(region: string, ids: string[]): void {
    const nodes = provider.loadedResources(undefined, region).filter((n) => ids.includes(n.id));
    const instances = nodes.filter((n) => n.kind === 'instance');
    provider.watch(instances);
    if (instances.length) void provider.polling.tick();
    for (const parent of new Set(nodes.filter((n) => n.kind !== 'instance').map((n) => n.parent)))
      if (parent) provider.refresh(parent);
  }

  /**
   * One of my requests runs on the server, which streams its progress: its rows and a notice follow it as they do
   * an action of mine (follow-stream.ts). Only when every target is an instance row shown here; else as before.
   */
  function followRun(a: ApprovalSummary, feed: ProgressFeed): boolean {
    const ids = a.plan.targets.map((t) => t.id);
    const nodes = provider.loadedResources('instance', a.plan.region).filter((n) => ids.includes(n.id));
    if (nodes.length === 0 || nodes.length !== ids.length) return false;
    const title = `Request ${noticeText(a.id)}`;
    void followFromServer(title, nodes, a.plan.hash, feed, createDeps(), () => followTargets(a.plan.region, ids));
    return true;
  }

  /** The Instances group of the region a node is in (for the filter keybinding). */
  async function instancesGroupOf(node: Node | undefined): Promise<GroupNode | undefined> {
    let region: Node | undefined = node;
    while (region && region.type !== 'region') region = region.parent;
    if (!region) return undefined;
    const children = await provider.getChildren(region);
    return children.find((n): n is GroupNode => n.type === 'group' && n.group === 'instances');
  }

  context.subscriptions.push(
    view,
    approvalsView,
    statusItem,
    provider,
    approvals,
    { dispose: () => log.dispose() },
    { dispose: () => void emulator?.stop() },
    { dispose: () => void closeConnection() },
    vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, details),
    view.onDidCollapseElement((event) => provider.collapsed(event.element)),
    // Actions on a selection of several: the menus then offer each action the selection has a target for.
    view.onDidChangeSelection(
      (event) => void vscode.commands.executeCommand('setContext', 'tceops.multiSelection', event.selection.length > 1),
    ),
    approvalsView.onDidChangeVisibility((event) => approvals.setVisible(event.visible)),
    vscode.extensions.onDidChange(remoteSsh),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (CONNECTION_SETTINGS.some((key) => event.affectsConfiguration(`tceops.${key}`))) {
        void reconnect();
      } else if (event.affectsConfiguration('tceops.regions') || event.affectsConfiguration('tceops.pageSize')) {
        // The same connection with other regions or pages: reload the tree in place (expanded nodes stay open).
        const settings = readSettings();
        if ('source' in connection)
          connection = { ...connection, regions: settings.regions, pageSize: settings.pageSize };
        status = { ...status, regions: settings.regions.length || undefined };
        showStatus();
        provider.refresh();
      }
    }),
    context.secrets.onDidChange((event) => {
      if (writingKeys) return;
      if (event.key === SECRET_ID_KEY || event.key === SECRET_KEY_KEY) void reconnect();
    }),
  );
  approvals.setVisible(approvalsView.visible);
  log.line(`activated in ${Math.round(performance.now() - started)} ms`);

  return {
    provider,
    approvals,
    setPrompts,
    startEmulator,
    status: () => ({ text: statusItem.text, tooltip: String(statusItem.tooltip ?? '') }),
    logLines: () => log.recent(),
    sshTerminals,
    ready: () => connecting,
    close: closeConnection,
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
