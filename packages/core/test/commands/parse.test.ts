import assert from 'node:assert/strict';
import { InputError } from '../../src/api/errors.ts';
import { parseCommand } from '../../src/commands/parse.ts';
import { tokenize } from '../../src/commands/tokenize.ts';

const refused = (text: string, pattern: RegExp, code?: string) =>
  assert.throws(
    () => parseCommand(text, { region: 'ap-guangzhou' }),
    (e: unknown) =>
      e instanceof InputError && e.exitCode === 2 && pattern.test(e.message) && (!code || e.code === code),
    text,
  );

describe('commands/parse', () => {
  it('splits text like a shell, including typographic quotes from Slack', () => {
    assert.deepEqual(tokenize(`cvm instances --name "web *" --tag 'env=prod'`), [
      'cvm',
      'instances',
      '--name',
      'web *',
      '--tag',
      'env=prod',
    ]);
    assert.deepEqual(tokenize('deny apr-1 --reason \u201cnot now\u201d'), ['deny', 'apr-1', '--reason', 'not now']);
    assert.throws(() => tokenize('cvm show "web-1'), /unbalanced/);
  });

  it('parses the grammar into a command with typed flags', () => {
    const { command, options } = parseCommand(
      'cvm stop ins-abcd1234 web-2 --stop-type soft_first --region ap-shanghai --dry-run',
    );
    assert.deepEqual(command.spec.path, ['cvm', 'stop']);
    assert.deepEqual(command.args.instance, ['ins-abcd1234', 'web-2']);
    assert.equal(command.flags['stop-type'], 'SOFT_FIRST');
    assert.equal(command.region, 'ap-shanghai');
    assert.equal(options.dryRun, true);
    const list = parseCommand('cvm instances --tag env=prod --tag team=web --limit 5', { region: 'ap-guangzhou' });
    assert.deepEqual(list.command.flags.tag, ['env=prod', 'team=web']);
    assert.equal(list.command.flags.limit, 5);
    assert.equal(list.command.region, 'ap-guangzhou');
    assert.deepEqual(parseCommand(['cvm', 'image', 'delete', 'img-abcd1234']).command.spec.path, [
      'cvm',
      'image',
      'delete',
    ]);
  });

  it('suggests the command meant by an unknown one', () => {
    refused('cvm stp ins-abcd1234', /unknown command[\s\S]*did you mean[\s\S]*cvm stop/, 'InvalidAction');
    refused('cvm instanses', /cvm instances/);
    refused('frobnicate', /unknown command/);
  });

  it('refuses malformed IDs before any call', () => {
    refused('cvm stop ins-1122', /"ins-1122" is not a valid instance ID/, 'InvalidInstanceId.Malformed');
    refused('cvm image delete web-1', /not a valid image ID/);
    refused('cfs delete cfs-!!', /not a valid/);
  });

  it('refuses wrong flag types, bad choices, unknown and repeated flags', () => {
    refused('cvm instances --limit ten', /--limit must be a whole number/);
    refused('cvm stop ins-abcd1234 --stop-type GENTLE', /must be one of SOFT, HARD, SOFT_FIRST/);
    refused(
      'cvm stop ins-abcd1234 --stoptype SOFT',
      /no option --stoptype[\s\S]*did you mean --stop-type/,
      'UnknownParameter',
    );
    refused('cvm stop ins-abcd1234 --stop-type SOFT --stop-type HARD', /given 2 times/);
    refused('cvm stop ins-abcd1234 --stop-type', /needs a value/);
  });

  it('refuses conflicting flags', () => {
    refused(
      'cvm stop ins-abcd1234 --dry-run --yes',
      /--dry-run and --yes cannot be used together/,
      'InvalidParameterCombination',
    );
  });

  it('refuses missing, extra, duplicated and too many targets', () => {
    refused('cvm stop', /needs at least one instance/, 'MissingParameter');
    refused('cvm show web-1 web-2', /takes no more arguments/);
    refused('cvm stop web-1 web-1', /given twice/);
    const many = Array.from({ length: 1001 }, (_, i) => `ins-${i.toString(36).padStart(8, '0')}`).join(' ');
    refused(`cvm terminate ${many}`, /at most 1000/, 'InvalidParameterValue.LimitExceeded');
  });
});
