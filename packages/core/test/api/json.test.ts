import assert from 'node:assert/strict';
import { JsonLimitError, parseJson, stringifyJson } from '../../src/api/json.ts';

describe('api/json', () => {
  it('keeps integers beyond 2^53 exact, and small numbers as numbers', () => {
    const text = '{"Response":{"FlowId":9007199254740993,"Limit":20,"Price":1.5,"Name":"12345678901234567890"}}';
    const parsed = parseJson(text) as { Response: Record<string, unknown> };
    assert.equal(parsed.Response.FlowId, 9007199254740993n);
    assert.equal(parsed.Response.Limit, 20);
    assert.equal(parsed.Response.Price, 1.5);
    assert.equal(parsed.Response.Name, '12345678901234567890');
    assert.equal(stringifyJson(parsed), text);
  });

  it('at and past 2^53: a number up to 2^53 - 1, a bigint from 2^53 on; 15 digits take the native path', () => {
    const parsed = parseJson(
      '[9007199254740991, 9007199254740992, 9007199254740993, -9007199254740993, 18446744073709551615]',
    ) as unknown[];
    assert.deepEqual(parsed, [
      2 ** 53 - 1,
      9007199254740992n,
      9007199254740993n,
      -9007199254740993n,
      18446744073709551615n,
    ]);
    assert.equal(typeof parsed[0], 'number');
    // No number of 16 digits or more: JSON.parse alone, and the same values.
    const plain = `{"Response":{"TotalCount":999999999999999,"Rows":${JSON.stringify(Array.from({ length: 50 }, (_, i) => ({ Id: `ins-${i}`, Cpu: i })))}}}`;
    assert.deepEqual(parseJson(plain), JSON.parse(plain));
    // One big integer among 50 rows sends the whole page through the exact parser: nothing else changes.
    const mixed = plain.replace('999999999999999', '9007199254740993');
    const exact = parseJson(mixed) as { Response: { TotalCount: unknown; Rows: unknown } };
    assert.equal(exact.Response.TotalCount, 9007199254740993n);
    assert.deepEqual(exact.Response.Rows, (JSON.parse(plain) as { Response: { Rows: unknown } }).Response.Rows);
  });

  it('the native parser would have lost it', () => {
    assert.notEqual(String(JSON.parse('9007199254740993')), '9007199254740993');
  });
});

describe('api/json limits', () => {
  it('refuses a number no double holds instead of turning it into Infinity, 0 or a rounded value', () => {
    for (const text of ['1e400', '-1E400', '1e-400', '4.9e-324', '1.00000000000000000001', '0.12345678901234567891']) {
      assert.throws(
        () => parseJson(`{"a":${text}}`),
        (e: unknown) => e instanceof JsonLimitError && e.message.includes(text),
        text,
      );
    }
  });

  it('keeps exact what a double holds, whichever way it is written', () => {
    const parsed = parseJson(
      '[1e21, 1.5E3, 2.5e-5, 0.30000000000000004, 0e5, -0.0, 100000000000000000000, 0.1000000000000000]',
    );
    assert.deepEqual(parsed, [1e21, 1500, 0.000025, 0.30000000000000004, 0, -0, 100000000000000000000n, 0.1]);
  });

  // How fast a refusal is lives in bench/json.bench.ts (against JSON.parse in the same run): a timed assertion here
  // failed on a loaded machine. What is checked here is what must hold everywhere: the depth error, never a stack
  // overflow or another error, on both parsing paths, however deep the text goes.
  it('refuses nesting past the limit, whatever the shape and however deep, on both parsing paths', () => {
    const deep = (open: string, middle: string, close: string, n: number) => open.repeat(n) + middle + close.repeat(n);
    for (const text of [
      deep('[', '', ']', 1_000_000),
      deep('[', '9007199254740993', ']', 1_000_000), // a risky number: the scanning path
      deep('{"a":', '1', '}', 100),
      deep('{"a":', '1e5', '}', 100),
      deep('[1,', '1', ']', 65),
      deep('[', '', ']', 65),
      `{"x":"${'['.repeat(100)}",${deep('[', '1.5E3', ']', 65).slice(1)}`,
    ]) {
      assert.throws(
        () => parseJson(text),
        (e: unknown) => e instanceof JsonLimitError && /nested deeper than 64 levels/.test(e.message),
        text.slice(0, 40),
      );
    }
    for (const middle of ['', '9007199254740993'])
      assert.deepEqual(parseJson(deep('[', middle, ']', 64)), parseJson(deep('[', middle, ']', 64), 64));
    assert.throws(() => parseJson(deep('[', '', ']', 11), 10), JsonLimitError);
    assert.doesNotThrow(() => parseJson(deep('[', '', ']', 10), 10));
  });

  it('a text over 1 MiB is scanned first: the same values as below it, and a deep one refused the same way', () => {
    const rows = (n: number) =>
      JSON.stringify({ Response: { Set: Array.from({ length: n }, (_, i) => ({ Id: `ins-${i}`, N: i, Tags: [] })) } });
    for (const n of [100, 30_000]) {
      const text = rows(n);
      assert.equal(text.length > 1 << 20, n === 30_000);
      assert.deepEqual(parseJson(text), JSON.parse(text));
    }
    const big = `{"pad":"${'x'.repeat(1 << 20)}","FlowId":9007199254740993,"deep":${'['.repeat(63)}${']'.repeat(63)}}`;
    assert.equal((parseJson(big) as { FlowId: bigint }).FlowId, 9007199254740993n);
    assert.throws(() => parseJson(`${big.slice(0, -1)},"x":${'['.repeat(64)}${']'.repeat(64)}}`), JsonLimitError);
    assert.throws(() => parseJson('['.repeat(2_000_000) + ']'.repeat(2_000_000)), /nested deeper than 64 levels/);
  });

  it('finds a risky number wherever a value may start: after spaces and newlines, in arrays, at the top', () => {
    assert.deepEqual(parseJson('{\n  "a":\n    9007199254740993\n}'), { a: 9007199254740993n });
    assert.equal(parseJson(' 9007199254740993'), 9007199254740993n);
    assert.deepEqual(parseJson('[1,\t-9007199254740993]'), [1, -9007199254740993n]);
    assert.throws(() => parseJson('{"a": [ 1e400 ]}'), JsonLimitError);
    assert.throws(() => parseJson('{"a": 0.12345678901234567891}'), JsonLimitError);
  });

  it('brackets, digits and exponents inside strings are only text', () => {
    const text = `{"a":"${'['.repeat(100)}1e400 12345678901234567890\\"[[","b":[1]}`;
    assert.deepEqual(parseJson(text), JSON.parse(text));
  });
});
