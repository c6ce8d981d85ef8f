/** Denying an approval request: a modal for the reason, which the requester and the audit log will see. */
import type { types } from '@slack/bolt';
import type { MessageRef } from '../tracker.ts';
import { code, section } from './common.ts';
import { INPUT, VIEW } from './ids.ts';

export interface DenyMetadata {
  approvalId: string;
  channel?: string;
  ref?: MessageRef;
  /** Opened from App Home: republish it afterwards. */
  home?: boolean;
}

export function denyModal(approvalId: string, metadata: Omit<DenyMetadata, 'approvalId'>): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.deny,
    private_metadata: JSON.stringify({ approvalId, ...metadata }),
    title: { type: 'plain_text', text: 'Deny request' },
    submit: { type: 'plain_text', text: 'Deny' },
    close: { type: 'plain_text', text: 'Back' },
    blocks: [
      section(`Deny approval ${code(approvalId)}? Nothing will run.`),
      {
        type: 'input',
        block_id: INPUT.reasonBlock,
        optional: true,
        label: { type: 'plain_text', text: 'Reason (shown to the requester)' },
        element: { type: 'plain_text_input', action_id: INPUT.reasonElement, multiline: true, max_length: 500 },
      },
    ],
  };
}
