/** Words shared by notifications and the Approvals view (no VS Code here, so they are tested alone). */

/** Who may approve, in words: the policy's "*" means anyone but the requester. */
export function approversText(a: { eligible: string[]; needed: number }): string {
  const count = a.needed === 1 ? 'one approval' : `${a.needed} approvals`;
  const who = a.eligible.length === 0 || a.eligible.includes('*') ? 'anyone but the requester' : a.eligible.join(', ');
  return `${count} (${who})`;
}
