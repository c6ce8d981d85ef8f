/**
 * Limits stated in a parameter's description: batch sizes, numeric ranges, string lengths, allowed values and
 * defaults. Each one is refused before a request is sent, so a wrong limit blocks a valid request: only phrasings
 * whose meaning is plain are read, and anything else is left to the server.
 */
import { simplify } from './traditional.ts';
import type { Param } from '../../packages/core/src/catalog/types.ts';

export type Limits = Pick<Param, 'maxItems' | 'min' | 'max' | 'minLength' | 'maxLength' | 'enum' | 'default'>;

type Kind = 'array' | 'integer' | 'float' | 'string' | 'boolean' | 'other';

function kindOf(type: string): Kind {
  if (type.startsWith('Array of ')) return 'array';
  if (/^(Integer|Int|Int64|Uint64|UInt64)$/.test(type)) return 'integer';
  if (type === 'Float' || type === 'Double') return 'float';
  if (type === 'String') return 'string';
  if (type === 'Bool' || type === 'Boolean') return 'boolean';
  return 'other';
}

const TOKEN = '[A-Za-z0-9_.*-]+';

/** "上限为100", "数量上限是100", "上限為1" (the first one: "Filters 的上限为 10，Filter.Values 的上限为5"). */
function maxItemsFrom(d: string): number | undefined {
  const m = /上限\s*(?:为|是)\s*(\d+)/.exec(d) ?? /最多(?:支持|可|可以)?(?:传入|指定|输入)?\s*(\d+)\s*个/.exec(d);
  return m ? Number(m[1]) : undefined;
}

/** Every "a to b" range in the text, joined: "包年包月[1, 300]，按量计费[1, 100]" allows 1 to 300. */
function unionOfRanges(text: string, patterns: RegExp[]): { min: number; max: number } | undefined {
  let range: { min: number; max: number } | undefined;
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) {
      const [a, b] = [Number(m[1]), Number(m[2])];
      if (!(a <= b)) continue;
      range = range ? { min: Math.min(range.min, a), max: Math.max(range.max, b) } : { min: a, max: b };
    }
  }
  return range;
}

const NUMBER_RANGES = [
  // 取值范围：[1, 100] / 取值范围是[1, 450] / 取值范围[1, 50]
  /(?:取值范围|参数范围|输入范围)\s*(?:是|为|有)?\s*[:：]?\s*\[\s*(-?\d+)\s*[,，]\s*(-?\d+)\s*\]/g,
  // 参数范围1-100 / 输入范围0-1073741824
  /(?:取值范围|参数范围|输入范围)\s*(?:是|为)?\s*[:：]?\s*(-?\d+)\s*[-~～]\s*(\d+)/g,
];

function numberLimits(d: string, limits: Limits): void {
  const list = /取值范围\s*[:：]\s*(\d+(?:\s*[,，、]\s*\d+)+)/.exec(d);
  if (list) {
    limits.enum = list[1]!.split(/\s*[,，、]\s*/);
    return;
  }
  const range = unionOfRanges(d, NUMBER_RANGES);
  if (range) {
    limits.min = range.min;
    limits.max = range.max;
    return;
  }
  const max = /最大值\s*(?:为|是)\s*(\d+)/.exec(d);
  if (max) limits.max = Number(max[1]);
  const min = /最小值\s*(?:为|是)\s*(\d+)/.exec(d);
  if (min) limits.min = Number(min[1]);
}

const LENGTH_RANGES = [
  // 长度为[1-128] / 长度[7-15] / 字符长度为[2, 15]
  /长度\s*(?:为|是)?\s*\[\s*(\d+)\s*[-,，~]\s*(\d+)\s*\]/g,
  // 长度1-60个字符 / 长度为2~128个英文或中文字符
  /长度\s*(?:为|是)?\s*(\d+)\s*[-~～]\s*(\d+)\s*个/g,
  // 1-64个字符
  /(?<![\d.])(\d+)\s*[-~～]\s*(\d+)\s*个(?:中英文数字|英文数字|英文或中文|中英文)?字符/g,
];

const LENGTH_MAXIMA = [
  /长度\s*(?:不超过|不能超过|不得超过|小于等于|最多|上限为)\s*(\d+)/,
  /最大长度\s*(?:为|是)\s*(\d+)/,
  /(?:不超过|不能超过|不得超过|最多|最长|最大值不超过)\s*(?:只|可)?(?:支持|输入)?\s*(\d+)\s*个?\s*(?:中英文数字|英文数字|英文或中文|中英文|ASCII\s*)?(?:字符|字节)/,
];

function lengthLimits(d: string, limits: Limits): void {
  const range = unionOfRanges(d, LENGTH_RANGES);
  if (range) {
    if (range.min > 0) limits.minLength = range.min;
    limits.maxLength = range.max;
    return;
  }
  for (const pattern of LENGTH_MAXIMA) {
    const m = pattern.exec(d);
    if (m) {
      limits.maxLength = Number(m[1]);
      return;
    }
  }
}

function tokens(list: string): string[] {
  return list
    .split(/\s*(?:[,，、]|和)\s*/)
    .map((t) => t.replace(/^['"“‘]|['"”’]$/g, ''))
    .filter(Boolean);
}

/** The allowed values of a string parameter, when the docs list them after 取值范围 / 可选参数 / 取值有 / 值为. */
function enumFrom(d: string): string[] | undefined {
  // 取值范围["Image", "Instance"] / 可选值为["Delayed", "Immediate", "Timed"]
  const bracket = /(?:取值范围|可选值|取值)\s*(?:有|为|是)?\s*[:：]?\s*\[\s*("[^"\]]*"(?:\s*,\s*"[^"\]]*")+)\s*\]/.exec(
    d,
  );
  if (bracket) return tokens(bracket[1]!);
  // 可选参数 : ro, rw / 值为 RO、RW / 取值有linux和windows / 取值有'Image','Instance'
  const plain = new RegExp(
    `(?:可选参数|取值有|(?<!默认)值为|可选值有|可选值为)\\s*[:：]?\\s*((?:['"“‘]?${TOKEN}['"”’]?\\s*(?:[,，、]|和)\\s*)+['"“‘]?${TOKEN}['"”’]?)(?=\\s*(?:[。；;，,]|其中|$))`,
  ).exec(d);
  if (plain) return tokens(plain[1]!);
  // 取值范围： SOFT：软关机 HARD：硬关机 ... 默认取值：SOFT
  const colon = /取值范围\s*[:：]/.exec(d);
  if (colon) {
    const rest = d.slice(colon.index + colon[0].length).split(/默认取值|默认值|注意|若该参数/)[0]!;
    const values = [...rest.matchAll(/(?<![A-Za-z0-9_])([A-Z][A-Z0-9_]*[A-Z0-9])\s*[:：]/g)].map((m) => m[1]!);
    if (values.length >= 2) return values;
  }
  return undefined;
}

/** 默认取值：SOFT / 默认值为"Delayed" / 默认为20 / 不填默认为读写 (the value whose meaning is 读写: rw). */
function defaultFrom(d: string, kind: Kind): string | undefined {
  const token = new RegExp(`(?:默认取值|默认值|默认为)\\s*(?:为|是)?\\s*[:：]?\\s*["“]?(${TOKEN})`).exec(d);
  if (token) {
    const value = token[1]!;
    if (kind === 'integer' || kind === 'float') return /^-?\d+(\.\d+)?/.exec(value)?.[0];
    // A boolean's default is true or false; anything else is a description that belongs to another parameter.
    if (kind === 'boolean') return /^(true|false)$/i.test(value) ? value : undefined;
    return value;
  }
  const label = /默认为\s*([\u4e00-\u9fa5]+)/.exec(d);
  if (label) {
    const named = new RegExp(`(${TOKEN})\\s*为\\s*${label[1]}(?![\\u4e00-\\u9fa5])`).exec(d);
    if (named) return named[1];
  }
  return undefined;
}

export function limitsFrom(description: string, type: string): Limits {
  const d = simplify(description).replace(/<[^>]+>/g, ' ');
  const kind = kindOf(type);
  const limits: Limits = {};
  if (kind === 'array') {
    const maxItems = maxItemsFrom(d);
    if (maxItems !== undefined) limits.maxItems = maxItems;
  } else if (kind === 'integer' || kind === 'float') {
    numberLimits(d, limits);
  } else if (kind === 'string') {
    lengthLimits(d, limits);
    const values = enumFrom(d);
    if (values) limits.enum = values;
  }
  if (kind !== 'array' && kind !== 'other') {
    const value = defaultFrom(d, kind);
    if (value !== undefined) limits.default = value;
  }
  return limits;
}
