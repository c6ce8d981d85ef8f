/** Plans for tests, built the way the command grammar will build them. */
import type { Risk } from '../../src/catalog/types.ts';
import { buildPlan } from '../../src/plan/summary.ts';
import type { Plan, PlanTarget } from '../../src/plan/types.ts';

export function instance(id: string, over: Partial<PlanTarget> = {}): PlanTarget {
  return {
    kind: 'instance',
    id,
    name: `web-${id.slice(-1)}`,
    state: 'RUNNING',
    type: 'S5.MEDIUM4',
    zone: 'ap-guangzhou-3',
    region: 'ap-guangzhou',
    tags: {},
    ...over,
  };
}

const ACTIONS: Record<string, [string, Risk]> = {
  Terminate: ['TerminateInstances', 'destructive'],
  Stop: ['StopInstances', 'sensitive'],
  Start: ['StartInstances', 'write'],
  Describe: ['DescribeInstances', 'read'],
};

export function cvmPlan(verb: keyof typeof ACTIONS, targets: PlanTarget[], over: Partial<Plan> = {}): Plan {
  const [action, risk] = ACTIONS[verb]!;
  return buildPlan({
    command: `cvm ${verb.toLowerCase()} ${targets.map((t) => t.id).join(' ')}`,
    service: 'cvm',
    verb,
    risk,
    region: 'ap-guangzhou',
    targets,
    calls: [
      {
        service: 'cvm',
        version: '2017-03-12',
        action,
        region: 'ap-guangzhou',
        params: { InstanceIds: targets.map((t) => t.id) },
      },
    ],
    ...over,
  });
}
