import assert from 'node:assert/strict';
import { Counter, createMetrics, Histogram } from '../src/metrics.ts';

describe('slack metrics', () => {
  it('renders counters with sorted, escaped labels', () => {
    const c = new Counter('x_total', 'X.');
    c.inc({ b: '2', a: 'say "hi"\n' });
    c.inc({ b: '2', a: 'say "hi"\n' }, 2);
    assert.equal(c.render(), '# HELP x_total X.\n# TYPE x_total counter\nx_total{a="say \\"hi\\"\\n",b="2"} 3');
  });

  it('renders cumulative histogram buckets with sum and count', () => {
    const h = new Histogram('lat_seconds', 'Latency.', [0.01, 0.1, 1]);
    for (const v of [0.005, 0.05, 0.05, 2]) h.observe(v, { t: 'http' });
    const text = h.render();
    assert.match(text, /lat_seconds_bucket\{t="http",le="0.01"\} 1\n/);
    assert.match(text, /lat_seconds_bucket\{t="http",le="0.1"\} 3\n/);
    assert.match(text, /lat_seconds_bucket\{t="http",le="1"\} 3\n/);
    assert.match(text, /lat_seconds_bucket\{t="http",le="\+Inf"\} 4\n/);
    assert.match(text, /lat_seconds_sum\{t="http"\} 2.105\n/);
    assert.match(text, /lat_seconds_count\{t="http"\} 4$/);
  });

  it('exposes the six families the README documents', () => {
    const text = createMetrics().render();
    for (const name of [
      'tceops_slack_commands_total',
      'tceops_slack_ack_seconds',
      'tceops_slack_approvals_total',
      'tceops_slack_errors_total',
      'tceops_api_streams_open',
      'tceops_api_streams_refused_total',
    ]) {
      assert.match(text, new RegExp(`# TYPE ${name} `));
    }
  });

  it('reads the open streams when rendered, from wherever they are counted', () => {
    const metrics = createMetrics();
    assert.match(metrics.render(), /^tceops_api_streams_open 0$/m, 'no API: none open');
    let open = 3;
    metrics.apiStreams.from(() => open);
    assert.match(metrics.render(), /^# TYPE tceops_api_streams_open gauge\ntceops_api_streams_open 3$/m);
    open = 1;
    assert.match(metrics.render(), /^tceops_api_streams_open 1$/m);
  });
});
