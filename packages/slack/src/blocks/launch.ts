/**
 * The launch modal (`/tce cvm run` with no options): zone, type with its price, image, key pair, name, and the
 * price and TCE's verdict for the current choices, refreshed as they change. Submitting runs the same
 * `cvm run …` text through the engine: the plan, the policy and the confirmation are the usual ones.
 */
import type { types } from '@slack/bolt';
import { clip, esc, plainText, section } from './common.ts';
import { VIEW } from './ids.ts';

export const LAUNCH = {
  zone: 'launch_zone',
  type: 'launch_type',
  image: 'launch_image',
  keypair: 'launch_keypair',
  name: 'launch_name',
  /** The element inside each input block. */
  element: 'value',
} as const;

/** What the modal offers, as the engine's reads returned it. */
export interface LaunchOptions {
  zones: string[];
  /** type → "S5.MEDIUM4 · 2 CPU 4 GB · ¥0.22/h" for the chosen zone. */
  types: { value: string; label: string }[];
  images: { value: string; label: string }[];
  keypairs: { value: string; label: string }[];
}

export interface LaunchChoice {
  zone?: string;
  type?: string;
  image?: string;
  keypair?: string;
  name?: string;
}

/** Where to answer once submitted; never a password (none is asked here: a key pair or TCE's own). */
export interface LaunchMetadata {
  channel: string;
  responseUrl?: string;
}

const NO_KEYPAIR = '-';
/** Block Kit: at most 100 options in a static select. */
const MAX_OPTIONS = 100;

function option(value: string, label: string): types.PlainTextOption {
  return { text: plainText(clip(label, 75), 75), value: clip(value, 150) };
}

function select(
  block: string,
  label: string,
  options: { value: string; label: string }[],
  chosen: string | undefined,
  optional = false,
): types.InputBlock {
  const shown = options.slice(0, MAX_OPTIONS).map((o) => option(o.value, o.label));
  const initial = shown.find((o) => o.value === chosen);
  return {
    type: 'input',
    block_id: block,
    dispatch_action: true,
    optional,
    label: plainText(label, 2000),
    element: {
      type: 'static_select',
      action_id: LAUNCH.element,
      options: shown.length ? shown : [option('-', '(none)')],
      ...(initial ? { initial_option: initial } : {}),
    },
  };
}

/** The command the modal stands for, or what is still missing. */
export function launchCommand(choice: LaunchChoice): { text?: string; missing: string[] } {
  const missing = (['zone', 'type', 'image', 'name'] as const).filter((k) => !choice[k]);
  if (missing.length) return { missing };
  const quote = (v: string) => (/^[\w.-]+$/.test(v) ? v : `"${v.replace(/["\\]/g, '')}"`);
  const parts = ['cvm run', `--zone ${quote(choice.zone!)}`, `--type ${quote(choice.type!)}`];
  parts.push(`--image ${quote(choice.image!)}`, `--name ${quote(choice.name!)}`);
  if (choice.keypair && choice.keypair !== NO_KEYPAIR) parts.push(`--keypair ${quote(choice.keypair)}`);
  return { text: parts.join(' '), missing };
}

export function launchModal(
  options: LaunchOptions,
  choice: LaunchChoice,
  priceLines: string,
  metadata: LaunchMetadata,
): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.launch,
    private_metadata: JSON.stringify({ ...metadata, choice }),
    title: plainText('Launch an instance', 24),
    submit: plainText('Review the plan', 24),
    close: plainText('Cancel', 24),
    blocks: [
      select(
        LAUNCH.zone,
        'Zone',
        options.zones.map((z) => ({ value: z, label: z })),
        choice.zone,
      ),
      select(LAUNCH.type, 'Instance type (price in this zone)', options.types, choice.type),
      select(LAUNCH.image, 'Image', options.images, choice.image),
      select(
        LAUNCH.keypair,
        'Key pair (none: TCE generates a password and sends it by station message)',
        [{ value: NO_KEYPAIR, label: 'No key pair' }, ...options.keypairs],
        choice.keypair ?? NO_KEYPAIR,
        true,
      ),
      {
        type: 'input',
        block_id: LAUNCH.name,
        label: plainText('Name', 2000),
        element: {
          type: 'plain_text_input',
          action_id: LAUNCH.element,
          max_length: 60,
          ...(choice.name ? { initial_value: choice.name } : {}),
        },
      },
      section(priceLines || '_Choose a zone, a type and an image to see the price._'),
    ],
  };
}

/** The price and verdict lines for the modal, from a dry run's plan or its refusal. */
export function launchPriceText(result: { price?: string; verdict?: string[]; refused?: string }): string {
  if (result.refused) return `:x: *TCE refuses this launch:* ${clip(esc(result.refused), 1500)}`;
  const lines = [];
  if (result.price) lines.push(`:moneybag: *Price:* ${esc(result.price)}`);
  for (const v of result.verdict ?? []) lines.push(`:white_check_mark: TCE: ${esc(v)}`);
  return clip(lines.join('\n'), 2500);
}
