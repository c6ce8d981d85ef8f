import assert from 'node:assert/strict';
import { ApiError, HttpError, TransportError } from '../../src/api/errors.ts';
import { DEFAULT_RETRY, isRetryable, retryDelay } from '../../src/api/retry.ts';

const transport = (code: string) =>
  new TransportError('x', 'cvm', 'StopInstances', { cause: Object.assign(new Error(code), { code }) });

describe('api/retry', () => {
  it('retries what surely did not run, for reads and writes', () => {
    for (const idempotent of [true, false]) {
      assert.equal(isRetryable(transport('ECONNREFUSED'), idempotent), true);
      assert.equal(isRetryable(new ApiError('RequestLimitExceeded', '', 'r', 'cvm', 'x'), idempotent), true);
      assert.equal(isRetryable(new HttpError(429, '', 'cvm', 'x'), idempotent), true);
    }
  });

  it('retries what may have run only when repeating is safe', () => {
    for (const error of [
      transport('ECONNRESET'),
      new HttpError(503, '', 'cvm', 'x'),
      new ApiError('InternalError', '', 'r', 'cvm', 'x'),
      new TransportError('t', 'cvm', 'x', { timedOut: true }),
    ]) {
      assert.equal(isRetryable(error, true), true, error.message);
      assert.equal(isRetryable(error, false), false, error.message);
    }
  });

  it('never retries a cancelled call or a refusal', () => {
    assert.equal(isRetryable(new TransportError('c', 'cvm', 'x', { aborted: true }), true), false);
    assert.equal(isRetryable(new ApiError('InvalidInstanceId.NotFound', '', 'r', 'cvm', 'x'), true), false);
  });

  it('backs off exponentially with jitter, capped', () => {
    const error = new HttpError(503, '', 'cvm', 'x');
    assert.equal(
      retryDelay(error, 0, DEFAULT_RETRY, () => 0.999),
      199,
    );
    assert.equal(
      retryDelay(error, 3, DEFAULT_RETRY, () => 0.5),
      800,
    );
    assert.equal(
      retryDelay(error, 20, DEFAULT_RETRY, () => 0.999),
      4995,
    );
    assert.equal(
      retryDelay(new ApiError('RequestLimitExceeded', '', 'r', 'cvm', 'x'), 0, DEFAULT_RETRY, () => 0),
      250,
    );
  });

  it('rate-limit retries outlast the one-second window, whatever the jitter; other errors keep full jitter', () => {
    const limited = new ApiError('RequestLimitExceeded', '', 'r', 'cvm', 'x');
    for (const random of [() => 0, () => 0.5, () => 0.999]) {
      let waited = 0;
      for (let attempt = 0; attempt < DEFAULT_RETRY.retries; attempt++)
        waited += retryDelay(limited, attempt, DEFAULT_RETRY, random);
      // The refused request's window holds only requests sent before it: its last retry comes after that window.
      assert.ok(waited > 1000, `${waited} ms over ${DEFAULT_RETRY.retries} retries`);
    }
    assert.equal(
      retryDelay(limited, 10, DEFAULT_RETRY, () => 0),
      DEFAULT_RETRY.maxDelayMs,
      'still capped',
    );
    assert.equal(
      retryDelay(new HttpError(503, '', 'cvm', 'x'), 2, DEFAULT_RETRY, () => 0),
      0,
    );
  });
});
