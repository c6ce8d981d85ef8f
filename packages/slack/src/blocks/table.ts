/**
 * Read results as compact Block Kit: one line per resource with its status emoji, and an overflow menu of the
 * actions its state allows. Each menu item is the equivalent command, run through the engine like a typed one.
 * A "Next page" button re-runs the command with the next offset.
 */
import type { types } from '@slack/bolt';
import type { TableView } from '../core.ts';
import {
  type Block,
  button,
  capBlocks,
  clip,
  code,
  context,
  esc,
  header,
  LIMITS,
  type Message,
  requestIdsText,
  section,
  stateEmoji,
} from './common.ts';
import { ACTION } from './ids.ts';

/** Menu items per resource kind and state: label and the command verb words (the ID is appended). */
type MenuItem = [label: string, words: string];

// Which instance actions each state allows (CVM docs: start needs STOPPED, stop and reboot need RUNNING, ...).
const INSTANCE_MENU: Record<string, MenuItem[]> = {
  RUNNING: [
    ['Stop', 'cvm stop'],
    ['Reboot', 'cvm reboot'],
    ['Reset password', 'cvm reset-password'],
    ['Terminate', 'cvm terminate'],
  ],
  STOPPED: [
    ['Start', 'cvm start'],
    ['Reset password', 'cvm reset-password'],
    ['Reinstall', 'cvm reinstall'],
    ['Terminate', 'cvm terminate'],
  ],
  LAUNCH_FAILED: [['Terminate', 'cvm terminate']],
  SHUTDOWN: [['Terminate', 'cvm terminate']],
};

function menuFor(kind: TableView['kind'], state: string): MenuItem[] {
  switch (kind) {
    case 'instance':
      return [['Details', 'cvm show'], ...(INSTANCE_MENU[state] ?? [])];
    case 'filesystem':
      return [
        ['Details', 'cfs show'],
        ['Delete', 'cfs delete'],
      ];
    case 'image':
      return [['Delete', 'cvm image delete']];
    case 'approval':
      return state === 'pending'
        ? [
            ['Approve', 'approve'],
            ['Deny', 'deny'],
            ['Cancel (requester)', 'cancel'],
          ]
        : [];
    case 'job':
      return [
        ['Start', 'csm start'],
        ['Stop', 'csm stop'],
      ];
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
  if (rows.length === 0) {
    blocks.push(section('_Nothing found._'));
  } else if (rows.length <= LIMITS.blocks - 4) {
    rows.forEach((row, i) => {
      blocks.push(rowBlock(view, row, i, ctx.region));
    });
  } else {
    // Too many rows for one block each: plain lines, several rows per section.
    blocks.push(...linesBlocks(view));
  }
  const shown = rows.length
    ? `Showing ${offset + 1}–${offset + rows.length}${view.total !== undefined ? ` of ${view.total}` : ''}`
    : '';
  blocks.push(context(...[shown, requestIdsText(view.requestIds)].filter(Boolean)));
  if (view.nextOffset !== undefined && ctx.command) {
    blocks.push({
      type: 'actions',
      elements: [button('Next page ▸', ACTION.page, withOffset(ctx.command, view.nextOffset))],
    });
  }
  const text = `${view.title}: ${rows.length} shown${view.total !== undefined ? ` of ${view.total}` : ''}`;
  return { text, blocks: capBlocks(blocks) };
}

function rowBlock(view: TableView, row: Record<string, string>, i: number, region?: string): Block {
  const state = view.states?.[i] ?? row.state ?? '';
  const id = view.ids?.[i] ?? row.id ?? '';
  const text = view.kind === 'instance' ? instanceText(row, state, id) : genericText(view, row, state, id);
  const items = id ? menuFor(view.kind, state) : [];
  const suffix = region ? ` --region ${region}` : '';
  const options = items.map(([label, words]) => ({
    text: { type: 'plain_text' as const, text: clip(label, LIMITS.optionText) },
    value: clip(`${words} ${id}${suffix}`, LIMITS.optionValue),
  }));
  let accessory: types.SectionBlockAccessory | undefined;
  // An overflow menu needs at least two options; a single action is a button.
  if (options.length >= 2) accessory = { type: 'overflow', action_id: ACTION.run, options: options.slice(0, 5) };
  else if (options.length === 1) accessory = button(`${items[0]![0]}…`, ACTION.run, options[0]!.value);
  return section(text, accessory);
}

function instanceText(row: Record<string, string>, state: string, id: string): string {
  const name = row.name ? `*${esc(row.name)}*` : '_(no name)_';
  const ips = [row.privateIp, row.publicIp]
    .filter((s): s is string => !!s)
    .map(esc)
    .join(' · ');
  const details = [row.type, row.zone]
    .filter((s): s is string => !!s)
    .map(esc)
    .join(' · ');
  return `${stateEmoji(state)} ${name} ${code(id)} ${esc(state)}\n${[details, ips].filter(Boolean).join(' · ')}`;
}

function genericText(view: TableView, row: Record<string, string>, state: string, id: string): string {
  const cols = view.columns.filter((c) => c.key !== 'state' && c.key !== 'id' && row[c.key]);
  const first = cols[0];
  const title = first ? `*${esc(row[first.key]!)}*` : '';
  const rest = cols
    .slice(1)
    .map((c) => `${esc(c.title)}: ${esc(row[c.key]!)}`)
    .join(' · ');
  const emoji = view.states ? `${stateEmoji(state)} ` : '';
  return `${emoji}${title}${id ? ` ${code(id)}` : ''}${state ? ` ${esc(state)}` : ''}${rest ? `\n${rest}` : ''}`;
}

function linesBlocks(view: TableView): Block[] {
  const lines = view.rows.map((row, i) => {
    const state = view.states?.[i] ?? row.state ?? '';
    const id = view.ids?.[i] ?? row.id ?? '';
    return view.kind === 'instance'
      ? instanceText(row, state, id).replace('\n', ' · ')
      : genericText(view, row, state, id).replace('\n', ' · ');
  });
  const blocks: Block[] = [];
  let chunk = '';
  for (const line of lines) {
    if (chunk.length + line.length + 1 > LIMITS.sectionText) {
      blocks.push(section(chunk));
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${line}` : line;
  }
  if (chunk) blocks.push(section(chunk));
  return blocks;
}

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
