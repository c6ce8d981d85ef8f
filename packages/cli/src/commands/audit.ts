/**
 * `tceops audit verify`: check the audit log's hash chain and, with the store key, every record's seal; any
 * edited, rewritten, reordered or removed record fails it, naming the first bad record and the last good one.
 */
import { InputError } from '@tceops/core/api/errors.ts';
import { formatIntegrity, verifyIntegrity } from '@tceops/core/integrity/verify.ts';
import { openStore } from '@tceops/core/store/open.ts';
import type { Io } from '../output.ts';

export async function runAudit(argv: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  if (argv[0] !== 'verify' || argv.length > 1) throw new InputError('usage: tceops audit verify', 'InvalidAction');
  const store = await openStore(env.TCEOPS_STORE, { env });
  try {
    const result = await verifyIntegrity(store);
    (result.ok ? io.out : io.err)(formatIntegrity(result));
    return result.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}
