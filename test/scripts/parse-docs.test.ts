import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceCatalog } from '../../packages/core/src/catalog/types.ts';
import { parseDocs } from '../../scripts/catalog/parse-docs.ts';

const here = dirname(fileURLToPath(import.meta.url));
const seeds = resolve(here, '../../../shared/seeds');
const data = resolve(here, '../../packages/core/src/catalog/data');

describe('catalog/parse-docs on the TCE docs', () => {
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
        `${catalog.service} ${catalog.version} differs from the docs: run "npm run catalog"`,
      );
    }
  });

  it('finds every action listed in each overview, and nothing else', () => {
    // The parser throws when an overview entry has no page or a page has no entry; these are the totals.
    assert.deepEqual(
      parsed.map((c) => Object.keys(c.actions).length),
      [18, 78, 19, 28],
    );
  });
});

/** A small document shaped like the TCE reference, with the conversion damage the real one has. */
function doc(options: { version?: string; pageVersion?: string; extraOverview?: string } = {}): string {
  const version = options.version ?? '2021-09-15';
  return [
    '服务迁移 (csm)',
    '',
    `版本 (${version})`,
    '',
    'API 概览',
    '',
    '最近更新时间: 2025-10-20',
    '',
    '任务相关接口',
    '',
    '接口名称\t接口功能',
    'StopThing\t停止东西',
    '',
    '接口名称\t接口功能',
    'StartThing\t启动东西',
    ...(options.extraOverview ? [`${options.extraOverview}\t别的`] : []),
    '',
    '其他接口',
    '',
    '接口名称\t接口功能',
    'OtherThing\t别的东西',
    '',
    '调用方式',
    '',
    '公共错误码',
    '',
    '错误码\t错误描述',
    'FromTheSigningPages\t签名页里的一份',
    '',
    '任务相关接口',
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
    '- 只有運行中的才可以停止。',
    '- 每次請求批量的上限為100。',
    '',
    '默認接口請求頻率限制: 10次/秒。',
    '',
    '接口更新時間: 2023-07-19 10:40:59。',
    '',
    '接口只驗簽名不鑒權。',
    '',
    '2. 輸入參數',
    '',
    '參數名稱\t必選\t允許NULL\t類型\t描述',
    'Action\t是\t否\tString\t公共參數，本接口取值: StopThing',
    `Version\t是\t否\tString\t公共參數，本接口取值: ${options.pageVersion ?? version}`,
    'Region\t是\t否\tString\t公共參數，地域信息',
    'Ids\t是\t否\tArray of String\t要停止的ID。每次請求批量實例的上限為100。',
    'Mode\t否\t否\tString\t模式，取值範圍: SOFT: 軟 HARD: 硬',
    '默認取值: SOFT。',
    '',
    '參數名稱\t必選\t允許NULL\t類型\t描述',
    'Secret\t否\t否\tString\t此參數對外不可見。 内部用',
    '',
    '3. 輸出參數',
    '',
    '参数名称\t类型\t描述',
    'TaskId\tString\t此参数对外不可见。 任务ID',
    'Detail\tString\t详情。注意：此字段可能返回 null，表示取不到有效值。',
    'RequestId\tString\t唯一请求 ID',
    '',
    '4. 错误码',
    '',
    '错误码\t描述',
    'InvalidThing\t无效',
    '',
    '错误码\t描述',
    'InvalidThing.Malformed\t格式错误',
    '',
    ...simplifiedPage(
      'StartThing',
      '启动',
      [`Version\t是\t否\tString\t公共参数,本接口取值: ${version}`, 'Placement\t是\t否\tPlacement\t位置'],
      ['该接口暂无业务逻辑相关的错误码，其他错误码详见[公共错误码](#)。'],
    ),
    '其他接口',
    '',
    ...simplifiedPage(
      'OtherThing',
      '别的',
      [`Version\t是\t否\tString\t公共参数，本接口取值：${version}`],
      ['错误码\t描述', 'FailedOperation\t失败'],
    ),
    '数据结构',
    '',
    '最近更新时间: 2025-10-20',
    '',
    'Placement',
    '',
    '描述了位置',
    '',
    '被如下接口引用：StartThing',
    '',
    '名称\t必选\t允许NULL\t类型\t描述',
    'Zone\t是\t否\tString\t可用区',
    '',
    '名称\t必选\t允许NULL\t类型\t描述',
    'ProjectId\t否\t否\tInteger\t项目，取值范围：[0, 10]，默认值为0',
    '',
    '错误码',
    '',
    '最近更新时间: 2025-10-20',
    '',
    '公共错误码',
    '',
    '错误码\t说明',
    'InternalError\t内部错误。',
    '',
    '错误码\t说明',
    'MissingParameter\t缺少参数错误。',
    '',
    '业务错误码',
    '',
    '错误码\t说明',
    'InvalidThing\t无效',
  ].join('\n');
}

/**
 * A page as the simplified-character pages print it, host, rate limit and output alike: what differs is its name,
 * purpose, input rows (the Version row's punctuation among them) and errors section.
 */
function simplifiedPage(name: string, purpose: string, inputs: string[], errors: string[]): string[] {
  return [
    name,
    '',
    '最近更新时间: 2025-10-20',
    '',
    '1. 接口描述',
    '',
    '接口请求域名：csm.example.com。',
    '',
    `本接口用于${purpose}。`,
    '',
    '默认接口请求频率限制：20次/秒。',
    '',
    '接口既验签名又鉴权。',
    '',
    '2. 输入参数',
    '',
    '参数名称\t必选\t允许NULL\t类型\t描述',
    ...inputs,
    '',
    '3. 输出参数',
    '',
    '参数名称\t类型\t描述',
    'RequestId\tString\t唯一请求 ID',
    '',
    '4. 错误码',
    '',
    ...errors,
    '',
  ];
}

describe('catalog/parse-docs on a document broken by the PDF conversion', () => {
  const [catalog] = parseDocs([doc()]);
  const stop = catalog!.actions.StopThing!;

  it('reads a page in traditional characters', () => {
    assert.equal(stop.host, 'csm.example.com');
    assert.equal(stop.group, '任务相关接口');
    assert.equal(stop.summary, '停止东西');
    assert.equal(stop.rateLimit, 10);
    assert.equal(stop.auth, 'sign');
    assert.equal(stop.description, '本接口用於停止。', 'the first paragraph, in the characters the docs print');
    assert.deepEqual(stop.notes, ['只有運行中的才可以停止。', '每次請求批量的上限為100。']);
  });

  it('drops the common parameters, joins wrapped rows and reads on past a repeated header', () => {
    assert.deepEqual(
      stop.input.map((p) => p.name),
      ['Ids', 'Mode', 'Secret'],
    );
    assert.equal(stop.input[0]!.maxItems, 100);
    const mode = stop.input[1]!;
    assert.equal(mode.description, '模式，取值範圍: SOFT: 軟 HARD: 硬 默認取值: SOFT。');
    assert.deepEqual(mode.enum, ['SOFT', 'HARD']);
    assert.equal(mode.default, 'SOFT');
  });

  it('marks hidden parameters and strips the phrase; outputs that may be null are nullable', () => {
    assert.deepEqual([stop.input[2]!.hidden, stop.input[2]!.description], [true, '内部用']);
    assert.deepEqual(
      stop.output.map((p) => [p.name, p.hidden, p.nullable, p.description]),
      [
        ['TaskId', true, false, '任务ID'],
        ['Detail', false, true, '详情。注意：此字段可能返回 null，表示取不到有效值。'],
      ],
    );
  });

  it('ends an error table at the next group heading', () => {
    assert.deepEqual(stop.errors, [
      { code: 'InvalidThing', description: '无效' },
      { code: 'InvalidThing.Malformed', description: '格式错误' },
    ]);
    assert.deepEqual(catalog!.actions.StartThing!.errors, []);
    assert.deepEqual(catalog!.actions.OtherThing!.errors, [{ code: 'FailedOperation', description: '失败' }]);
    assert.equal(catalog!.actions.OtherThing!.group, '其他接口');
  });

  it('reads a structure whose table a page break cut in two, and the error page', () => {
    const placement = catalog!.structures.Placement!;
    assert.equal(placement.description, '描述了位置');
    assert.deepEqual(
      placement.fields.map((f) => [f.name, f.required, f.min, f.max, f.default]),
      [
        ['Zone', true, undefined, undefined, undefined],
        ['ProjectId', false, 0, 10, '0'],
      ],
    );
    assert.deepEqual(
      catalog!.commonErrors.map((e) => e.code),
      ['InternalError', 'MissingParameter'],
      'from the 错误码 page, not the copy in the signing pages',
    );
    assert.deepEqual(catalog!.serviceErrors, [{ code: 'InvalidThing', description: '无效' }]);
  });

  it('stops with the line number when the document is not what it expects', () => {
    assert.throws(() => parseDocs([doc({ pageVersion: '2020-01-01' })]), /line 31: StopThing says version 2020-01-01/);
    assert.throws(() => parseDocs([doc({ extraOverview: 'GhostThing' })]), /no page for GhostThing/);
  });
});
