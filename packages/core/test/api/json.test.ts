import assert from 'node:assert/strict';
import { parseJson, stringifyJson } from '../../src/api/json.ts';

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

  it('the native parser would have lost it', () => {
    assert.notEqual(String(JSON.parse('9007199254740993')), '9007199254740993');
  });
});
