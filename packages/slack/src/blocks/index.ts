/** The outcomes that are plain messages, rendered; confirm, secret and approval are flows (see handlers/deliver.ts). */
import type { Outcome } from '../core.ts';
import type { Message } from './common.ts';
import { renderDenied } from './denied.ts';
import { renderDetail } from './detail.ts';
import { renderDryRun } from './dry-run.ts';
import { renderError } from './error.ts';
import { renderResult } from './result.ts';
import { renderTable, type TableContext } from './table.ts';
import { renderText } from './text.ts';

export type MessageOutcome = Exclude<Outcome, { kind: 'confirm' | 'secret' | 'approval' }>;

export function renderMessage(outcome: MessageOutcome, ctx: TableContext = {}): Message {
  switch (outcome.kind) {
    case 'table':
      return renderTable(outcome.view, ctx);
    case 'detail':
      return renderDetail(outcome.title, outcome.item, outcome.requestIds);
    case 'text':
      return renderText(outcome.text);
    case 'result':
      return renderResult(outcome.plan, outcome.results, outcome.requestIds);
    case 'denied':
      return renderDenied(outcome.reason, outcome.plan);
    case 'dry-run':
      return renderDryRun(outcome.plan, outcome.decision);
    case 'error':
      return renderError(outcome.error);
  }
}

export type { Message } from './common.ts';
