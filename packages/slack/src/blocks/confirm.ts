/**
 * Asking the requester before a plan runs. A click-level confirmation is a button with Slack's own confirmation
 * dialog; a typed-level one is a modal in which the target's ID must be typed (opened from the command when
 * Slack still allows it, otherwise from a button).
 */
import type { types } from '@slack/bolt';
import type { PlanSummary } from '../core.ts';
import { button, clip, clipPlain, code, confirmDialog, esc, type Message, plain, section } from './common.ts';
import { ACTION, INPUT, type ModalMetadata, VIEW } from './ids.ts';
import { planBlocks, planVerb } from './plan.ts';

export function renderConfirmPrompt(planId: string, plan: PlanSummary): Message {
  const verb = planVerb(plan);
  const dangerous = plan.risk === 'destructive' || plan.risk === 'sensitive';
  const dialog = confirmDialog(`${verb}?`, esc(plan.summary), `Yes, ${verb.toLowerCase()}`, 'Cancel', dangerous);
  return {
    text: `Confirm: ${clip(esc(plan.summary), 1000)}`,
    blocks: [
      section(':raised_hand: *Please confirm*'),
      ...planBlocks(plan, `plan:${planId}`),
      {
        type: 'actions',
        elements: [
          button(verb, ACTION.confirm, planId, dangerous ? 'danger' : 'primary', dialog),
          button('Cancel', ACTION.dismiss, planId),
        ],
      },
    ],
  };
}

/** The fallback when the modal could not be opened straight away: a button that opens it. */
export function renderTypedPrompt(planId: string, plan: PlanSummary, expected: string): Message {
  return {
    text: `Type ${clip(esc(expected), 300)} to confirm: ${clip(esc(plan.summary), 1000)}`,
    blocks: [
      section(`:raised_hand: *Type ${code(expected, 1000)} to confirm*`),
      ...planBlocks(plan, `plan:${planId}`),
      {
        type: 'actions',
        elements: [
          button('Type to confirm…', ACTION.openTyped, JSON.stringify({ planId, expected }), 'danger'),
          button('Cancel', ACTION.dismiss, planId),
        ],
      },
    ],
  };
}

export function typedModal(plan: PlanSummary, metadata: ModalMetadata & { expected: string }): types.ModalView {
  const verb = planVerb(plan);
  return {
    type: 'modal',
    callback_id: VIEW.typed,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: clipPlain(plain(`Confirm: ${verb}`), 24) },
    submit: { type: 'plain_text', text: clipPlain(plain(verb), 24) },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      ...planBlocks(plan),
      {
        type: 'input',
        block_id: INPUT.typedBlock,
        label: { type: 'plain_text', text: clipPlain(plain(`Type ${metadata.expected} to confirm`), 2000) },
        element: { type: 'plain_text_input', action_id: INPUT.typedElement, focus_on_load: true },
      },
    ],
  };
}
