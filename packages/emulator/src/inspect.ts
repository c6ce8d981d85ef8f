/**
 * /_tce/*: the emulator's own endpoints, plain JSON (not the TCE envelope), unauthenticated like the rest of a
 * loopback development tool:
 *   GET    /_tce/health     status, uptime, counts of every resource, the state file's last write
 *   GET    /_tce/state      the whole state, as the state file holds it
 *   POST   /_tce/reset      back to a seed: {"seed": "demo"|"empty", "instances": N} (both optional)
 *   GET    /_tce/requests   the most recent API requests (?limit=N), without parameters or secrets
 *   GET    /_tce/coverage   every documented action: emulated, empty (answers an empty result) or unsupported
 *   GET    /_tce/faults     the active fault rules
 *   POST   /_tce/faults     add one rule or a list (see faults.ts)
 *   DELETE /_tce/faults     remove every rule, or one with ?id=
 *   POST   /_tce/prices     scale every price: {"factor": 1.5} (1 = the list price)
 */
import type { RequestRecord } from './api.ts';
import { stringifyJson } from './core.ts';
import { type FaultRule, type Faults, parseFaultRule } from './faults.ts';
import { coverage } from './services/index.ts';
import { counts, type EmulatorState } from './state.ts';

export interface InspectContext {
  state: () => EmulatorState;
  faults: Faults;
  requests: () => RequestRecord[];
  startedAt: number;
  served: () => number;
  persistence: () => { file?: string; at?: string; error?: string };
  reset: (seed: 'demo' | 'empty', instances: number) => void;
}

export interface InspectAnswer {
  status: number;
  body: string;
}

const json = (status: number, value: unknown): InspectAnswer => ({ status, body: stringifyJson(value) });
const problem = (status: number, message: string) => json(status, { error: message });

function parseBody(body: Buffer): unknown {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`the body is not valid JSON: ${(error as Error).message}`);
  }
}

export function inspect(method: string, url: URL, body: Buffer, context: InspectContext): InspectAnswer {
  const route = `${method} ${url.pathname.replace(/\/+$/, '')}`;
  try {
    switch (route) {
      case 'GET /_tce/health':
        return json(200, {
          status: 'ok',
          uptimeSeconds: Math.round((Date.now() - context.startedAt) / 1000),
          requestsServed: context.served(),
          counts: counts(context.state()),
          stateFile: context.persistence(),
        });
      case 'GET /_tce/state':
        return { status: 200, body: stringifyJson(context.state()) };
      case 'POST /_tce/reset': {
        const options = parseBody(body) as { seed?: unknown; instances?: unknown };
        const seed = options.seed ?? 'demo';
        if (seed !== 'demo' && seed !== 'empty') return problem(400, 'seed must be "demo" or "empty"');
        const instances = options.instances ?? 0;
        if (typeof instances !== 'number' || !Number.isInteger(instances) || instances < 0 || instances > 1_000_000)
          return problem(400, 'instances must be a whole number from 0 to 1000000');
        context.reset(seed, instances);
        return json(200, { reset: seed, counts: counts(context.state()) });
      }
      case 'GET /_tce/requests': {
        const limit = Number(url.searchParams.get('limit') ?? 100);
        if (!Number.isInteger(limit) || limit < 1) return problem(400, 'limit must be a positive whole number');
        return json(200, { requests: context.requests().slice(-limit) });
      }
      case 'GET /_tce/coverage': {
        const actions = coverage();
        const summary = { emulated: 0, empty: 0, unsupported: 0, refusals: 0 };
        for (const a of actions) {
          summary[a.status] += 1;
          summary.refusals += a.refusals;
        }
        return json(200, { summary, actions });
      }
      case 'GET /_tce/faults':
        return json(200, { faults: context.faults.list() });
      case 'POST /_tce/faults': {
        const input = parseBody(body);
        const rules: FaultRule[] = (Array.isArray(input) ? input : [input]).map(parseFaultRule);
        return json(200, { added: rules.map((r) => context.faults.add(r)) });
      }
      case 'DELETE /_tce/faults': {
        const id = url.searchParams.get('id');
        if (id === null) {
          context.faults.clear();
          return json(200, { faults: [] });
        }
        return context.faults.remove(id) ? json(200, { removed: id }) : problem(404, `no fault ${id}`);
      }
      case 'POST /_tce/prices': {
        const { factor } = parseBody(body) as { factor?: unknown };
        if (typeof factor !== 'number' || !(factor > 0) || factor > 1000)
          return problem(400, 'factor must be a number above 0 (1 = the list price)');
        context.state().priceFactor = factor;
        return json(200, { priceFactor: factor });
      }
      default:
        return problem(
          404,
          `no such endpoint: ${route}. See /_tce/health, /_tce/state, /_tce/reset, /_tce/requests, /_tce/coverage, /_tce/faults`,
        );
    }
  } catch (error) {
    return problem(400, (error as Error).message);
  }
}
