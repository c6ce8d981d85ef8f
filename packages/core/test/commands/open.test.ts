import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/api/errors.ts';
import { openPipeline } from '../../src/commands/open.ts';

describe('commands/open: one way to open a pipeline', () => {
  const home = () => mkdtempSync(join(tmpdir(), 'tceops-open-'));

  it('with no cloud configured, serves from the embedded cloud the surface brings, and stops it on close', async () => {
    const dir = home();
    let stopped = false;
    const opened = await openPipeline({
      env: { HOME: dir, TCEOPS_STORE: `file:${join(dir, 'store')}` },
      embedded: async () => ({
        url: 'http://127.0.0.1:9',
        credentials: { secretId: 'id', secretKey: 'key' },
        stop: async () => {
          stopped = true;
        },
      }),
    });
    assert.equal(opened.emulatorUrl, 'http://127.0.0.1:9');
    assert.equal(opened.clientOptions.endpoint, 'http://127.0.0.1:9');
    assert.equal(opened.clientOptions.region, 'ap-guangzhou');
    await opened.close();
    assert.ok(stopped);
  });

  it('with a cloud configured, never starts the embedded one', async () => {
    const dir = home();
    const opened = await openPipeline({
      env: { HOME: dir, TCE_ENDPOINT: 'http://127.0.0.1:9', TCEOPS_STORE: `file:${join(dir, 'store')}` },
      embedded: async () => assert.fail('must not start'),
    });
    assert.equal(opened.emulatorUrl, undefined);
    await opened.close();
  });

  it('a bad policy file stops it before anything starts or connects', async () => {
    const dir = home();
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, 'version: 1\nrules: [ {');
    await assert.rejects(
      openPipeline({ env: { HOME: dir, TCEOPS_POLICY: file }, embedded: async () => assert.fail('must not start') }),
      (error: unknown) => error instanceof ConfigError && /policy/i.test(error.message),
    );
  });

  it('reads the surface’s policy file, else TCEOPS_POLICY, else (unset or blank) uses the built-in policy', async () => {
    const dir = home();
    const policy = (name: string) => {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, `version: 1\nrules:\n  - name: ${name}\n    match: { risk: write }\n    deny: no\n`);
      return file;
    };
    const env = { HOME: dir, TCE_ENDPOINT: 'http://127.0.0.1:9', TCEOPS_STORE: `file:${join(dir, 'store')}` };
    const first = async (options: Parameters<typeof openPipeline>[0]) => {
      const opened = await openPipeline(options);
      await opened.close();
      return [opened.policy.source, opened.policy.rules[0]!.name];
    };
    assert.deepEqual(await first({ env: { ...env, TCEOPS_POLICY: policy('from-env') } }), [
      join(dir, 'from-env.yaml'),
      'from-env',
    ]);
    assert.deepEqual(
      await first({ env: { ...env, TCEOPS_POLICY: policy('from-env') }, policyFile: policy('from-surface') }),
      [join(dir, 'from-surface.yaml'), 'from-surface'],
    );
    assert.deepEqual(await first({ env }), ['built-in', 'read']);
    assert.deepEqual(await first({ env: { ...env, TCEOPS_POLICY: '  ' } }), ['built-in', 'read']);
  });
});
