import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { hmacSha256Hex } from '../../../src/api/sign/hmac.ts';

const expected = (key: Buffer, message: string) => createHmac('sha256', key).update(message).digest('hex');

describe('hmacSha256Hex', () => {
  it('agrees with createHmac for keys of every length around the block size and messages of any text', () => {
    const messages = [
      '',
      'a',
      'tc3_request',
      'x'.repeat(63),
      'y'.repeat(64),
      'z'.repeat(1000),
      '区域 ap-广州 ✓ \u0000\n',
    ];
    for (let length = 0; length <= 130; length++) {
      const key = randomBytes(length);
      for (const message of messages)
        assert.equal(hmacSha256Hex(key, message), expected(key, message), `key of ${length}`);
    }
  });

  it('keeps each key apart when calls for several keys interleave', () => {
    const keys = Array.from({ length: 5 }, () => randomBytes(32));
    for (let round = 0; round < 50; round++) {
      const key = keys[round % keys.length]!;
      const message = `TC3-HMAC-SHA256\n${1764500000 + round}\n2026-11-30/cvm/tc3_request\n${randomBytes(32).toString('hex')}`;
      assert.equal(hmacSha256Hex(key, message), expected(key, message));
    }
  });
});
