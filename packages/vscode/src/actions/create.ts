/**
 * What the tree creates, and the console: multi-step quick picks whose every list is read through the pipeline
 * (`zones`, `cvm types --zone Z`, `cvm images`, `cvm keypairs`, `cfs pgroups` — so the policy applies to reads
 * too), ending in one command text sent like every other action: `cvm run …`, `cfs create …`, `cvm console …`.
 */
import { inert } from '@tceops/core';
import * as vscode from 'vscode';
import type { CommandContext, EnginePort, Outcome } from '../engine-port.ts';
import type { Node, ResourceNode } from '../tree/nodes.ts';
import type { QuickPickChoice } from '../ui/prompts.ts';
import { stepProgress } from '../ui/progress.ts';
import { label, quote } from './definitions.ts';
import { errorOutcome, type Settled, settle } from './outcome.ts';
import { listenForProgress, type ProgressFeed } from './follow-stream.ts';
import { type ActionDeps, followFromServer, reportEndState, sendText, unavailable } from './run.ts';

type Row = Record<string, string>;

/**
 * Text from the cloud or the user, safe to show in a quick pick or message: controls and invisible characters
 * written out, and `$(name)` — which VS Code draws as an icon — shown as typed.
 */
export function shownText(text: string): string {
  return inert(text).replace(/\$\(/g, '\\$(');
}

/** A name box refuses what would not read back as typed: controls and invisible (format) characters. */
function nameProblem(value: string, max: number): string | undefined {
  if (!value.trim()) return 'Give a name';
  if (value.length > max) return `A name is at most ${max} characters`;
  if (inert(value) !== value || /[\u0080-\u009f]/.test(value)) return 'No control or invisible characters in a name';
  return undefined;
}

class Stop extends Error {}

/** One read through the pipeline: its table rows, or a Stop after the reason is shown. */
async function read(deps: ActionDeps, text: string, region: string, title: string): Promise<Row[]> {
  const ctx: CommandContext = { actor: deps.actor, surface: 'vscode', region };
  let outcome: Outcome;
  try {
    const engine = await deps.engine();
    outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `${title}: reading ${text.split(' --')[0]}…` },
      () => engine.run(text, ctx),
    );
  } catch (error) {
    outcome = errorOutcome(error);
  }
  if (outcome.kind === 'table') return outcome.view.rows;
  const why =
    outcome.kind === 'error'
      ? outcome.error.message
      : outcome.kind === 'denied'
        ? `not allowed: ${outcome.reason}`
        : `the pipeline answered ${outcome.kind}`;
  deps.log.line(`${title}: could not read "${text}": ${why}`);
  void vscode.window.showErrorMessage(`${title}: could not read ${text.split(' --')[0]}: ${shownText(why)}`);
  throw new Stop();
}

/** Ask one step of a pick; stop when dismissed or when there is nothing to choose. */
async function pick(deps: ActionDeps, title: string, choices: QuickPickChoice[], none: string): Promise<string> {
  if (choices.length === 0) {
    void vscode.window.showWarningMessage(none);
    throw new Stop();
  }
  const chosen = await deps.ui().pick(title, choices);
  if (chosen === undefined) throw new Stop();
  return chosen;
}

async function askName(deps: ActionDeps, title: string, prompt: string, max: number): Promise<string> {
  const name = await deps.ui().input(title, prompt, { validate: (v) => nameProblem(v, max) });
  if (name === undefined) throw new Stop();
  return name.trim();
}

async function zone(deps: ActionDeps, region: string, title: string, step: string): Promise<string> {
  const zones = (await read(deps, 'zones', region, title)).filter((z) => !z.state || z.state === 'AVAILABLE');
  return pick(
    deps,
    `${title} ${step}: zone`,
    zones.map((z) => ({ label: z.id!, description: shownText(z.name ?? ''), value: z.id! })),
    `${title}: no available zone in ${region}.`,
  );
}

/** The region a create runs in: the clicked node's (a region, its Instances or File Systems, a row in them). */
function regionOf(node: Node | undefined): string | undefined {
  return node && 'region' in node ? node.region : undefined;
}

/** The Instances or File Systems node at or above the clicked one, to reload after a create. */
function groupOf(node: Node | undefined, group: 'instances' | 'filesystems'): Node | undefined {
  for (let n = node; n; n = n.parent) if (n.type === 'group' && n.group === group) return n;
  return undefined;
}

/**
 * Create Instance…: zone → type with its list price → image → key pair → name → a summary with the price, then
 * `cvm run` through the pipeline, whose confirmation carries TCE's quote (InquiryPriceRunInstances) and verdict.
 */
export async function createInstance(node: Node | undefined, deps: ActionDeps): Promise<Settled> {
  const title = 'Create Instance';
  const region = regionOf(node);
  if (!region) {
    void vscode.window.showWarningMessage(`${title}: choose a region's Instances in the TCE Explorer first.`);
    return { kind: 'cancelled' };
  }
  let text: string;
  try {
    const z = await zone(deps, region, title, '(1/6)');
    const types = (await read(deps, `cvm types --zone ${z}`, region, title)).filter(
      (t) => !t.status || t.status === 'SELL',
    );
    const type = await pick(
      deps,
      `${title} (2/6): instance type in ${z}`,
      types.map((t) => ({
        label: t.type!,
        description: t.price || 'no list price',
        detail: `${t.cpu} vCPU, ${t.memory} GB${t.family ? ` · ${t.family}` : ''}`,
        value: t.type!,
      })),
      `${title}: ${z} sells no instance type (pay-as-you-go).`,
    );
    const chosenType = types.find((t) => t.type === type)!;
    const images = [
      ...(await read(deps, 'cvm images', region, title)),
      ...(await read(deps, 'cvm images --type PUBLIC_IMAGE', region, title)),
    ].filter((i) => !i.state || i.state === 'NORMAL');
    const image = await pick(
      deps,
      `${title} (3/6): image`,
      images.map((i) => ({
        label: shownText(i.name || i.id!),
        description: `${i.id} · ${i.type === 'PUBLIC_IMAGE' ? 'public' : i.type === 'SHARED_IMAGE' ? 'shared' : 'custom'}`,
        detail: shownText(i.os ?? ''),
        value: i.id!,
      })),
      `${title}: no image to launch from in ${region}.`,
    );
    const keypairs = await read(deps, 'cvm keypairs', region, title);
    const keypair = await pick(
      deps,
      `${title} (4/6): key pair to log in with`,
      [
        ...keypairs.map((k) => ({ label: shownText(k.name || k.id!), description: k.id, value: k.id! })),
        {
          label: 'No key pair',
          description: 'TCE generates a password and sends it by station message',
          value: '-',
        },
      ],
      '',
    );
    const name = await askName(deps, `${title} (5/6): name`, 'Name of the new instance (at most 60 characters)', 60);
    text = `cvm run --zone ${z} --type ${type} --image ${image}${keypair === '-' ? '' : ` --keypair ${keypair}`} --name ${quote(name)}`;
    const imageRow = images.find((i) => i.id === image)!;
    const keyRow = keypairs.find((k) => k.id === keypair);
    const go = await pick(
      deps,
      `${title} (6/6): launch "${shownText(name)}"?`,
      [
        {
          label: 'Launch',
          description: chosenType.price ? `${chosenType.price} (list price of ${type})` : 'no list price',
          detail: [
            `"${shownText(name)}"`,
            `${type} (${chosenType.cpu} vCPU, ${chosenType.memory} GB)`,
            z,
            `${shownText(imageRow.name || image)} (${image})`,
            keyRow ? `key pair ${shownText(keyRow.name || keypair)} (${keypair})` : 'password by station message',
          ].join(' · '),
          value: 'launch',
        },
        { label: 'Cancel', value: 'cancel' },
      ],
      '',
    );
    if (go !== 'launch') throw new Stop();
  } catch (error) {
    if (error instanceof Stop) return { kind: 'cancelled' };
    throw error;
  }
  // Through a server, listen before sending: the launch's progress streams in on the command's own response.
  const feed = await deps.engine().then(listenForProgress, () => undefined);
  // Followed to RUNNING, and that is what the user is told (not "done" first).
  const settled = await sendText(text, region, title, deps, true);
  if (settled.kind === 'done') void followLaunched(settled, region, node, deps, feed);
  else feed?.stop();
  return settled;
}

/**
 * Reload Instances, then follow the new instances to RUNNING and say where they ended: on the server's stream
 * when signed in to one (`feed`), else by polling them.
 */
async function followLaunched(
  settled: Extract<Settled, { kind: 'done' }>,
  region: string,
  clicked: Node | undefined,
  deps: ActionDeps,
  feed: ProgressFeed | undefined,
): Promise<void> {
  const ids = settled.results.filter((r) => r.ok && r.id.startsWith('ins-')).map((r) => r.id);
  const group = groupOf(clicked, 'instances');
  let loaded: Node[] = [];
  if (group) {
    deps.provider.refresh(group);
    loaded = await deps.provider.getChildren(group).catch(() => []);
  }
  const nodes = ids.map(
    (id): ResourceNode =>
      (loaded.find((n) => n.type === 'resource' && n.id === id) as ResourceNode | undefined) ?? {
        // Not on the first page of a long list: followed on its own.
        type: 'resource',
        kind: 'instance',
        key: `${group?.key ?? region}/launched/instance:${id}`,
        region,
        id,
        item: { InstanceId: id, InstanceState: 'PENDING' },
        parent: group,
      },
  );
  // Tracked, not watched: a new instance that already shows RUNNING is done (watching waits for a state change).
  const poll = () => {
    for (const node of nodes) deps.provider.polling.track(node);
    void deps.provider.polling.tick();
  };
  if (!nodes.length) return feed?.stop();
  if (feed) {
    // The stream follows them: the tree does not poll the rows its reload found PENDING.
    for (const node of nodes) deps.provider.polling.forget(node);
    return followFromServer('Create Instance', nodes, settled.plan.hash, feed, deps, poll);
  }
  poll();
  await reportEndState({ title: 'Create Instance' }, nodes, deps);
}

/** Create File System…: zone → protocol → permission group → network → name, then `cfs create`. */
export async function createFileSystem(node: Node | undefined, deps: ActionDeps): Promise<Settled> {
  const title = 'Create File System';
  const region = regionOf(node);
  if (!region) {
    void vscode.window.showWarningMessage(`${title}: choose a region's File Systems in the TCE Explorer first.`);
    return { kind: 'cancelled' };
  }
  let text: string;
  try {
    const z = await zone(deps, region, title, '(1/5)');
    const protocol = await pick(
      deps,
      `${title} (2/5): protocol`,
      [
        { label: 'NFS', description: 'Linux and Unix clients', value: 'NFS' },
        { label: 'CIFS', description: 'Windows clients (SMB)', value: 'CIFS' },
      ],
      '',
    );
    const groups = await read(deps, 'cfs pgroups', region, title);
    const pgroup = await pick(
      deps,
      `${title} (3/5): permission group`,
      groups.map((g) => ({
        label: shownText(g.name || g.id!),
        description: g.id,
        detail: shownText(g.description ?? ''),
        value: g.id!,
      })),
      `${title}: ${region} has no permission group; create one first.`,
    );
    // CreateCfsFileSystem needs a network: a VPC and subnet, or the basic network. There is no VPC list
    // command, so the IDs are typed and checked for their shape here, and by the core again.
    const network = await pick(
      deps,
      `${title} (4/5): network`,
      [
        { label: 'VPC', description: 'give the VPC and subnet IDs of the mount target', value: 'vpc' },
        { label: 'Basic network', description: '--basic', value: 'basic' },
      ],
      '',
    );
    let where = ' --basic';
    if (network === 'vpc') {
      const idOf = async (what: string, prefix: string) => {
        const id = await deps.ui().input(`${title} (4/5): ${what}`, `${what} ID of the mount target`, {
          placeHolder: `${prefix}abcd1234`,
          validate: (v) =>
            new RegExp(`^${prefix}[a-z0-9]{8}$`).test(v.trim()) ? undefined : `An ID like ${prefix}abcd1234`,
        });
        if (id === undefined) throw new Stop();
        return id.trim();
      };
      where = ` --vpc ${await idOf('VPC', 'vpc-')} --subnet ${await idOf('Subnet', 'subnet-')}`;
    }
    const name = await askName(deps, `${title} (5/5): name`, 'Name of the file system (at most 64 characters)', 64);
    text = `cfs create --zone ${z} --protocol ${protocol} --pgroup ${pgroup}${where} --name ${quote(name)}`;
  } catch (error) {
    if (error instanceof Stop) return { kind: 'cancelled' };
    throw error;
  }
  const settled = await sendText(text, region, title, deps);
  const group = groupOf(node, 'filesystems');
  if (settled.kind === 'done' && group) deps.provider.refresh(group);
  return settled;
}

/** Schemes a console address may have: a web page or TCE's VNC websocket. Anything else is not opened. */
const CONSOLE_SCHEMES = /^(https|wss):\/\//i;

/**
 * Open Console: asks first (the address logs in to the instance), reads `cvm console` through the pipeline and
 * hands the address to the browser. The address is never written to the log or a notification.
 */
export async function openConsole(node: Node | undefined, deps: ActionDeps): Promise<Settled> {
  const title = 'Open Console';
  if (node?.type !== 'resource' || node.kind !== 'instance') {
    void vscode.window.showWarningMessage(`${title}: choose an instance in the TCE Explorer first.`);
    return { kind: 'cancelled' };
  }
  const name = shownText(label(node));
  const ok = await deps
    .ui()
    .confirm(
      `Open the console of ${name} (${node.id})?`,
      'This opens a remote console in your browser that can log in to the instance. The address is valid for a short time; anyone who has it is at the login prompt, so it is not logged or shown here.',
      title,
    );
  if (!ok) return { kind: 'cancelled' };
  const ctx: CommandContext = { actor: deps.actor, surface: 'vscode', region: node.region };
  const text = `cvm console ${node.id}`;
  deps.log.line(`${deps.actor.id} (${node.region}): ${text}`);
  let outcome: Outcome;
  let engine: EnginePort | undefined;
  try {
    engine = await deps.engine();
    const ready = engine;
    outcome = await stepProgress(`${title}…`, () => ready.run(text, ctx));
  } catch (error) {
    outcome = errorOutcome(error);
  }
  if (outcome.kind !== 'detail') {
    // A policy may refuse it or ask for an approval: answered like any action (never a URL in these).
    return settle(outcome, {
      engine: engine ?? unavailable,
      ctx,
      ui: deps.ui(),
      log: deps.log,
      title,
      progress: (_t, work) => work(),
      onApproval: deps.onApproval,
      server: deps.server,
    });
  }
  const url = String(outcome.item.InstanceVncUrl ?? '');
  if (!CONSOLE_SCHEMES.test(url)) {
    const text = `${title}: TCE gave no console address for ${name} that can be opened (expected https or wss).`;
    deps.log.line(text);
    void vscode.window.showErrorMessage(text);
    return { kind: 'error', error: { message: text } };
  }
  const opened = await vscode.env.openExternal(vscode.Uri.parse(url));
  // Not even the RequestId: a VNC token may be derived from it (the emulator's is the same string).
  deps.log.line(`${title}: ${opened ? 'opened' : 'could not open'} the console of ${node.id} in the browser`);
  if (!opened) void vscode.window.showWarningMessage(`${title}: the browser did not open the console of ${name}.`);
  return { kind: 'info', text: `${title}: ${node.id}` };
}
