/**
 * Responses that are huge, deep or malformed, generated from a seed: each call answers with the Response or a
 * TceopsError naming the action, quickly, with no secret in its message; nothing else escapes.
 */
import assert from 'node:assert/strict';
import { createClient } from '../../src/api/client.ts';
import { TceopsError } from '../../src/api/errors.ts';
import { prng } from '../fuzz.ts';

const SECRET_KEY = 'fuzz-secret-key-0123456789abcdef';
const credentials = { secretId: 'AKIDfuzz', secretKey: SECRET_KEY, source: 'test' };

/** Building blocks a broken or hostile server might send. */
function generate(random: () => number): string {
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  const depth = pick([1, 10, 63, 64, 65, 1000, 100_000]);
  const numbers = [
    '0',
    '-0',
    '1e400',
    '-1e400',
    '1e-400',
    '4.9e-324',
    '9007199254740993',
    '1.5',
    '1e21',
    '0.1000000000000000000001',
    '123456789012345678901234567890',
    'NaN',
    'Infinity',
    '01',
    '1.',
    '.5',
    '+1',
    '0x10',
  ];
  const strings = [
    '"ok"',
    `"${SECRET_KEY}"`,
    '"\\u0000\\u001b[2J"',
    '"\\ud800"',
    '"\u202eevil"',
    `"${'x'.repeat(pick([0, 1000, 100_000]))}"`,
    '"unterminated',
    '"\\x"',
  ];
  const value = (): string => {
    const r = random();
    if (r < 0.3) return pick(numbers);
    if (r < 0.55) return pick(strings);
    if (r < 0.65) return pick(['true', 'false', 'null', 'nul', 'tru']);
    if (r < 0.8) return `[${Array.from({ length: Math.floor(random() * 4) }, value).join(',')}]`;
    return `{${Array.from({ length: Math.floor(random() * 4) }, () => `${pick(strings)}:${value()}`).join(',')}}`;
  };
  const shape = random();
  let body: string;
  if (shape < 0.15) body = `{"Response":{"X":${'['.repeat(depth)}${']'.repeat(depth)},"RequestId":"r"}}`;
  else if (shape < 0.3) body = `{"Response":{"Error":{"Code":${value()},"Message":${value()}},"RequestId":${value()}}}`;
  else if (shape < 0.4)
    body = pick([
      '',
      'null',
      '[]',
      '"Response"',
      '{"Response":null}',
      '{"Response":[]}',
      '{"Response":"x"}',
      '<html>502</html>',
      `{"Response":{"SecretKey":"${SECRET_KEY}"}`,
    ]);
  else body = `{"Response":{"A":${value()},"B":${value()},"RequestId":"r"}}`;
  // Cut short, or with bytes that are not UTF-8, now and then.
  if (random() < 0.1) body = body.slice(0, Math.floor(random() * body.length));
  if (random() < 0.05) body = `${body}\uFFFD\uD800`;
  return body;
}

describe('api fuzz: huge, deep and malformed responses', () => {
  it('4,000 generated answers: the Response, or a clear TceopsError naming the action, with no secret', async function () {
    this.timeout(120_000);
    const random = prng(20261130);
    let body = '';
    let status = 200;
    const client = createClient({
      endpoint: 'http://127.0.0.1:9',
      credentials,
      env: {},
      rateLimit: false,
      retry: { retries: 0 },
      maxResponseBytes: 256 * 1024,
      fetch: async () => ({ status, text: async () => body }),
    });
    let answered = 0;
    let refused = 0;
    let worst = 0;
    for (let i = 0; i < 4000; i++) {
      body = generate(random);
      status = random() < 0.9 ? 200 : Math.floor(100 + random() * 500);
      const started = performance.now();
      try {
        const response = await client.call('cvm', 'DescribeRegions', {});
        assert.ok(response && typeof response === 'object');
        answered++;
      } catch (error) {
        if (!(error instanceof TceopsError))
          assert.fail(`answer ${i} escaped: ${(error as Error).stack}\n${body.slice(0, 200)}`);
        assert.match(error.message, /^cvm:DescribeRegions/, `answer ${i}`);
        assert.ok(!error.message.includes(SECRET_KEY), `answer ${i} leaked the key: ${error.message}`);
        assert.ok(error.message.length < 1000, `answer ${i}: a ${error.message.length}-character message`);
        refused++;
      }
      worst = Math.max(worst, performance.now() - started);
    }
    console.log(`      api fuzz: ${answered} answered, ${refused} refused, worst ${worst.toFixed(1)} ms`);
    assert.ok(answered > 300 && refused > 300, `both sides reached (${answered}/${refused})`);
    assert.ok(worst < 1000, `worst ${worst.toFixed(0)} ms`);
  });
});
