/** The API catalog: what the TCE docs say about every action, as plain data. */

export type Risk = 'read' | 'write' | 'sensitive' | 'destructive';

/** One row of an input, output or structure table. `type` is the documented type, e.g. "String", "Array of Filter". */
export interface Param {
  name: string;
  type: string;
  required: boolean;
  nullable: boolean;
  /** 此参数对外不可见: documented as not visible to callers; still accepted. */
  hidden: boolean;
  description: string;
  /** Most items an array takes, where the docs state it (e.g. 100 instance IDs per request). */
  maxItems?: number;
  /** Inclusive numeric bounds, where the docs state them. */
  min?: number;
  max?: number;
  /** Shortest and longest string, where the docs state them. */
  minLength?: number;
  maxLength?: number;
  /** Allowed values, where the docs list them (numbers as text for integer parameters). */
  enum?: string[];
  /** Default value as documented, as text. */
  default?: string;
}

export interface ErrorCode {
  code: string;
  description: string;
}

export interface Action {
  name: string;
  service: string;
  version: string;
  /** 接口请求域名 as printed in the docs (deployment-specific in practice). */
  host: string;
  /** The docs' grouping of the action, e.g. "实例相关接口". */
  group: string;
  /** 接口功能 from the overview table, a few words, e.g. "关闭实例". */
  summary?: string;
  /** The first paragraph of 接口描述. */
  description: string;
  /** The rest of 接口描述: preconditions, batch sizes, caveats, one line each. */
  notes?: string[];
  /** 默认接口请求频率限制, requests per second. */
  rateLimit: number;
  /** 接口只验签名不鉴权 = 'sign'; 接口既验签名又鉴权 = 'sign+auth'. */
  auth: 'sign' | 'sign+auth';
  /** Request parameters without the common ones (Action, Version, Region). */
  input: Param[];
  /** Response fields without RequestId. */
  output: Param[];
  errors: ErrorCode[];
}

export interface Structure {
  name: string;
  description: string;
  fields: Param[];
}

export interface ServiceCatalog {
  service: string;
  version: string;
  actions: Record<string, Action>;
  structures: Record<string, Structure>;
  /** 公共错误码 of this service. */
  commonErrors: ErrorCode[];
  /** 业务错误码: every action-specific code of the service, as the docs list them in one table. */
  serviceErrors?: ErrorCode[];
}
