/**
 * Asking the requester before a plan runs. A click-level confirmation is a button with Slack's own confirmation
 * dialog; a typed-level one is a modal in which the target's ID must be typed (opened from the command when
 * Slack still allows it, otherwise from a button).
 */
import type { types } from '@slack/bolt';
import type { PlanSummary } from '../core.ts';
import { button, clip, code, esc, type Message, section } from './common.ts';
import { ACTION, INPUT, type ModalMetadata, VIEW } from './ids.ts';
import { planBlocks, planVerb } from './plan.ts';

export function renderConfirmPrompt(planId: string, plan: PlanSummary): Message {
  const verb = planVerb(plan);
  const dangerous = plan.risk === 'destructive' || plan.risk === 'sensitive';
  const dialog: types.ConfirmationDialog = {
    title: { type: 'plain_text', text: clip(`${verb}?`, 100) },
    text: { type: 'mrkdwn', text: clip(esc(plan.summary), 300) },
    confirm: { type: 'plain_text', text: clip(`Yes, ${verb.toLowerCase()}`, 30) },
    deny: { type: 'plain_text', text: 'Cancel' },
    ...(dangerous ? { style: 'danger' as const } : {}),
  };
  return {
    text: `Confirm: ${plan.summary}`,
    blocks: [
      section(':raised_hand: *Please confirm*'),
      ...planBlocks(plan),
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
    text: `Type ${expected} to confirm: ${plan.summary}`,
    blocks: [
      section(`:raised_hand: *Type ${code(expected)} to confirm*`),
      ...planBlocks(plan),
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
    title: { type: 'plain_text', text: clip(`Confirm: ${verb}`, 24) },
    submit: { type: 'plain_text', text: clip(verb, 24) },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      ...planBlocks(plan),
      {
        type: 'input',
        block_id: INPUT.typedBlock,
        label: { type: 'plain_text', text: clip(`Type ${metadata.expected} to confirm`, 2000) },
        element: { type: 'plain_text_input', action_id: INPUT.typedElement, focus_on_load: true },
      },
    ],
  };
}
