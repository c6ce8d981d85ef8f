/** `tceops policy explain`: the decision, the rule behind it, and every rule looked at on the way. */
import type { Decision } from './types.ts';

function where(d: { origin: string; line?: number }, source: string): string {
  if (d.origin === 'built-in') return 'built-in policy';
  return d.line ? `${source} line ${d.line}` : source;
}

export function decisionHeadline(decision: Decision): string {
  switch (decision.kind) {
    case 'allow':
      return decision.auditRead ? 'allow: runs at once, and is recorded in the audit log' : 'allow: runs at once';
    case 'confirm':
      return decision.level === 'typed'
        ? `confirm (typed): the requester types "${decision.expected ?? ''}" to run it`
        : 'confirm (click): the requester confirms to run it';
    case 'approve': {
      const who = decision.approvers.length ? decision.approvers.join(' or ') : 'anyone';
      return `approve: ${decision.count} approval${decision.count === 1 ? '' : 's'} by ${who}${decision.selfApproval ? '' : ' other than the requester'}, within ${decision.ttl}`;
    }
    case 'deny':
      return `deny: ${decision.denial}`;
  }
}

function readAudit(decision: Decision): string {
  if (decision.kind !== 'allow') return 'a refused read is always recorded in the audit log';
  return decision.auditRead
    ? `recorded in the audit log (auditReads: true in ${decision.source}): who, where, actions, region and targets, never the answer`
    : 'not recorded in the audit log (auditReads is off); only refused reads are';
}

export function explainDecision(decision: Decision, actorLabel?: string): string {
  const lines = [`Decision: ${decisionHeadline(decision)}`];
  lines.push(`Rule: "${decision.rule}" (${where(decision, decision.source)})`);
  if (decision.raised) lines.push(`Raised: ${decision.raised} (destructive plans always need a typed confirmation)`);
  if (decision.kind === 'approve') {
    lines.push(
      `Who may approve: ${decision.eligible.includes('*') ? 'anyone' : decision.eligible.join(', ') || '(nobody)'}`,
    );
  }
  if (decision.auditRead !== undefined) lines.push(`Audit: ${readAudit(decision)}`);
  if (actorLabel !== undefined)
    lines.push(`Requester: ${actorLabel}, roles: ${decision.actorRoles.join(', ') || 'none'}`);
  lines.push('Rules looked at:');
  for (const step of decision.trail) {
    lines.push(`  ${step.matched ? '✓' : '✗'} ${step.rule} (${where(step, decision.source)}): ${step.why}`);
  }
  return lines.join('\n');
}
