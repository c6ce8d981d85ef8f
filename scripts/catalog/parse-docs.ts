/**
 * The TCE API reference (text converted from PDF) → the API catalog.
 *
 * The conversion left its marks, and the parser expects each of them: tables broken across pages with their header
 * repeated (the rows after the repeat belong to the same table), rows wrapped onto lines of their own (a line
 * without the table's columns continues the row above), pages in traditional characters (markers are matched on a
 * simplified copy), and the signing and common-parameter pages repeated once per product (skipped: only pages
 * shaped like an action or a structure are read). Anything else unexpected stops the parser with the line number,
 * so a changed document cannot quietly produce a wrong catalog.
 */
import { limitsFrom } from './limits.ts';
import { simplify } from './traditional.ts';
import type { Action, ErrorCode, Param, ServiceCatalog, Structure } from '../../packages/core/src/catalog/types.ts';

export { limitsFrom } from './limits.ts';
export { simplify } from './traditional.ts';

/**
 * Descriptions that other pages of the docs contradict (domain.md §9), so no limit, value list or default is read
 * from them; the server decides. Keys are "service:Action.Param".
 */
export const UNRELIABLE_DESCRIPTIONS: Record<string, string> = {
  'cvm:StopInstances.StoppedMode':
    'copies StopType’s SOFT/HARD/SOFT_FIRST text; Instance.StopChargingMode says KEEP_CHARGING/STOP_CHARGING',
  'csm:CreateMigrationJob.Mode': 'says [0, 2] here, 0-3 in the migration guide and 0/2/3 in OneClickMigrationJob',
  'cfs:CreateCfsFileSystem.Encrypted': 'in 2018-04-16 it carries the Protocol text (NFS/CIFS), swapped with KmsKeyId',
};

interface Line {
  raw: string;
  /** `raw` with traditional characters simplified, for matching markers. Same length as `raw`. */
  norm: string;
  no: number;
}

interface Section {
  service: string;
  version: string;
  start: number;
  end: number;
}

class DocError extends Error {
  constructor(line: Line | undefined, message: string) {
    super(line ? `line ${line.no}: ${message}` : message);
    this.name = 'DocError';
  }
}

const IDENT = /^[A-Z][A-Za-z0-9_]*$/;
const ROW_NAME = /^[A-Za-z][A-Za-z0-9_.]*$/;
const COMMON_INPUTS = new Set(['Action', 'Version', 'Region']);
const HIDDEN = '此参数对外不可见';

const HEADERS = {
  input: ['参数名称', '必选', '允许NULL', '类型', '描述'],
  output: ['参数名称', '类型', '描述'],
  struct: ['名称', '必选', '允许NULL', '类型', '描述'],
  errors: [
    ['错误码', '描述'],
    ['错误码', '说明'],
    ['错误码', '错误描述'],
  ],
  overview: ['接口名称', '接口功能'],
};

function text(line: Line): string {
  return line.norm.trim();
}

function cellsOf(line: Line, which: 'raw' | 'norm' = 'raw'): string[] {
  return line[which].split('\t').map((c) => c.trim());
}

function isHeader(line: Line, header: string[]): boolean {
  const cells = cellsOf(line, 'norm');
  return cells.length === header.length && cells.every((c, i) => c === header[i]);
}

function nextNonEmpty(lines: Line[], from: number, to = lines.length): number | undefined {
  for (let i = from; i < to; i++) if (text(lines[i]!)) return i;
  return undefined;
}

function prevNonEmpty(lines: Line[], from: number): number | undefined {
  for (let i = from; i >= 0; i--) if (text(lines[i]!)) return i;
  return undefined;
}

/** A heading of the API pages: the heading line, then "最近更新时间" as the next text. */
function isDatedHeading(lines: Line[], i: number, heading: (t: string) => boolean): boolean {
  if (!heading(text(lines[i]!))) return false;
  const next = nextNonEmpty(lines, i + 1);
  return next !== undefined && text(lines[next]!).startsWith('最近更新时间');
}

/**
 * The API reference of each product version starts with "版本 (v)", "API 概览" and its date (the tables of contents
 * repeat the first two lines without a date). The product is named on the line above: "云服务器 (cvm)"; a second
 * version follows the first without repeating it.
 */
function findSections(lines: Line[]): Section[] {
  const starts: Omit<Section, 'end'>[] = [];
  for (let i = 0; i < lines.length; i++) {
    const version = /^版本 \((\d{4}-\d{2}-\d{2})\)$/.exec(text(lines[i]!))?.[1];
    if (!version) continue;
    const next = nextNonEmpty(lines, i + 1);
    if (next === undefined || text(lines[next]!) !== 'API 概览' || !isDatedHeading(lines, next, () => true)) continue;
    const above = prevNonEmpty(lines, i - 1);
    const named = above === undefined ? undefined : /\(([a-z]+)\)$/.exec(text(lines[above]!))?.[1];
    const service = named ?? starts[starts.length - 1]?.service;
    if (!service) throw new DocError(lines[i], `version ${version} without a product name above it`);
    starts.push({ service, version, start: i });
  }
  return starts.map((s, k) => ({ ...s, end: starts[k + 1]?.start ?? lines.length }));
}

interface Overview {
  /** Action → its group heading and its one-line function, in the order of the tables. */
  entries: Map<string, { group: string; summary: string }>;
  groups: Set<string>;
  /** The line after the overview ("调用方式"). */
  end: number;
}

/** The API overview: a heading per group, each with a table "接口名称 | 接口功能" (cut by page breaks too). */
function readOverview(lines: Line[], section: Section): Overview {
  const entries = new Map<string, { group: string; summary: string }>();
  const groups = new Set<string>();
  let group = '';
  for (let i = section.start; i < section.end; i++) {
    const line = lines[i]!;
    if (text(line) === '调用方式') return { entries, groups, end: i };
    if (isHeader(line, HEADERS.overview)) {
      // The heading is the text line above, unless this header only repeats after a page break.
      const above = lines[prevNonEmpty(lines, i - 1)!]!;
      if (!above.raw.includes('\t')) {
        group = above.raw.trim();
        groups.add(text(above));
      }
      continue;
    }
    const cells = cellsOf(line);
    if (cells.length === 2 && IDENT.test(cells[0]!) && group) {
      if (entries.has(cells[0]!)) throw new DocError(line, `${cells[0]} is listed twice in the overview`);
      entries.set(cells[0]!, { group, summary: cells[1]! });
    }
  }
  throw new DocError(lines[section.start], `${section.service} ${section.version}: the overview never ends`);
}

interface Row {
  cells: string[];
  line: Line;
}

/**
 * The rows of a table between `from` and `to`: after any of `headers` (a header repeated after a page break
 * continues the same table), a line with the table's columns and a name in the first is a row; any other text
 * continues the description of the row above (a wrapped row).
 */
function readTable(lines: Line[], from: number, to: number, headers: string[][]): Row[] {
  const width = headers[0]!.length;
  const rows: Row[] = [];
  let inTable = false;
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    if (!text(line)) continue;
    if (headers.some((h) => isHeader(line, h))) {
      inTable = true;
      continue;
    }
    if (!inTable) continue;
    const cells = cellsOf(line);
    if (cells.length >= width && ROW_NAME.test(cells[0]!)) {
      // Tabs inside the last column belong to it.
      rows.push({ cells: [...cells.slice(0, width - 1), cells.slice(width - 1).join(' ')], line });
    } else if (rows.length) {
      const last = rows[rows.length - 1]!.cells;
      last[width - 1] = `${last[width - 1]} ${cells.filter(Boolean).join(' ')}`.trim();
    }
  }
  return rows;
}

function yesNo(cell: string, line: Line, column: string): boolean {
  const value = simplify(cell);
  if (value === '是') return true;
  if (value === '否') return false;
  throw new DocError(line, `${column} should be 是 or 否, not "${cell}"`);
}

function normaliseType(type: string): string {
  return type
    .replace(/\s+/g, ' ')
    .replace(/^Array\s*of\s*/i, 'Array of ')
    .trim();
}

/** "此参数对外不可见。 任务ID" → hidden, "任务ID". The simplified copy finds the phrase, the original loses it. */
function withoutHiddenMark(description: string): { hidden: boolean; description: string } {
  const at = simplify(description).indexOf(HIDDEN);
  if (at < 0) return { hidden: false, description };
  const rest = description.slice(at + HIDDEN.length).replace(/^\s*[。.]?\s*/, '');
  return { hidden: true, description: `${description.slice(0, at)}${rest}`.trim() };
}

/** A Param with its keys always in the same order, so the committed JSON diffs well. */
function param(
  fields: Pick<Param, 'name' | 'type' | 'required' | 'nullable' | 'hidden' | 'description'>,
  limits: Partial<Param>,
): Param {
  const out: Param = { ...fields };
  for (const key of ['maxItems', 'min', 'max', 'minLength', 'maxLength', 'enum', 'default'] as const) {
    if (limits[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = limits[key];
  }
  return out;
}

/** Input and structure rows: name, 必选, 允许NULL, type, description. */
function inputParam(row: Row, reliable: boolean): Param {
  const [name, required, nullable, type, rawDescription] = row.cells as [string, string, string, string, string];
  const { hidden, description } = withoutHiddenMark(rawDescription);
  const normalised = normaliseType(type);
  return param(
    {
      name,
      type: normalised,
      required: yesNo(required, row.line, '必选'),
      nullable: yesNo(nullable, row.line, '允许NULL'),
      hidden,
      description,
    },
    reliable ? limitsFrom(description, normalised) : {},
  );
}

/** Output rows: name, type, description; "可能返回 null" says the field may be null. */
function outputParam(row: Row): Param {
  const [name, type, rawDescription] = row.cells as [string, string, string];
  const { hidden, description } = withoutHiddenMark(rawDescription);
  return param(
    {
      name,
      type: normaliseType(type),
      required: false,
      nullable: /可能返回\s*(null|空值)/i.test(simplify(description)),
      hidden,
      description,
    },
    {},
  );
}

function errorCodes(rows: Row[]): ErrorCode[] {
  const seen = new Set<string>();
  const codes: ErrorCode[] = [];
  for (const { cells } of rows) {
    if (seen.has(cells[0]!)) continue;
    seen.add(cells[0]!);
    codes.push({ code: cells[0]!, description: cells[1]! });
  }
  return codes;
}

/** Action pages: the name alone on its line, "最近更新时间", then "1. 接口描述". */
function actionStarts(lines: Line[], from: number, to: number): number[] {
  const starts: number[] = [];
  for (let i = from; i < to; i++) {
    if (!isDatedHeading(lines, i, (t) => IDENT.test(t))) continue;
    const description = nextNonEmpty(lines, nextNonEmpty(lines, i + 1)! + 1);
    if (description !== undefined && /^1\.\s*接口描述$/.test(text(lines[description]!))) starts.push(i);
  }
  return starts;
}

function readAction(lines: Line[], from: number, to: number, section: Section, overview: Overview): Action {
  const heading = lines[from]!;
  const name = text(heading);
  const entry = overview.entries.get(name);
  if (!entry) throw new DocError(heading, `${name} has a page but is not in the ${section.version} overview`);
  let host: string | undefined;
  let rateLimit: number | undefined;
  let auth: Action['auth'] | undefined;
  let docVersion: string | undefined;
  const about: string[] = [];
  const marks: Record<'input' | 'output' | 'errors', number | undefined> = {
    input: undefined,
    output: undefined,
    errors: undefined,
  };
  for (let i = from + 1; i < to; i++) {
    const line = lines[i]!;
    const t = text(line);
    if (!t) continue;
    if (t.startsWith('接口请求域名')) {
      host = /([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/.exec(t)?.[1];
      continue;
    }
    const rate = /^默认接口请求频率限制\s*[:：]\s*(\d+)\s*次\/秒/.exec(t);
    if (rate) {
      rateLimit = Number(rate[1]);
      continue;
    }
    // Between the host and the rate limit: the description, then its notes.
    if (host !== undefined && rateLimit === undefined) about.push(line.raw.trim());
    if (/^接口只验签名不鉴权/.test(t)) auth = 'sign';
    else if (/^接口既验签名又鉴权/.test(t)) auth = 'sign+auth';
    else if (/^2\.\s*输入参数$/.test(t)) marks.input = i;
    else if (/^3\.\s*输出参数$/.test(t)) marks.output = i;
    else if (/^4\.\s*错误码$/.test(t)) marks.errors = i;
    const version = /^Version\t是\t否\tString\t公共参数\s*[，,]\s*本接口取值\s*[:：]\s*(\d{4}-\d{2}-\d{2})/.exec(t);
    if (version) docVersion = version[1];
  }
  if (!host) throw new DocError(heading, `${name}: no 接口请求域名`);
  if (rateLimit === undefined) throw new DocError(heading, `${name}: no 默认接口请求频率限制`);
  if (!auth) throw new DocError(heading, `${name}: neither 接口只验签名不鉴权 nor 接口既验签名又鉴权`);
  if (marks.input === undefined || marks.output === undefined || marks.errors === undefined)
    throw new DocError(heading, `${name}: expected the sections 2. 输入参数, 3. 输出参数 and 4. 错误码`);
  if (docVersion !== section.version)
    throw new DocError(heading, `${name} says version ${docVersion} inside the ${section.version} reference`);
  const key = (p: string) => `${section.service}:${name}.${p}`;
  const input = readTable(lines, marks.input + 1, marks.output, [HEADERS.input])
    .filter((row) => !(COMMON_INPUTS.has(row.cells[0]!) && simplify(row.cells[4]!).startsWith('公共参数')))
    .map((row) => inputParam(row, !UNRELIABLE_DESCRIPTIONS[key(row.cells[0]!)]));
  const output = readTable(lines, marks.output + 1, marks.errors, [HEADERS.output])
    .filter((row) => row.cells[0] !== 'RequestId')
    .map(outputParam);
  const errors = errorCodes(readTable(lines, marks.errors + 1, to, HEADERS.errors));
  const [description = '', ...notes] = about;
  const action: Action = {
    name,
    service: section.service,
    version: section.version,
    host,
    group: entry.group,
    summary: entry.summary,
    description,
    ...(notes.length ? { notes: notes.map((n) => n.replace(/^-\s*/, '')) } : {}),
    rateLimit,
    auth,
    input,
    output,
    errors,
  };
  return action;
}

/** Structure headings: a name alone on its line, with "被如下接口引用" or the field table before any other name. */
function structureStarts(lines: Line[], from: number, to: number): number[] {
  const starts: number[] = [];
  for (let i = from; i < to; i++) {
    if (!IDENT.test(text(lines[i]!))) continue;
    for (let j = i + 1; j < Math.min(to, i + 20); j++) {
      const t = text(lines[j]!);
      if (t.startsWith('被如下接口引用') || isHeader(lines[j]!, HEADERS.struct)) {
        starts.push(i);
        break;
      }
      if (IDENT.test(t)) break;
    }
  }
  return starts;
}

function readStructures(lines: Line[], from: number, to: number, service: string): Record<string, Structure> {
  const structures: Record<string, Structure> = {};
  const starts = structureStarts(lines, from, to);
  starts.forEach((start, k) => {
    const name = text(lines[start]!);
    const end = starts[k + 1] ?? to;
    const first = nextNonEmpty(lines, start + 1, end);
    const firstText = first === undefined ? '' : lines[first]!.raw.trim();
    const description = firstText.startsWith('被如下接口引用') || firstText.includes('\t') ? '' : firstText;
    const fields = readTable(lines, start + 1, end, [HEADERS.struct]).map((row) =>
      inputParam(row, !UNRELIABLE_DESCRIPTIONS[`${service}:${name}.${row.cells[0]}`]),
    );
    const names = new Set<string>();
    for (const field of fields) {
      if (names.has(field.name)) throw new DocError(lines[start], `${name} lists ${field.name} twice`);
      names.add(field.name);
    }
    if (structures[name]) throw new DocError(lines[start], `structure ${name} is documented twice`);
    structures[name] = { name, description, fields };
  });
  return structures;
}

/** The 错误码 page of a product version: 公共错误码 then 业务错误码, each a table. */
function readErrorPage(lines: Line[], from: number, to: number): { common: ErrorCode[]; service: ErrorCode[] } {
  let commonAt: number | undefined;
  let serviceAt: number | undefined;
  for (let i = from; i < to; i++) {
    if (text(lines[i]!) === '公共错误码') commonAt ??= i;
    if (text(lines[i]!) === '业务错误码') serviceAt ??= i;
  }
  if (commonAt === undefined || serviceAt === undefined || serviceAt < commonAt)
    throw new DocError(lines[from], 'the 错误码 page should have 公共错误码 and then 业务错误码');
  return {
    common: errorCodes(readTable(lines, commonAt + 1, serviceAt, HEADERS.errors)),
    service: errorCodes(readTable(lines, serviceAt + 1, to, HEADERS.errors)),
  };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k]!]),
  );
}

function parseSection(lines: Line[], section: Section): ServiceCatalog {
  const overview = readOverview(lines, section);
  let structuresAt: number | undefined;
  let errorsAt: number | undefined;
  for (let i = overview.end; i < section.end; i++) {
    if (structuresAt === undefined && isDatedHeading(lines, i, (t) => t === '数据结构')) structuresAt = i;
    else if (structuresAt !== undefined && isDatedHeading(lines, i, (t) => t === '错误码')) {
      errorsAt = i;
      break;
    }
  }
  if (structuresAt === undefined || errorsAt === undefined)
    throw new DocError(lines[section.start], `${section.service} ${section.version}: no 数据结构 or 错误码 page`);

  const starts = actionStarts(lines, overview.end, structuresAt);
  // An action's page ends at the next action, or at the next group heading (which is not part of its error table).
  const boundaries = [...starts, structuresAt];
  for (let i = overview.end; i < structuresAt; i++) {
    if (overview.groups.has(text(lines[i]!)) && !lines[i]!.raw.includes('\t')) boundaries.push(i);
  }
  boundaries.sort((a, b) => a - b);
  const actions: Record<string, Action> = {};
  for (const start of starts) {
    const end = boundaries.find((b) => b > start)!;
    const action = readAction(lines, start, end, section, overview);
    if (actions[action.name]) throw new DocError(lines[start], `${action.name} has two pages`);
    actions[action.name] = action;
  }
  const missing = [...overview.entries.keys()].filter((name) => !actions[name]);
  if (missing.length) throw new DocError(lines[section.start], `${section.version}: no page for ${missing.join(', ')}`);

  const errors = readErrorPage(lines, errorsAt, section.end);
  return {
    service: section.service,
    version: section.version,
    actions: sortKeys(actions),
    structures: sortKeys(readStructures(lines, structuresAt, errorsAt, section.service)),
    commonErrors: errors.common,
    serviceErrors: errors.service,
  };
}

/** Every product version documented in the given texts, in the order the docs give them. */
export function parseDocs(texts: string[]): ServiceCatalog[] {
  const catalogs: ServiceCatalog[] = [];
  for (const doc of texts) {
    const lines: Line[] = doc.split(/\r?\n/).map((raw, i) => ({ raw, norm: simplify(raw), no: i + 1 }));
    for (const section of findSections(lines)) catalogs.push(parseSection(lines, section));
  }
  return catalogs;
}
