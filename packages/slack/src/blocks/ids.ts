/** The action and view IDs the renderers put on buttons and modals, and the handlers listen for. */
export const ACTION = {
  /** Overflow menu item or button whose value is a command to run (the same text as after /tce). */
  run: 'tce_run',
  /** Paging button: run the value and replace the message it was clicked in. */
  page: 'tce_page',
  /** The requester's confirmation of a plan (value: planId). */
  confirm: 'tce_confirm',
  /** The requester dismissed a confirmation (value: planId). */
  dismiss: 'tce_dismiss',
  /** Open the type-the-ID modal (value: planId and the text to type). */
  openTyped: 'tce_open_typed',
  /** Open the password modal (value: planId). */
  openSecret: 'tce_open_secret',
  approve: 'tce_approve',
  deny: 'tce_deny',
  cancelApproval: 'tce_cancel_approval',
  /** A plan's targets, a page at a time, privately (value: pageValue in common.ts). */
  targets: 'tce_targets',
  /** Every result of an execution, a page at a time, privately (value: pageValue in common.ts). */
  results: 'tce_results',
  /** App Home's lists, a page at a time (value: which list and the offset). */
  homePage: 'tce_home_page',
} as const;

export const VIEW = {
  typed: 'tce_typed_confirm',
  secret: 'tce_secret',
  deny: 'tce_deny_reason',
  /** `/tce cvm run` with no options: the launch form (blocks/launch.ts). */
  launch: 'tce_launch',
} as const;

/** Block and element IDs inside the modals, to read the submitted values back. */
export const INPUT = {
  typedBlock: 'typed',
  typedElement: 'value',
  passwordBlock: 'password',
  passwordElement: 'value',
  reasonBlock: 'reason',
  reasonElement: 'value',
} as const;

/** What a modal carries between opening and submission: never the secret itself. */
export interface ModalMetadata {
  planId: string;
  channel: string;
  expected?: string;
  /** Where to answer the requester afterwards (the prompt's response_url), when known. */
  responseUrl?: string;
}
