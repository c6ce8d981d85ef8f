/**
 * `/tce cvm run` with no options opens the launch form. Everything it shows comes from the engine's own reads
 * (zones, `cvm types` with prices, images, key pairs) and a dry run of the launch it stands for, so the price and
 * TCE's verdict are the ones the plan will carry; each choice refreshes them. Submitting runs the `cvm run …` text
 * through the engine like a typed command: plan, policy, confirmation or approval as usual.
 */
import type { App, BlockAction, ViewSubmitAction } from '@slack/bolt';
import {
  type LaunchChoice,
  type LaunchMetadata,
  type LaunchOptions,
  LAUNCH,
  launchCommand,
  launchModal,
  launchPriceText,
} from '../blocks/launch.ts';
import { plainText, section } from '../blocks/common.ts';
import { VIEW } from '../blocks/ids.ts';
import { type CommandContext, priceText } from '../core.ts';
import { contextFor, interactionUser } from '../identity.ts';
import type { Deps } from './deps.ts';
import { deliver } from './deliver.ts';
import type { Reply } from './reply.ts';
import { safely } from './safe.ts';

/** The command text that opens the form instead of running. */
export const LAUNCH_FORM = /^cvm\s+run\s*$/i;

async function rows(deps: Deps, ctx: CommandContext, text: string): Promise<Record<string, string>[]> {
  const outcome = await safely(deps, 'run', () => deps.engine.run(text, ctx));
  return outcome.kind === 'table' ? outcome.view.rows : [];
}

async function gather(deps: Deps, ctx: CommandContext, zone: string | undefined): Promise<LaunchOptions> {
  const zones = (await rows(deps, ctx, 'zones')).map((r) => r.id!).filter(Boolean);
  const chosen = zone && zones.includes(zone) ? zone : zones[0];
  const types = chosen
    ? (await rows(deps, ctx, `cvm types --zone ${chosen}`)).map((r) => ({
        value: r.type!,
        label: `${r.type} · ${r.cpu} CPU ${r.memory} GB · ${r.price}`,
      }))
    : [];
  const images = (await rows(deps, ctx, 'cvm images --limit 100')).map((r) => ({
    value: r.id!,
    label: `${r.name || r.id} (${r.id})`,
  }));
  const keypairs = (await rows(deps, ctx, 'cvm keypairs --limit 100')).map((r) => ({
    value: r.id!,
    label: `${r.name || r.id} (${r.id})`,
  }));
  return { zones, types, images, keypairs };
}

/** The price and TCE's verdict of the launch as chosen so far, from a dry run through the engine. */
async function priceOf(deps: Deps, ctx: CommandContext, choice: LaunchChoice): Promise<string> {
  const { text } = launchCommand({ ...choice, name: choice.name || 'new-instance' });
  if (!text) return '';
  const outcome = await safely(deps, 'run', () => deps.engine.run(text, ctx, { dryRun: true }));
  if (outcome.kind === 'dry-run')
    return launchPriceText({
      price: outcome.plan.price ? priceText(outcome.plan.price) : undefined,
      verdict: (outcome.plan.verdict ?? []).map((v) => v.detail),
    });
  if (outcome.kind === 'error') return launchPriceText({ refused: outcome.error.message.split('\n')[0] });
  return '';
}

/** Defaults and corrections: the zone's first type when the chosen one is not sold there. */
function settle(options: LaunchOptions, choice: LaunchChoice): LaunchChoice {
  const zone = choice.zone && options.zones.includes(choice.zone) ? choice.zone : options.zones[0];
  const type = options.types.some((t) => t.value === choice.type) ? choice.type : options.types[0]?.value;
  const image = options.images.some((i) => i.value === choice.image) ? choice.image : options.images[0]?.value;
  return { ...choice, zone, type, image };
}

async function build(deps: Deps, ctx: CommandContext, choice: LaunchChoice, metadata: LaunchMetadata) {
  const options = await gather(deps, ctx, choice.zone);
  const settled = settle(options, choice);
  return launchModal(options, settled, await priceOf(deps, ctx, settled), metadata);
}

/** Opens the form at once (a trigger lasts 3 s), then fills it in. */
export async function openLaunchForm(deps: Deps, reply: Reply, ctx: CommandContext): Promise<boolean> {
  if (!reply.triggerId) return false;
  const metadata: LaunchMetadata = { channel: reply.channel ?? reply.user.id, responseUrl: reply.responseUrl };
  let viewId: string | undefined;
  try {
    const opened = await deps.client.views.open({
      trigger_id: reply.triggerId,
      view: {
        type: 'modal',
        callback_id: VIEW.launch,
        private_metadata: JSON.stringify(metadata),
        title: plainText('Launch an instance', 24),
        close: plainText('Cancel', 24),
        blocks: [section(':hourglass_flowing_sand: Asking TCE what can be launched here…')],
      },
    });
    viewId = opened.view?.id;
  } catch (error) {
    deps.log.info('could not open the launch form', { error });
    return false;
  }
  if (!viewId) return false;
  await deps.client.views.update({ view_id: viewId, view: await build(deps, ctx, {}, metadata) });
  return true;
}

type ViewState = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null }>>;

function choiceOf(values: ViewState | undefined): LaunchChoice {
  const read = (block: string) => {
    const element = values?.[block]?.[LAUNCH.element];
    return (element?.selected_option?.value ?? element?.value ?? undefined) || undefined;
  };
  return {
    zone: read(LAUNCH.zone),
    type: read(LAUNCH.type),
    image: read(LAUNCH.image),
    keypair: read(LAUNCH.keypair),
    name: read(LAUNCH.name)?.trim(),
  };
}

function metadataOf(raw: string | undefined): LaunchMetadata | undefined {
  try {
    const parsed = JSON.parse(raw ?? '') as LaunchMetadata;
    return typeof parsed.channel === 'string'
      ? { channel: parsed.channel, responseUrl: parsed.responseUrl }
      : undefined;
  } catch {
    return undefined;
  }
}

export function registerLaunch(app: App, deps: Deps): void {
  for (const block of [LAUNCH.zone, LAUNCH.type, LAUNCH.image, LAUNCH.keypair]) {
    app.action<BlockAction>({ block_id: block, action_id: LAUNCH.element }, async ({ ack, body }) => {
      await ack();
      const view = body.view;
      const metadata = metadataOf(view?.private_metadata);
      if (!view || !metadata) return;
      const ctx = await contextFor(deps.groups, interactionUser(body), metadata.channel);
      const updated = await build(deps, ctx, choiceOf(view.state?.values as ViewState), metadata);
      try {
        await deps.client.views.update({ view_id: view.id, hash: view.hash, view: updated });
      } catch (error) {
        // Another choice was made meanwhile (hash_conflict): its own update shows the newer state.
        deps.log.info('launch form not updated', { error });
      }
    });
  }

  app.view<ViewSubmitAction>(VIEW.launch, async ({ ack, body, view }) => {
    const receivedAt = performance.now();
    const metadata = metadataOf(view.private_metadata);
    const choice = choiceOf(view.state.values as ViewState);
    const { text, missing } = launchCommand(choice);
    if (!metadata || !text) {
      const block = missing.includes('name') ? LAUNCH.name : LAUNCH.zone;
      await ack({
        response_action: 'errors',
        errors: {
          [block]: metadata ? `Choose ${missing.join(', ')}.` : 'This form is damaged: run /tce cvm run again.',
        },
      });
      return;
    }
    await ack();
    deps.acked(receivedAt);
    const user = interactionUser(body);
    const ctx = await contextFor(deps.groups, user, metadata.channel);
    const channel = metadata.channel.startsWith('U') || metadata.channel.startsWith('W') ? undefined : metadata.channel;
    const reply: Reply = { user, channel, responseUrl: metadata.responseUrl, receivedAt, command: text };
    const outcome = await safely(deps, 'run', () => deps.engine.run(text, ctx));
    await deliver(deps, reply, outcome);
  });
}
