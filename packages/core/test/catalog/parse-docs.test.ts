import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocs } from '../../src/catalog/parse-docs.ts';
import type { ServiceCatalog } from '../../src/catalog/types.ts';

const here = dirname(fileURLToPath(import.meta.url));
const seeds = resolve(here, '../../../../../shared/seeds');
const data = resolve(here, '../../src/catalog/data');

describe('catalog/parse-docs', () => {
  let parsed: ServiceCatalog[];
  before(function () {
    if (!existsSync(seeds)) this.skip();
    this.timeout(30_000);
    parsed = parseDocs(
      readdirSync(seeds)
        .filter((f) => f.endsWith('.txt'))
        .sort()
        .map((f) => readFileSync(join(seeds, f), 'utf8')),
    );
  });

  it('regenerates exactly the committed catalog', () => {
    assert.deepEqual(
      parsed.map((c) => `${c.service}-${c.version}`),
      ['csm-2021-09-15', 'cvm-2017-03-12', 'cfs-2018-04-16', 'cfs-2019-07-19'],
    );
    for (const catalog of parsed) {
      const committed = readFileSync(join(data, `${catalog.service}-${catalog.version}.json`), 'utf8');
      assert.equal(
        `${JSON.stringify(catalog, null, 2)}\n`,
        committed,
        `${catalog.service} ${catalog.version}: run "npm run catalog"`,
      );
    }
  });
});

describe('catalog/parse-docs on a page broken by the PDF conversion', () => {
  const text = [
    '服务迁移 (csm)',
    '',
    '版本 (2021-09-15)',
    '',
    'API 概览',
    '',
    '最近更新时间: 2025-10-20',
    '',
    '任务相关接口',
    '',
    '接口名称\t接口功能',
    'StopThing\t停止',
    '',
    '调用方式',
    '',
    'StopThing',
    '',
    '最近更新時間: 2025-10-20',
    '',
    '1. 接口描述',
    '',
    '接口請求域名: csm.example.com。',
    '',
    '本接口用於停止。',
    '',
    '默認接口請求頻率限制: 10次/秒。',
    '',
    '接口只驗簽名不鑒權。',
    '',
    '2. 輸入參數',
    '',
    '參數名稱\t必選\t允許NULL\t類型\t描述',
    'Action\t是\t否\tString\t公共參數，本接口取值: StopThing',
    'Ids\t是\t否\tArray of String\t要停止的ID。每次請求批量實例的上限為100。',
    'Mode\t否\t否\tString\t模式，',
    '續行的描述。',
    '',
    '參數名稱\t必選\t允許NULL\t類型\t描述',
    'Secret\t否\t否\tString\t此參數對外不可見。 内部用',
    '',
    '3. 輸出參數',
    '',
    '参数名称\t类型\t描述',
    'RequestId\tString\t唯一请求 ID',
    '',
    '4. 错误码',
    '',
    '错误码\t描述',
    'InvalidThing\t无效',
  ].join('\n');

  it('reads traditional characters, wrapped rows, repeated headers and hidden parameters', () => {
    const [catalog] = parseDocs([text]);
    const action = catalog!.actions.StopThing!;
    assert.equal(action.host, 'csm.example.com');
    assert.equal(action.group, '任务相关接口');
    assert.equal(action.rateLimit, 10);
    assert.equal(action.auth, 'sign');
    assert.deepEqual(
      action.input.map((p) => p.name),
      ['Ids', 'Mode', 'Secret'],
    );
    assert.equal(action.input[0]!.maxItems, 100);
    assert.equal(action.input[1]!.description, '模式， 續行的描述。');
    assert.equal(action.input[2]!.hidden, true);
    assert.equal(action.input[2]!.description, '内部用');
    assert.deepEqual(action.output, []);
    assert.deepEqual(action.errors, [{ code: 'InvalidThing', description: '无效' }]);
  });
});
