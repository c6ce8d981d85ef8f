/**
 * Checks what the app sends against Slack's documented limits, so a payload Slack would reject (invalid_blocks,
 * msg_too_long) or cut fails here instead. Not a full schema: the limits and shapes this app can run into.
 * Sources: Block Kit reference (blocks, block elements, composition objects), views, chat.postMessage, and the
 * total-block-text size reported in bolt-js #2509 and #2867 (msg_blocks_too_long).
 */
import assert from 'node:assert/strict';

type Node = Record<string, unknown>;
export type Surface = 'message' | 'modal' | 'home';

export const SLACK_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  field: 2000,
  fields: 10,
  header: 150,
  contextElements: 10,
  actionsElements: 25,
  id: 255,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  optionText: 75,
  optionValue: 150,
  overflowMin: 2,
  overflowMax: 5,
  selectOptions: 100,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  privateMetadata: 3000,
  label: 2000,
  placeholder: 150,
  /** Slack truncates `text` beyond 40,000 and recommends at most 4,000 (it is what notifications show). */
  messageText: 40_000,
  messageTextRecommended: 4000,
  /** Reported (not documented): chat.postMessage answers msg_blocks_too_long around 12-13k characters of blocks. */
  totalBlockText: 12_000,
} as const;

const L = SLACK_LIMITS;

function textOf(node: unknown): string | undefined {
  const text = (node as Node | undefined)?.text;
  return typeof text === 'string' ? text : undefined;
}

function len(node: unknown): number {
  return textOf(node)?.length ?? 0;
}

/** A text object: a type, and 1..max characters. */
function checkText(node: unknown, where: string, max: number, problems: string[], plainOnly = false): void {
  const t = node as Node | undefined;
  if (!t) return;
  if (t.type !== 'plain_text' && t.type !== 'mrkdwn') problems.push(`${where}: text object without a type`);
  if (plainOnly && t.type !== 'plain_text') problems.push(`${where}: must be plain_text`);
  const text = textOf(t);
  if (text === undefined || text.length === 0) problems.push(`${where}: empty text`);
  else if (text.length > max) problems.push(`${where}: text ${text.length} over ${max}`);
}

function checkConfirm(c: Node, where: string, problems: string[]): void {
  if (!c.title || !c.text || !c.confirm || !c.deny) problems.push(`${where}: confirm dialog incomplete`);
  checkText(c.title, `${where} confirm title`, L.confirmTitle, problems, true);
  checkText(c.text, `${where} confirm text`, L.confirmText, problems);
  checkText(c.confirm, `${where} confirm button`, L.confirmButton, problems, true);
  checkText(c.deny, `${where} deny button`, L.confirmButton, problems, true);
}

function checkOption(o: Node, where: string, problems: string[]): void {
  checkText(o.text, `${where} option`, L.optionText, problems);
  if (typeof o.value !== 'string' || o.value.length > L.optionValue)
    problems.push(`${where}: option value missing or over ${L.optionValue}`);
}

function checkElement(e: Node, where: string, problems: string[]): void {
  if (typeof e.action_id === 'string' && e.action_id.length > L.id) problems.push(`${where}: action_id over ${L.id}`);
  if (e.confirm) checkConfirm(e.confirm as Node, where, problems);
  switch (e.type) {
    case 'button':
      checkText(e.text, `${where} button`, L.buttonText, problems, true);
      if (typeof e.value === 'string' && e.value.length > L.buttonValue)
        problems.push(`${where}: button value over ${L.buttonValue}`);
      if (typeof e.url === 'string' && e.url.length > L.url) problems.push(`${where}: button url over ${L.url}`);
      if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger')
        problems.push(`${where}: bad button style`);
      break;
    case 'overflow': {
      const options = (e.options as Node[] | undefined) ?? [];
      if (options.length < L.overflowMin || options.length > L.overflowMax)
        problems.push(`${where}: overflow needs ${L.overflowMin}-${L.overflowMax} options, has ${options.length}`);
      for (const o of options) checkOption(o, where, problems);
      break;
    }
    case 'static_select':
    case 'multi_static_select': {
      const options = (e.options as Node[] | undefined) ?? [];
      if (options.length > L.selectOptions) problems.push(`${where}: over ${L.selectOptions} options`);
      for (const o of options) checkOption(o, where, problems);
      if (e.placeholder) checkText(e.placeholder, `${where} placeholder`, L.placeholder, problems, true);
      break;
    }
    case 'plain_text_input':
      if (e.placeholder) checkText(e.placeholder, `${where} placeholder`, L.placeholder, problems, true);
      break;
    default:
      break;
  }
}

export function blockProblems(blocks: unknown, surface: Surface = 'message'): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return ['blocks is not an array'];
  const max = surface === 'message' ? L.messageBlocks : L.viewBlocks;
  if (blocks.length > max) problems.push(`${blocks.length} blocks, more than ${max}`);
  const blockIds = new Set<string>();
  let total = 0;
  blocks.forEach((raw, i) => {
    const b = raw as Node;
    const where = `block ${i} (${b.type})`;
    if (typeof b.block_id === 'string') {
      if (b.block_id.length > L.id) problems.push(`${where}: block_id over ${L.id}`);
      if (blockIds.has(b.block_id)) problems.push(`${where}: duplicate block_id`);
      blockIds.add(b.block_id);
    }
    switch (b.type) {
      case 'section': {
        if (!b.text && !b.fields) problems.push(`${where}: needs text or fields`);
        if (b.text) checkText(b.text, where, L.sectionText, problems);
        total += len(b.text);
        const fields = (b.fields as Node[] | undefined) ?? [];
        if (fields.length > L.fields) problems.push(`${where}: more than ${L.fields} fields`);
        fields.forEach((f, j) => {
          checkText(f, `${where} field ${j}`, L.field, problems);
          total += len(f);
        });
        if (b.accessory) checkElement(b.accessory as Node, where, problems);
        break;
      }
      case 'header':
        checkText(b.text, where, L.header, problems, true);
        total += len(b.text);
        break;
      case 'context': {
        const els = (b.elements as Node[] | undefined) ?? [];
        if (els.length === 0 || els.length > L.contextElements)
          problems.push(`${where}: context needs 1-${L.contextElements} elements, has ${els.length}`);
        els.forEach((e, j) => {
          if (e.type === 'image') return;
          checkText(e, `${where} element ${j}`, L.sectionText, problems);
          total += len(e);
        });
        break;
      }
      case 'actions': {
        const els = (b.elements as Node[] | undefined) ?? [];
        if (els.length === 0 || els.length > L.actionsElements)
          problems.push(`${where}: actions needs 1-${L.actionsElements} elements, has ${els.length}`);
        const ids = els.map((e) => e.action_id).filter((id) => id !== undefined);
        if (new Set(ids).size !== ids.length) problems.push(`${where}: duplicate action_id`);
        for (const e of els) {
          checkElement(e, where, problems);
          total += len(e.text);
        }
        break;
      }
      case 'input':
        if (surface === 'message') problems.push(`${where}: input blocks only in modals and Home`);
        checkText(b.label, `${where} label`, L.label, problems, true);
        if (b.hint) checkText(b.hint, `${where} hint`, L.label, problems, true);
        if (b.element) checkElement(b.element as Node, where, problems);
        break;
      case 'divider':
        break;
      default:
        problems.push(`${where}: unexpected block type`);
    }
  });
  if (surface === 'message' && total > L.totalBlockText)
    problems.push(`${total} characters of block text, over ${L.totalBlockText} (msg_blocks_too_long)`);
  return problems;
}

/** A message as chat.postMessage, chat.update, chat.postEphemeral or a response_url receive it. */
export function messageProblems(args: Node): string[] {
  const problems: string[] = [];
  const text = args.text;
  if (args.blocks === undefined && typeof text !== 'string') problems.push('a message needs text or blocks');
  if (typeof text === 'string') {
    if (text.length > L.messageText) problems.push(`text ${text.length} over ${L.messageText} (msg_too_long)`);
    else if (text.length > L.messageTextRecommended)
      problems.push(`text ${text.length} over the recommended ${L.messageTextRecommended}`);
  } else if (args.blocks !== undefined) problems.push('blocks without a top-level text (notifications show nothing)');
  if (args.blocks !== undefined) problems.push(...blockProblems(args.blocks, 'message'));
  return problems;
}

export function viewProblems(view: Node): string[] {
  const problems: string[] = [];
  const surface: Surface = view.type === 'home' ? 'home' : 'modal';
  if (surface === 'modal') {
    checkText(view.title, 'modal title', L.modalTitle, problems, true);
    if (view.submit) checkText(view.submit, 'modal submit', L.modalTitle, problems, true);
    if (view.close) checkText(view.close, 'modal close', L.modalTitle, problems, true);
  }
  if (typeof view.callback_id === 'string' && view.callback_id.length > L.id) problems.push('callback_id over 255');
  if (String(view.private_metadata ?? '').length > L.privateMetadata)
    problems.push(`private_metadata over ${L.privateMetadata}`);
  problems.push(...blockProblems(view.blocks, surface));
  return problems;
}

/** What a Web API call or response_url POST would be refused or cut for; [] when Slack takes it as sent. */
export function payloadProblems(method: string, args: Node): string[] {
  switch (method) {
    case 'chat.postMessage':
    case 'chat.update':
    case 'chat.postEphemeral':
      return messageProblems(args);
    case 'response':
      return args.delete_original ? [] : messageProblems(args);
    case 'views.open':
    case 'views.update':
    case 'views.publish':
    case 'views.push':
      return viewProblems((args.view ?? {}) as Node);
    default:
      return [];
  }
}

export function assertValidBlocks(blocks: unknown, surface: Surface = 'message'): void {
  assert.deepEqual(blockProblems(blocks, surface), [], 'Block Kit problems');
}

export function assertValidMessage(message: { text: string; blocks: unknown }): void {
  assert.deepEqual(messageProblems(message as unknown as Node), [], 'message problems');
}

export function assertValidModal(view: Node): void {
  assert.equal(view.type, 'modal');
  assert.deepEqual(viewProblems(view), [], 'modal problems');
}

/**
 * Every mrkdwn string a payload carries (top-level text, section and context text, fields, confirm text), and
 * every plain_text one, so an injection test can look for what should never get through.
 */
export function textsOf(payload: unknown): { mrkdwn: string[]; plain: string[]; objects: Node[] } {
  const mrkdwn: string[] = [];
  const plain: string[] = [];
  const objects: Node[] = [];
  const walk = (node: unknown, top: boolean) => {
    if (Array.isArray(node)) for (const n of node) walk(n, false);
    else if (node && typeof node === 'object') {
      const n = node as Node;
      if (top && typeof n.text === 'string') mrkdwn.push(n.text);
      if ((n.type === 'mrkdwn' || n.type === 'plain_text') && typeof n.text === 'string') {
        (n.type === 'mrkdwn' ? mrkdwn : plain).push(n.text);
        objects.push(n);
      }
      for (const [k, v] of Object.entries(n)) if (!(top && k === 'text')) walk(v, false);
    }
  };
  walk(payload, true);
  return { mrkdwn, plain, objects };
}

/** `<…>` tokens the app itself writes: user, group and channel mentions, and Slack dates. */
const OWN_TOKEN = /^<(@[UW][A-Z0-9]+|#[CGD][A-Z0-9]+|!subteam\^S[A-Z0-9]+|!date\^\d+\^[^|<>]+\|[^<>]*)>$/;
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/;

/**
 * What in one mrkdwn string could ping, link or reorder: `<…>` that is not one of the app's own tokens, `&` that
 * is not one of the three escapes, bidirectional controls. `hostile` are strings planted in names: none may
 * appear as written.
 */
export function injectionProblems(text: string, hostile: readonly string[] = []): string[] {
  const problems: string[] = [];
  for (const token of text.match(/<[^<>]*>/g) ?? [])
    if (!OWN_TOKEN.test(token)) problems.push(`raw token ${token.slice(0, 60)}`);
  if (/&(?!amp;|lt;|gt;)/.test(text)) problems.push('a bare &');
  if (BIDI.test(text)) problems.push('a bidirectional control character');
  for (const h of hostile) if (h.length > 1 && text.includes(h)) problems.push(`"${h}" as written`);
  return problems;
}
