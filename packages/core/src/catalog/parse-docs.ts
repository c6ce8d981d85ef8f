/**
 * The TCE docs (text converted from PDF) → the API catalog. The conversion left its marks: tables broken across
 * pages with their headers repeated, rows wrapped onto the next line, pages in traditional characters, and the
 * signing pages repeated per product. The parser reads the docs line by line and is forgiving of all of it.
 */
import type { Action, ErrorCode, Param, ServiceCatalog, Structure } from './types.ts';

// Traditional characters that appear in the markers the parser looks for; descriptions keep what the docs say.
const TRADITIONAL: Record<string, string> = {
  參: '参',
  數: '数',
  稱: '称',
  選: '选',
  許: '许',
  類: '类',
  輸: '输',
  錯: '错',
  誤: '误',
  碼: '码',
  請: '请',
  認: '认',
  頻: '频',
  驗: '验',
  簽: '签',
  鑒: '鉴',
  權: '权',
  僅: '仅',
  時: '时',
  間: '间',
  據: '据',
  結: '结',
  構: '构',
  對: '对',
  見: '见',
  閉: '闭',
  實: '实',
  關: '关',
  應: '应',
  個: '个',
  務: '务',
  為: '为',
  與: '与',
  響: '响',
  單: '单',
  條: '条',
  說: '说',
  明: '明',
  範: '范',
  圍: '围',
  預: '预',
  設: '设',
  值: '值',
  長: '长',
  度: '度',
  過: '过',
  於: '于',
  擇: '择',
  則: '则',
  項: '项',
  將: '将',
  並: '并',
  後: '后',
  從: '从',
  無: '无',
  態: '态',
  獲: '获',
  單次: '单次',
  內: '内',
  詢: '询',
  產: '产',
  專: '专',
  區: '区',
  網: '网',
  絡: '络',
};

export function simplify(text: string): string {
  let out = '';
  for (const ch of text) out += TRADITIONAL[ch] ?? ch;
  return out;
}

const IDENT = /^[A-Z][A-Za-z0-9_]*$/;
const INPUT_HEADER = '参数名称\t必选\t允许NULL\t类型\t描述';
const OUTPUT_HEADER = '参数名称\t类型\t描述';
const STRUCT_HEADER = '名称\t必选\t允许NULL\t类型\t描述';
const HIDDEN = /此参数对外不可见[。.]?\s*/;

interface Line {
  raw: string;
  norm: string;
  no: number;
}

export interface DocSection {
  service: string;
  version: string;
  start: number;
  end: number;
}

/** API reference sections: "版本 (v)" followed by "API 概览" and its "最近更新时间" (the tables of contents lack the latter). */
export function findSections(lines: Line[]): DocSection[] {
  const starts: { service: string; version: string; start: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^版本 \((\d{4}-\d{2}-\d{2})\)$/.exec(lines[i]!.norm.trim());
    if (!m) continue;
    const next = nextNonEmpty(lines, i + 1);
    const after = next === undefined ? undefined : nextNonEmpty(lines, next + 1);
    if (
      next === undefined ||
      lines[next]!.norm.trim() !== 'API 概览' ||
      after === undefined ||
      !lines[after]!.norm.startsWith('最近更新时间')
    )
      continue;
    const title = lines[prevNonEmpty(lines, i - 1) ?? i]!.norm;
    // A second version of a product follows the first without repeating the product's title.
    const service = /\(([a-z]+)\)\s*$/.exec(title)?.[1] ?? starts[starts.length - 1]?.service;
    if (service) starts.push({ service, version: m[1]!, start: i });
  }
  return starts.map((s, k) => ({ ...s, end: starts[k + 1]?.start ?? lines.length }));
}

function nextNonEmpty(lines: Line[], from: number): number | undefined {
  for (let i = from; i < lines.length; i++) if (lines[i]!.norm.trim()) return i;
  return undefined;
}

function prevNonEmpty(lines: Line[], from: number): number | undefined {
  for (let i = from; i >= 0; i--) if (lines[i]!.norm.trim()) return i;
  return undefined;
}

function cells(line: Line): string[] {
  return line.raw.split('\t').map((c) => c.trim());
}

/** Table rows after a header, until `stop` says the table is over; wrapped lines join the previous row. */
function readTable(
  lines: Line[],
  from: number,
  to: number,
  header: string,
  width: number,
  stop: (l: Line) => boolean,
): string[][] {
  const rows: string[][] = [];
  let inTable = false;
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    const text = line.norm.trim();
    if (stop(line)) break;
    if (text === header) {
      inTable = true; // also a header repeated after a page break
      continue;
    }
    if (!inTable || !text) continue;
    const parts = cells(line);
    if (parts.length >= width && /^[A-Za-z][A-Za-z0-9_.]*$/.test(parts[0]!)) {
      // Extra tabs inside a description belong to it.
      rows.push([...parts.slice(0, width - 1), parts.slice(width - 1).join(' ')]);
    } else if (rows.length) {
      const last = rows[rows.length - 1]!;
      last[last.length - 1] = `${last[last.length - 1]} ${parts.join(' ')}`.trim();
    }
  }
  return rows;
}

function normaliseType(type: string): string {
  return type
    .replace(/\s+/g, ' ')
    .replace(/^Array\s*of\s*/i, 'Array of ')
    .trim();
}

/** Limits stated plainly in a description. Conservative: only patterns whose meaning is unambiguous. */
export function limitsFrom(description: string, type: string): Partial<Param> {
  const d = simplify(description);
  const limits: Partial<Param> = {};
  if (type.startsWith('Array of')) {
    const m =
      /(?:上限为|上限為|最多(?:支持|可)?(?:传入|指定)?|不超过|不能超过)\s*(\d+)\s*(?:个|条)?/.exec(d) ??
      /上限\s*(?:为|是)?\s*(\d+)/.exec(d);
    if (m) limits.maxItems = Number(m[1]);
  } else if (/^(Integer|Int64|Uint64|UInt64|Float)$/.test(type)) {
    const range =
      /取值范围\s*[:：]?\s*\[\s*(-?\d+)\s*,\s*(-?\d+)\s*\]/.exec(d) ??
      /参数范围\s*(-?\d+)\s*[-~]\s*(-?\d+)/.exec(d) ??
      /范围\s*[:：]?\s*(-?\d+)\s*[-~]\s*(-?\d+)/.exec(d);
    if (range) {
      limits.min = Number(range[1]);
      limits.max = Number(range[2]);
    } else {
      const max = /最大值为\s*(\d+)/.exec(d);
      if (max) limits.max = Number(max[1]);
    }
  } else if (type === 'String') {
    const len =
      /(?:长度|字符串长度)\s*(?:不超过|不能超过|小于等于|最多|上限为)\s*(\d+)/.exec(d) ??
      /不超过\s*(\d+)\s*(?:个)?(?:字符|字节)/.exec(d);
    if (len) limits.maxLength = Number(len[1]);
  }
  const def = /默认(?:取)?值\s*(?:为|是)?\s*[:：]?\s*([A-Za-z0-9_.-]+)/.exec(d);
  if (def && def[1] !== '') limits.default = def[1];
  return limits;
}

function toParam(row: string[], withRequired: boolean): Param {
  const [name, a, b, c, d] = row;
  const required = withRequired ? a === '是' : false;
  const nullable = withRequired ? b === '是' : false;
  const type = normaliseType(withRequired ? c! : a!);
  const rawDescription = (withRequired ? d : b) ?? '';
  const hidden = HIDDEN.test(simplify(rawDescription));
  const description = rawDescription.replace(/此参[数數]对外不可见[。.]?\s*|此參數對外不可見[。.]?\s*/g, '').trim();
  return { name: name!, type, required, nullable, hidden, description, ...limitsFrom(description, type) };
}

function isMarker(line: Line, ...markers: string[]): boolean {
  const t = line.norm.trim();
  return markers.some((m) => t.startsWith(m));
}

/** Action → its group heading in the section's overview tables. */
function readGroups(lines: Line[], section: DocSection): Map<string, string> {
  const groups = new Map<string, string>();
  let heading = '';
  for (let i = section.start; i < section.end; i++) {
    const text = lines[i]!.norm.trim();
    if (text === '调用方式') break;
    if (text === '接口名称\t接口功能') {
      // The heading is the nearest text line above, unless this header only repeats after a page break.
      const prev = prevNonEmpty(lines, i - 1);
      const above = prev === undefined ? '' : lines[prev]!.norm.trim();
      if (above && !above.includes('\t')) heading = lines[prev!]!.raw.trim();
      continue;
    }
    const parts = text.split('\t');
    if (parts.length === 2 && IDENT.test(parts[0]!) && heading) groups.set(parts[0]!, heading);
  }
  return groups;
}

function readCommonErrors(lines: Line[], section: DocSection): ErrorCode[] {
  for (let i = section.start; i < section.end; i++) {
    if (lines[i]!.norm.trim() !== '公共错误码') continue;
    const rows = readTable(lines, i + 1, section.end, '错误码\t错误描述', 2, (l) => isMarker(l, '公共参数'));
    if (rows.length) return rows.map(([code, description]) => ({ code: code!, description: description! }));
  }
  return [];
}

/** Action headings: an identifier alone on its line, then "最近更新时间", then "1. 接口描述". */
function actionStarts(lines: Line[], section: DocSection): number[] {
  const starts: number[] = [];
  for (let i = section.start; i < section.end; i++) {
    if (!IDENT.test(lines[i]!.norm.trim())) continue;
    const a = nextNonEmpty(lines, i + 1);
    const b = a === undefined ? undefined : nextNonEmpty(lines, a + 1);
    if (
      a !== undefined &&
      b !== undefined &&
      lines[a]!.norm.startsWith('最近更新时间') &&
      /^1\.\s*接口描述/.test(lines[b]!.norm.trim())
    )
      starts.push(i);
  }
  return starts;
}

function readAction(lines: Line[], from: number, to: number, section: DocSection, groups: Map<string, string>): Action {
  const name = lines[from]!.norm.trim();
  let host = '';
  let rateLimit = 0;
  let auth: Action['auth'] = 'sign+auth';
  const description: string[] = [];
  let inDescription = false;
  let inputAt = -1;
  let outputAt = -1;
  let errorsAt = -1;
  let docVersion = '';
  for (let i = from + 1; i < to; i++) {
    const line = lines[i]!;
    const text = line.norm.trim();
    if (text.startsWith('接口请求域名')) {
      host = /([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/.exec(text)?.[1] ?? '';
      inDescription = true;
      continue;
    }
    const rate = /默认接口请求频率限制\s*[:：]\s*(\d+)\s*次\/秒/.exec(text);
    if (rate) {
      rateLimit = Number(rate[1]);
      inDescription = false;
      continue;
    }
    if (text.includes('只验签名不鉴权')) auth = 'sign';
    else if (text.includes('既验签名又鉴权')) auth = 'sign+auth';
    if (/^2\.\s*输入参数/.test(text)) inputAt = i;
    else if (/^3\.\s*输出参数/.test(text)) outputAt = i;
    else if (/^4\.\s*错误码/.test(text)) errorsAt = i;
    const version = /^Version\t是\t否\tString\t公共参数，本接口取值\s*[:：]\s*(\d{4}-\d{2}-\d{2})/.exec(text);
    if (version) docVersion = version[1]!;
    if (inDescription && text) description.push(line.raw.trim());
  }
  const inputEnd = outputAt > 0 ? outputAt : to;
  const input =
    inputAt < 0
      ? []
      : readTable(lines, inputAt + 1, inputEnd, INPUT_HEADER, 5, () => false).map((r) => toParam(r, true));
  const output =
    outputAt < 0
      ? []
      : readTable(lines, outputAt + 1, errorsAt > 0 ? errorsAt : to, OUTPUT_HEADER, 3, () => false).map((r) =>
          toParam(r, false),
        );
  const errors =
    errorsAt < 0
      ? []
      : readTable(lines, errorsAt + 1, to, '错误码\t描述', 2, () => false).map(([code, text]) => ({
          code: code!,
          description: text!,
        }));
  if (docVersion && docVersion !== section.version)
    throw new Error(
      `${name} at line ${lines[from]!.no} says version ${docVersion} inside the ${section.version} section`,
    );
  return {
    name,
    service: section.service,
    version: section.version,
    host,
    group: groups.get(name) ?? '',
    description: description.join('\n'),
    rateLimit,
    auth,
    input: input.filter((p) => !['Action', 'Version', 'Region'].includes(p.name)),
    output: output.filter((p) => p.name !== 'RequestId'),
    errors: dedupeErrors(errors),
  };
}

function dedupeErrors(errors: ErrorCode[]): ErrorCode[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.code) ? false : (seen.add(e.code), true)));
}

/** Structure headings: an identifier alone on its line, with "被如下接口引用" or the field table close below. */
function readStructures(lines: Line[], from: number, to: number): Record<string, Structure> {
  const starts: number[] = [];
  for (let i = from; i < to; i++) {
    if (!IDENT.test(lines[i]!.norm.trim())) continue;
    for (let j = i + 1; j < Math.min(to, i + 20); j++) {
      const t = lines[j]!.norm.trim();
      if (t.startsWith('被如下接口引用') || t === STRUCT_HEADER) {
        starts.push(i);
        break;
      }
      if (IDENT.test(t)) break;
    }
  }
  const structures: Record<string, Structure> = {};
  starts.forEach((start, k) => {
    const end = starts[k + 1] ?? to;
    const name = lines[start]!.norm.trim();
    const descAt = nextNonEmpty(lines, start + 1);
    const descLine = descAt === undefined ? '' : lines[descAt]!.raw.trim();
    const description = descLine.startsWith('被如下接口引用') || descLine.includes('\t') ? '' : descLine;
    const rows = readTable(lines, start + 1, end, STRUCT_HEADER, 5, () => false);
    const fields = rows.map((r) => toParam(r, true));
    // A structure documented twice (a CSM and a CVM "Filter") keeps its first definition per section.
    if (!structures[name]) structures[name] = { name, description, fields: dedupeFields(fields) };
  });
  return structures;
}

function dedupeFields(fields: Param[]): Param[] {
  const seen = new Set<string>();
  return fields.filter((f) => (seen.has(f.name) ? false : (seen.add(f.name), true)));
}

export function parseDocs(texts: string[]): ServiceCatalog[] {
  const catalogs: ServiceCatalog[] = [];
  for (const text of texts) {
    const lines: Line[] = text.split(/\r?\n/).map((raw, i) => ({ raw, norm: simplify(raw), no: i + 1 }));
    for (const section of findSections(lines)) {
      const groups = readGroups(lines, section);
      const commonErrors = readCommonErrors(lines, section);
      let structuresAt = section.end;
      let errorsAt = section.end;
      for (let i = section.start; i < section.end; i++) {
        const t = lines[i]!.norm.trim();
        if (t === '数据结构' && structuresAt === section.end) structuresAt = i;
        if (t === '错误码' && i > structuresAt && errorsAt === section.end) errorsAt = i;
      }
      const starts = actionStarts(lines, { ...section, end: structuresAt });
      const actions: Record<string, Action> = {};
      starts.forEach((start, k) => {
        const action = readAction(lines, start, starts[k + 1] ?? structuresAt, section, groups);
        actions[action.name] = action;
      });
      const structures = readStructures(lines, structuresAt, errorsAt);
      catalogs.push({
        service: section.service,
        version: section.version,
        actions: sortKeys(actions),
        structures: sortKeys(structures),
        commonErrors,
      });
    }
  }
  return catalogs;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k]!]),
  );
}
