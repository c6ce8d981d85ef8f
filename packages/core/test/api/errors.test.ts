import assert from 'node:assert/strict';
import { ApiError, InputError } from '../../src/api/errors.ts';

describe('api/errors', () => {
  it('input errors exit with 2, API errors with 1', () => {
    assert.equal(new InputError('bad').exitCode, 2);
    assert.equal(
      new ApiError('InvalidInstanceId.NotFound', 'no such instance', 'req-1', 'cvm', 'StopInstances').exitCode,
      1,
    );
  });
  it('an API error names its code and RequestId', () => {
    const e = new ApiError('InvalidInstanceId.NotFound', 'no such instance', 'req-1', 'cvm', 'StopInstances');
    assert.match(e.message, /InvalidInstanceId\.NotFound.*RequestId req-1/);
  });
});
