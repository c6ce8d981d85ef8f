/**
 * Read results as compact Block Kit: one line per resource with its status emoji, and an overflow menu of the
 * actions its state allows. Each menu item is the equivalent command, run through the engine like a typed one.
 * A "Next page" button re-runs the command with the next offset.
 */
import type { types } from '@slack/bolt';
import { menuFor as kindMenu, type TableView } from '../core.ts';
import { mention } from './approval.ts';
import {
  type Block,
  button,
  capBlocks,
  clip,
  clipPlain,
  code,
  confirmDialog,
  context,
  inline,
  header,
  LIMITS,
  type Message,
  plain,
  requestIdsText,
  section,
  slackDate,
  stateEmoji,
  strong,
} from './common.ts';
import { ACTION } from './ids.ts';

/** Menu items per resource kind and state: label and the command verb words (the ID is appended). */
type MenuItem = [label: string, words: string];

// What each state allows comes from core's resource kinds, so the menu never offers what core would refuse.
export function menuFor(kind: TableView['kind'], state: string): MenuItem[] {
  switch (kind) {
    case 'instance':
    case 'filesystem':
    case 'image':
    case 'job':
      return kindMenu(kind, state).map((item): MenuItem => [item.label, item.command]);
    case 'approval':
      return state === 'pending'
        ? [
            ['Approve', 'approve'],
            ['Deny', 'deny'],
            ['Cancel (requester)', 'cancel'],
          ]
        : [];
    default:
      return [];
  }
}

export interface TableContext {
  /** The command that produced the view, for paging. */
  command?: string;
  /** The region the command named with --region, carried into menu commands so they act where the list came from. */
  region?: string;
}

export function renderTable(view: TableView, ctx: TableContext = {}): Message {
  const blocks: Block[] = [header(view.title)];
  const offset = currentOffset(ctx.command);
  const rows = view.rows;
  let shownRows = rows.length;
  if (rows.length === 0) {
    blocks.push(section(offset > 0 ? '_Nothing more._' : '_Nothing found._'));
  } else if (rows.length <= ROW_BLOCKS) {
    rows.forEach((row, i) => {
      blocks.push(rowBlock(view, row, i, ctx.region));
    });
  } else {
    // Too many rows for one block each: plain lines, several rows per section, as many as the message holds;
    // the rest are on the next page.
    const lines = linesBlocks(view);
    blocks.push(...lines.blocks);
    shownRows = lines.shown;
  }
  const total = view.total ?? (view.nextOffset === undefined ? offset + rows.length : undefined);
  const shown = shownRows
    ? `Showing ${offset + 1}–${offset + shownRows}${total !== undefined ? ` of ${total}` : ''}`
    : '';
  const facts = [shown, requestIdsText(view.requestIds)].filter(Boolean);
  if (facts.length) blocks.push(context(...facts));
  const next = shownRows < rows.length ? offset + shownRows : view.nextOffset;
  if (next !== undefined && ctx.command) {
    const value = withOffset(ctx.command, next);
    // A command cut to fit a button would run something else: past the limit, say how to page instead.
    if (value.length <= LIMITS.buttonValue)
      blocks.push({ type: 'actions', elements: [button('Next page ▸', ACTION.page, value)] });
    else blocks.push(context(`Next page: run the command again with \`--offset ${next}\`.`));
  }
  const text = `${inline(view.title)}: ${shownRows} shown${total !== undefined ? ` of ${total}` : ''}`;
  return { text, blocks: capBlocks(blocks) };
}

function rowBlock(view: TableView, row: Record<string, string>, i: number, region?: string): Block {
  const state = view.states?.[i] ?? row.state ?? '';
  const id = view.ids?.[i] ?? row.id ?? '';
  const text = view.kind === 'instance' ? instanceText(row, state, id) : genericText(view, row, state, id);
  const items = id ? menuFor(view.kind, state) : [];
  const suffix = region ? ` --region ${region}` : '';
  const options = items
    .map(([label, words]) => ({
      text: { type: 'plain_text' as const, text: clipPlain(plain(label), LIMITS.optionText) },
      value: `${words} ${id}${suffix}`,
    }))
    // A command cut short would act on another ID: an item whose command does not fit is left out.
    .filter((o) => o.value.length <= LIMITS.optionValue);
  let accessory: types.Overflow | types.StaticSelect | types.Button | undefined;
  // An overflow menu takes two to five options; more (a running instance has seven) go in a select, so none is
  // dropped; a single action is a button.
  if (options.length > 5)
    accessory = {
      type: 'static_select',
      action_id: ACTION.run,
      placeholder: { type: 'plain_text', text: 'Actions…' },
      options,
    };
  else if (options.length >= 2) accessory = { type: 'overflow', action_id: ACTION.run, options };
  else if (options.length === 1) accessory = button(`${items[0]![0]}…`, ACTION.run, options[0]!.value);
  // Deciding on a request from the list asks first, as the request's own Approve button does.
  if (accessory && view.kind === 'approval')
    accessory.confirm = confirmDialog(
      `Decide on ${clipPlain(id, 60)}?`,
      `${clip(inline(row.summary ?? ''), 200)}\nRequested by ${mention(row.requester ?? '')}.`,
      'Go on',
      'Not yet',
    );
  return section(text, accessory);
}

function instanceText(row: Record<string, string>, state: string, id: string): string {
  const name = row.name ? strong(row.name) : '_(no name)_';
  const ips = [row.privateIp, row.publicIp]
    .filter((s): s is string => !!s)
    .map((s) => inline(s))
    .join(' · ');
  const details = [row.type, row.zone]
    .filter((s): s is string => !!s)
    .map((s) => inline(s))
    .join(' · ');
  const more = [details, ips].filter(Boolean).join(' · ');
  return `${stateEmoji(state)} ${name} ${code(id)} ${inline(state)}${more ? `\n${more}` : ''}`;
}

/** An approval request: who asked as a mention, when it expires as a Slack date (each reader's time zone). */
function approvalText(row: Record<string, string>, state: string, id: string): string {
  const who = row.requester ? ` · requested by ${mention(row.requester)}` : '';
  const expires = row.expires ? ` · expires ${slackDate(row.expires)}` : '';
  const approvals = row.approvals ? ` · ${inline(row.approvals)} approvals` : '';
  return `${stateEmoji(state)} ${code(id)} ${inline(state)}${who}${approvals}${expires}\n${clip(inline(row.summary ?? ''), 600)}`;
}

function genericText(view: TableView, row: Record<string, string>, state: string, id: string): string {
  const cols = view.columns.filter((c) => c.key !== 'state' && c.key !== 'id' && row[c.key]);
  const first = cols[0];
  if (view.kind === 'approval') return approvalText(row, state, id);
  const title = first ? strong(row[first.key]!) : '';
  const rest = cols
    .slice(1)
    .map((c) => `${inline(c.title)}: ${inline(row[c.key]!)}`)
    .join(' · ');
  const emoji = view.states ? `${stateEmoji(state)} ` : '';
  return `${emoji}${title}${id ? ` ${code(id)}` : ''}${state ? ` ${inline(state)}` : ''}${rest ? `\n${rest}` : ''}`;
}

/** Rows as lines, several per section, up to ROWS_TEXT characters in all; `shown` says how many rows that is. */
function linesBlocks(view: TableView): { blocks: Block[]; shown: number } {
  const lines = view.rows.map((row, i) => {
    const state = view.states?.[i] ?? row.state ?? '';
    const id = view.ids?.[i] ?? row.id ?? '';
    return view.kind === 'instance'
      ? instanceText(row, state, id).replace('\n', ' · ')
      : genericText(view, row, state, id).replace('\n', ' · ');
  });
  const blocks: Block[] = [];
  let chunk = '';
  let used = 0;
  let shown = 0;
  for (const raw of lines) {
    const line = clip(raw, LIMITS.line);
    if (used + line.length > ROWS_TEXT) break;
    if (chunk.length + line.length + 1 > LIMITS.sectionText) {
      blocks.push(section(chunk));
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${line}` : line;
    used += line.length + 1;
    shown++;
  }
  if (chunk) blocks.push(section(chunk));
  return { blocks, shown };
}

/** Rows shown one block each (with their menu) up to this many; more are lines. */
const ROW_BLOCKS = 40;
/** Room for rows shown as lines in one message (Slack refuses about 12k characters of block text). */
const ROWS_TEXT = 9000;

const OFFSET_FLAG = /\s--offset(?:=|\s+)\S+/g;

export function currentOffset(command: string | undefined): number {
  const match = command ? /--offset(?:=|\s+)(\d+)/.exec(command) : null;
  return match ? Number(match[1]) : 0;
}

export function withOffset(command: string, offset: number): string {
  return `${` ${command}`.replace(OFFSET_FLAG, '').trim()} --offset ${offset}`;
}

/** The --region a command named, if any. */
export function regionOf(command: string): string | undefined {
  return /--region(?:=|\s+)([a-z0-9-]+)/.exec(command)?.[1];
}
