/** Engine calls from handlers: an exception becomes an error outcome the user sees, and a log line and a metric. */
import type { Outcome } from '../core.ts';
import type { Deps } from './deps.ts';

export async function safely(deps: Deps, what: string, call: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await call();
  } catch (error) {
    deps.metrics.errors.inc({ where: 'engine' });
    deps.log.error('the engine failed', { what, error });
    const e = error instanceof Error ? error : new Error(String(error));
    return { kind: 'error', error: e as never };
  }
}
