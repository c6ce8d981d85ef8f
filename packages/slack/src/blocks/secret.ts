/**
 * Collecting a password for reset-password: only ever in a modal, whose submission goes to this app and nowhere
 * else. Block Kit has no masked input, so the modal says plainly that the characters are visible on screen.
 */
import type { types } from '@slack/bolt';
import type { PlanSummary } from '../core.ts';
import { button, clip, esc, type Message, section } from './common.ts';
import { ACTION, INPUT, type ModalMetadata, VIEW } from './ids.ts';
import { planBlocks } from './plan.ts';

export function renderSecretPrompt(planId: string, plan: PlanSummary): Message {
  return {
    text: `A new password is needed: ${clip(esc(plan.summary), 1000)}`,
    blocks: [
      section(':key: *A new password is needed.* It is asked for in a private form, never in a message.'),
      ...planBlocks(plan, `plan:${planId}`),
      {
        type: 'actions',
        elements: [
          button('Enter the new password…', ACTION.openSecret, planId, 'primary'),
          button('Cancel', ACTION.dismiss, planId),
        ],
      },
    ],
  };
}

export function passwordModal(plan: PlanSummary, metadata: ModalMetadata): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.secret,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: 'Reset password' },
    submit: { type: 'plain_text', text: 'Reset password' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      ...planBlocks(plan),
      {
        type: 'input',
        block_id: INPUT.passwordBlock,
        label: { type: 'plain_text', text: 'New password' },
        hint: {
          type: 'plain_text',
          text: 'Visible on your screen while you type. It goes to TCE only: never posted in a message or written to a log.',
        },
        element: { type: 'plain_text_input', action_id: INPUT.passwordElement, min_length: 8, max_length: 30 },
      },
    ],
  };
}
