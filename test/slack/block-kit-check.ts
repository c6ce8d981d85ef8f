/**
 * Checks rendered Block Kit against Slack's documented limits, so a message Slack would reject with
 * invalid_blocks fails here instead. Not a full schema: the limits and shapes this app relies on.
 */
import assert from 'node:assert/strict';

type Node = Record<string, unknown>;

function textLength(node: unknown): number {
  return typeof (node as Node | undefined)?.text === 'string' ? ((node as Node).text as string).length : 0;
}

function checkButton(b: Node, where: string, problems: string[]): void {
  if (textLength(b.text) > 75) problems.push(`${where}: button text over 75`);
  if (typeof b.value === 'string' && b.value.length > 2000) problems.push(`${where}: button value over 2000`);
  if (b.style !== undefined && b.style !== 'primary' && b.style !== 'danger')
    problems.push(`${where}: bad button style`);
  const c = b.confirm as Node | undefined;
  if (c) {
    if (textLength(c.title) > 100) problems.push(`${where}: confirm title over 100`);
    if (textLength(c.text) > 300) problems.push(`${where}: confirm text over 300`);
    if (textLength(c.confirm) > 30 || textLength(c.deny) > 30) problems.push(`${where}: confirm buttons over 30`);
    if (!c.title || !c.text || !c.confirm || !c.deny) problems.push(`${where}: confirm dialog incomplete`);
  }
}

function checkElement(e: Node, where: string, problems: string[]): void {
  if (typeof e.action_id === 'string' && e.action_id.length > 255) problems.push(`${where}: action_id over 255`);
  if (e.type === 'button') checkButton(e, where, problems);
  if (e.type === 'overflow') {
    const options = e.options as Node[];
    if (options.length < 2 || options.length > 5)
      problems.push(`${where}: overflow needs 2-5 options, has ${options.length}`);
    for (const o of options) {
      if (textLength(o.text) > 75) problems.push(`${where}: option text over 75`);
      if (String(o.value).length > 150) problems.push(`${where}: option value over 150`);
    }
  }
}

export function blockProblems(blocks: unknown, surface: 'message' | 'modal' | 'home' = 'message'): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return ['blocks is not an array'];
  const max = surface === 'message' ? 50 : 100;
  if (blocks.length > max) problems.push(`${blocks.length} blocks, more than ${max}`);
  blocks.forEach((raw, i) => {
    const b = raw as Node;
    const where = `block ${i} (${b.type})`;
    switch (b.type) {
      case 'section': {
        if (!b.text && !b.fields) problems.push(`${where}: needs text or fields`);
        if (textLength(b.text) > 3000) problems.push(`${where}: text over 3000`);
        const fields = (b.fields as Node[] | undefined) ?? [];
        if (fields.length > 10) problems.push(`${where}: more than 10 fields`);
        for (const f of fields) if (textLength(f) > 2000) problems.push(`${where}: field over 2000`);
        if (b.accessory) checkElement(b.accessory as Node, where, problems);
        break;
      }
      case 'header':
        if ((b.text as Node).type !== 'plain_text' || textLength(b.text) > 150)
          problems.push(`${where}: header must be plain_text up to 150`);
        break;
      case 'context': {
        const els = b.elements as Node[];
        if (els.length === 0 || els.length > 10) problems.push(`${where}: context needs 1-10 elements`);
        break;
      }
      case 'actions': {
        const els = b.elements as Node[];
        if (els.length === 0 || els.length > 25) problems.push(`${where}: actions needs 1-25 elements`);
        const ids = els.map((e) => e.action_id);
        if (new Set(ids).size !== ids.length) problems.push(`${where}: duplicate action_id`);
        els.forEach((e) => {
          checkElement(e, where, problems);
        });
        break;
      }
      case 'input':
        if (surface === 'message') problems.push(`${where}: input blocks only in modals and Home`);
        if (textLength(b.label) > 2000) problems.push(`${where}: label over 2000`);
        break;
      case 'divider':
        break;
      default:
        problems.push(`${where}: unexpected block type`);
    }
  });
  return problems;
}

export function assertValidBlocks(blocks: unknown, surface: 'message' | 'modal' | 'home' = 'message'): void {
  assert.deepEqual(blockProblems(blocks, surface), [], 'Block Kit problems');
}

export function assertValidModal(view: Node): void {
  assert.equal(view.type, 'modal');
  assert.ok(textLength(view.title) <= 24, 'modal title over 24');
  if (view.submit) assert.ok(textLength(view.submit) <= 24, 'modal submit over 24');
  if (view.close) assert.ok(textLength(view.close) <= 24, 'modal close over 24');
  assert.ok(String(view.private_metadata ?? '').length <= 3000, 'private_metadata over 3000');
  assertValidBlocks(view.blocks, 'modal');
}
