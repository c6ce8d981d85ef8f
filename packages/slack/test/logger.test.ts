import assert from 'node:assert/strict';
import { LogLevel } from '@slack/bolt';
import { RefusedError, registerSecret } from '../src/core.ts';
import { boltLogger, createLog } from '../src/logger.ts';

describe('slack logger', () => {
  it('writes one JSON object per line with time, level, message and fields', () => {
    const lines: string[] = [];
    createLog({ write: (l) => lines.push(l), fields: { component: 'test' } }).info('hello', { user: 'U1' });
    const record = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(record.level, 'info');
    assert.equal(record.msg, 'hello');
    assert.equal(record.user, 'U1');
    assert.equal(record.component, 'test');
    assert.ok(!Number.isNaN(Date.parse(String(record.time))));
  });

  it('a name with control and bidi characters is logged exactly, and inert', () => {
    const lines: string[] = [];
    const name = 'evil\x1b[2K\r\u202eRUNNING\u0085\u2028';
    createLog({ write: (l) => lines.push(l) }).info('stop', { name });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are what must not reach the log raw
    assert.doesNotMatch(lines[0]!, /[\x00-\x1f\x7f-\x9f\u2028\u202e]/);
    assert.equal((JSON.parse(lines[0]!) as { name: string }).name, name);
  });

  it('masks tokens and registered secrets wherever they appear, including inside errors', () => {
    const lines: string[] = [];
    const log = createLog({ write: (l) => lines.push(l) });
    registerSecret('signing-secret-abcdef123');
    log.error('failed with xoxb-123-456-abcdef', {
      error: new Error('bad secret signing-secret-abcdef123 and xapp-1-A1-zzz'),
    });
    const line = lines[0]!;
    assert.ok(!line.includes('xoxb-123-456-abcdef'), line);
    assert.ok(!line.includes('signing-secret-abcdef123'), line);
    assert.ok(!line.includes('xapp-1-A1-zzz'), line);
  });

  it('keeps an error name, code and message', () => {
    const lines: string[] = [];
    createLog({ write: (l) => lines.push(l) }).warn('x', { error: new RefusedError('no', 'SelfApproval') });
    assert.deepEqual((JSON.parse(lines[0]!) as { error: unknown }).error, {
      name: 'RefusedError',
      message: 'no',
      code: 'SelfApproval',
    });
  });

  it('drops lines below the level, and adapts to Bolt’s logger interface', () => {
    const lines: string[] = [];
    const log = createLog({ level: 'warn', write: (l) => lines.push(l) });
    log.info('quiet');
    log.warn('loud');
    assert.equal(lines.length, 1);
    const bolt = boltLogger(createLog({ level: 'debug', write: (l) => lines.push(l) }), 'info');
    bolt.debug('hidden at info');
    bolt.setLevel(LogLevel.DEBUG);
    assert.equal(bolt.getLevel(), LogLevel.DEBUG);
    bolt.debug('shown', { n: 1 });
    assert.match(lines.at(-1)!, /"msg":"shown \{\\"n\\":1\}"/);
    assert.equal(lines.length, 2);
  });
});
