/**
 * `tceops audit verify`: check the audit log's hash chain and, with the store key, every record's seal; any
 * edited, rewritten, reordered or removed record fails it, naming the first bad record and the last good one.
 * `tceops audit list`: the newest records, for people (who looked at or changed what) or as JSON; every value is
 * shown inert, since names and reasons in the log come from users and the cloud.
 */
import { InputError } from '@tceops/core/api/errors.ts';
import { readAudit } from '@tceops/core/audit/log.ts';
import { AUDIT_KINDS, type AuditKind, type AuditRecord } from '@tceops/core/audit/types.ts';
import { formatIntegrity, verifyIntegrity } from '@tceops/core/integrity/verify.ts';
import { openStore } from '@tceops/core/store/open.ts';
import { type Io, json, table } from '../output.ts';

export const AUDIT_USAGE = `usage: tceops audit verify
       tceops audit list [--kind ${AUDIT_KINDS.join('|')}] [--actor USER] [--limit N] [--output json|table]`;

const DEFAULT_LIMIT = 50;

interface ListFlags {
  kind?: AuditKind;
  actor?: string;
  limit: number;
  output: 'json' | 'table';
}

function listFlags(argv: string[]): ListFlags {
  const flags: ListFlags = { limit: DEFAULT_LIMIT, output: 'table' };
  for (let i = 0; i < argv.length; i++) {
    const name = /^--(kind|actor|limit|output)$/.exec(argv[i]!)?.[1];
    const value = argv[i + 1];
    if (!name) throw new InputError(`unexpected "${argv[i]}"`, 'InvalidParameter', AUDIT_USAGE);
    if (value === undefined) throw new InputError(`--${name} needs a value`, 'MissingParameter', AUDIT_USAGE);
    i++;
    if (name === 'kind') {
      if (!AUDIT_KINDS.includes(value as AuditKind))
        throw new InputError(`--kind is one of ${AUDIT_KINDS.join(', ')}`, 'InvalidParameterValue');
      flags.kind = value as AuditKind;
    } else if (name === 'limit') {
      if (!/^[1-9]\d{0,5}$/.test(value))
        throw new InputError('--limit is a whole number from 1 to 999999', 'InvalidParameterValue');
      flags.limit = Number(value);
    } else if (name === 'output') {
      if (value !== 'json' && value !== 'table')
        throw new InputError('--output is json or table', 'InvalidParameterValue');
      flags.output = value;
    } else flags.actor = value;
  }
  return flags;
}

/** One row a record: what a person scanning the log asks first; the JSON output keeps every field. */
function row(r: AuditRecord): Record<string, unknown> {
  const data = r.data as { targets?: unknown[]; actions?: unknown[] } | undefined;
  return {
    seq: r.seq,
    time: r.time,
    actor: r.actor,
    surface: r.surface,
    kind: r.kind,
    event: r.event,
    result: r.result,
    region: r.region,
    command: r.command ?? r.approvalId,
    targets: data?.targets ?? data?.actions,
  };
}

export async function runAudit(argv: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === 'list') {
    const flags = listFlags(rest);
    const store = await openStore(env.TCEOPS_STORE, { env });
    try {
      const records = await readAudit(store, { kind: flags.kind, actor: flags.actor, limit: flags.limit });
      io.out(flags.output === 'json' ? json(records) : table(records.map(row)));
      return 0;
    } finally {
      await store.close();
    }
  }
  if (verb !== 'verify' || rest.length) throw new InputError(AUDIT_USAGE, 'InvalidAction');
  const store = await openStore(env.TCEOPS_STORE, { env });
  try {
    const result = await verifyIntegrity(store);
    (result.ok ? io.out : io.err)(formatIntegrity(result));
    return result.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}
