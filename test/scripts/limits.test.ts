import assert from 'node:assert/strict';
import { limitsFrom } from '../../scripts/catalog/limits.ts';

// Descriptions as the TCE docs print them.
describe('catalog/limits', () => {
  it('reads batch sizes, the first one when a nested list has its own', () => {
    assert.deepEqual(limitsFrom('一個或多個待操作的實例ID。每次請求批量實例的上限為100。', 'Array of String'), {
      maxItems: 100,
    });
    assert.deepEqual(limitsFrom('每次请求允许操作的分散置放群组数量上限是100。', 'Array of String'), { maxItems: 100 });
    assert.deepEqual(
      limitsFrom('过滤条件。每次请求的 Filters 的上限为 10，Filter.Values 的上限为5。', 'Array of Filter'),
      { maxItems: 10 },
    );
    assert.deepEqual(
      limitsFrom('支持购买的时候指定21块数据盘，其中最多包含1块LOCAL_BASIC数据盘', 'Array of DataDisk'),
      {},
    );
  });

  it('reads numeric ranges, joining several into the widest', () => {
    assert.deepEqual(limitsFrom('每页数量，用于分页，取值范围[1, 50]；', 'Uint64'), { min: 1, max: 50 });
    assert.deepEqual(limitsFrom('规则优先级，参数范围1-100。其中1为最高，100为最低', 'Int64'), { min: 1, max: 100 });
    assert.deepEqual(limitsFrom('文件系统容量限制大小，输入范围0-1073741824, 单位为GB', 'Uint64'), {
      min: 0,
      max: 1073741824,
    });
    assert.deepEqual(
      limitsFrom(
        '购买实例数量。包年包月实例取值范围：[1, 300]，按量计费实例取值范围：[1, 100]。默认取值：1。',
        'Int64',
      ),
      { min: 1, max: 300, default: '1' },
    );
    assert.deepEqual(limitsFrom('返回数量，默认为20，最大值为100。', 'Int64'), { max: 100, default: '20' });
    assert.deepEqual(limitsFrom('购买实例的时长，单位：月。取值范围：1, 2, 3, 12, 24, 36。', 'Int64'), {
      enum: ['1', '2', '3', '12', '24', '36'],
    });
    assert.deepEqual(limitsFrom('数据盘大小，单位：GB。最小调整步长为10G，不同数据盘类型取值范围不同。', 'Int64'), {});
  });

  it('reads string lengths', () => {
    assert.deepEqual(limitsFrom('迁移任务名称，长度为[1-128]个中英文数字字符，不能包含单引号', 'String'), {
      minLength: 1,
      maxLength: 128,
    });
    assert.deepEqual(limitsFrom('分散置放群组名称，长度1-60个字符，支持中、英文。', 'String'), {
      minLength: 1,
      maxLength: 60,
    });
    assert.deepEqual(limitsFrom('权限组描述信息，1-255个字符', 'String'), { minLength: 1, maxLength: 255 });
    assert.deepEqual(limitsFrom('密钥对名称，可由数字，字母和下划线组成，长度不超过25个字符。', 'String'), {
      maxLength: 25,
    });
    assert.deepEqual(limitsFrom('迁移源的描述，最大长度为256个中英文数字字符', 'String'), { maxLength: 256 });
    assert.deepEqual(
      limitsFrom('实例显示名称。如果不指定则默认显示。最多只支持60个字符，点后面的名字都会过滤掉。', 'String'),
      {
        maxLength: 60,
      },
    );
    assert.deepEqual(limitsFrom('需保证不同请求之间唯一，最大值不超过64个ASCII字符。', 'String'), { maxLength: 64 });
    assert.deepEqual(
      limitsFrom(
        'Windows 实例：名字符长度为[2, 15]，允许字母。其他类型 (Linux 等) 实例：字符长度为[2, 60]。',
        'String',
      ),
      { minLength: 2, maxLength: 60 },
    );
    assert.deepEqual(
      limitsFrom('用户数据，支持的最大数据大小为 16KB。', 'String'),
      {},
      'a size in bytes of base64 is not a length',
    );
  });

  it('reads value lists in their several phrasings', () => {
    const values = (d: string) => limitsFrom(d, 'String').enum;
    assert.deepEqual(
      values('實例的關閉模式。取值範圍: SOFT_FIRST: 表示強制關閉HARD: 直接強制關閉SOFT: 僅軟關機默認取值: SOFT。'),
      ['SOFT_FIRST', 'HARD', 'SOFT'],
    );
    assert.deepEqual(values('迁移任务的目标结果类型，取值范围["Image", "Instance", "Lh-Image", "Lh-Instance"]'), [
      'Image',
      'Instance',
      'Lh-Image',
      'Lh-Instance',
    ]);
    assert.deepEqual(values('读写权限, 可选参数 : ro, rw。ro为只读, rw为读写, 不填默认为读写'), ['ro', 'rw']);
    assert.deepEqual(values('读写权限, 值为 RO、RW；其中 RO 为只读，RW 为读写，不填默认为只读'), ['RO', 'RW']);
    assert.deepEqual(values("迁移任务的目标结果类型，取值有'Image','Instance'；当TargetType从Instance修改Image时"), [
      'Image',
      'Instance',
    ]);
    assert.deepEqual(values('源机器系统类型，取值有linux和windows'), ['linux', 'windows']);
    assert.deepEqual(
      values(
        '自动续费标识。取值范围： <ul style="list-style-type: none"> NOTIFY_AND_AUTO_RENEW：通知 DISABLE_NOTIFY_AND_MANUAL_RENEW：不通知 默认取值：NOTIFY_AND_AUTO_RENEW。',
      ),
      ['NOTIFY_AND_AUTO_RENEW', 'DISABLE_NOTIFY_AND_MANUAL_RENEW'],
    );
    assert.equal(
      values('区域可用情况, 当区域内至少有一个可用区处于可售状态时, 取值为AVAILABLE, 否则为UNAVAILABLE'),
      undefined,
    );
    assert.equal(values('此选项值为1时，默认权限组使用英文'), undefined);
    assert.equal(
      values('存储类型。可选值有 SD 标准型存储、HP 性能型存储'),
      undefined,
      'values with prose between them',
    );
  });

  it('reads defaults, naming the value when the docs name its meaning', () => {
    const def = (d: string, type = 'String') => limitsFrom(d, type).default;
    assert.equal(
      def('任务运行模式。可选值为["Delayed", "Immediate", "Timed"]，默认值为"Delayed"，即创建后任务不启动'),
      'Delayed',
    );
    assert.equal(def('读写权限, 可选参数 : ro, rw。ro为只读, rw为读写, 不填默认为读写'), 'rw');
    assert.equal(def('读写权限, 值为 RO、RW；其中 RO 为只读，RW 为读写，不填默认为只读'), 'RO');
    assert.equal(def('文件系统协议类型，值为 NFS、CIFS；若留空则默认为 NFS 协议'), 'NFS');
    assert.equal(def('公网出带宽上限，单位：Mbps。默认值：0Mbps。', 'Int64'), '0');
    assert.equal(def('是否支持cloud-init，默认为True', 'Bool'), 'True');
    assert.equal(def('文件系统协议类型，输入值 NFS , CIFS ; 不填默认为 NFS', 'Bool'), undefined, 'not a boolean');
    assert.equal(def('文件系统是否加密，若留空则默认为不加密', 'Bool'), undefined);
    assert.equal(def('迁移任务的限速，单位KB/S，默认为空，即不限速。'), undefined);
  });

  it('takes nothing from types that have no such limits', () => {
    assert.deepEqual(limitsFrom('取值范围：[1, 100]。上限为5。长度不超过10个字符。', 'Placement'), {});
  });
});
