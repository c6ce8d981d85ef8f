/**
 * tccli profile files: ~/.tccli/<profile>.credential and ~/.tccli/<profile>.configure (JSON).
 * Reading them makes tceops work wherever tccli already does.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../api/errors.ts';
import { parseJson } from '../api/json.ts';
import { registerSecret } from './redact.ts';

export interface ProfileCredential {
  secretId?: string;
  secretKey?: string;
  token?: string;
}

export interface ProfileConfigure {
  region?: string;
  output?: string;
  /** Per-service overrides, as `tccli configure set cvm.endpoint ...` writes them. */
  services: Record<string, { endpoint?: string; version?: string }>;
}

export function tccliDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TCCLI_HOME ?? join(env.HOME ?? homedir(), '.tccli');
}

/** `--profile` first, then TCCLI_PROFILE, then "default" (tccli's order). */
export function profileName(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return explicit ?? env.TCCLI_PROFILE ?? 'default';
}

const PROFILE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function readJson(file: string, what: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read the ${what} file ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    // parseJson's errors say where, never what: the file holds keys.
    parsed = parseJson(text);
  } catch (error) {
    throw new ConfigError(
      `the ${what} file ${file} is not valid JSON: ${(error as Error).message}. ` +
        `Fix it, or write it again with "tccli configure" or "tceops configure".`,
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`the ${what} file ${file} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

function checkName(name: string): void {
  if (!PROFILE_NAME.test(name)) {
    throw new ConfigError(`"${name}" is not a valid profile name: use letters, digits, "_", "-" or "."`);
  }
}

export function readProfileCredential(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): ProfileCredential | undefined {
  checkName(name);
  const file = join(tccliDir(env), `${name}.credential`);
  const json = readJson(file, 'credential');
  if (!json) return undefined;
  const pick = (key: string): string | undefined => {
    const value = json[key];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') throw new ConfigError(`"${key}" in the credential file ${file} must be a string`);
    return value;
  };
  const credential = { secretId: pick('secretId'), secretKey: pick('secretKey'), token: pick('token') };
  registerSecret(credential.secretKey);
  registerSecret(credential.token);
  return credential;
}

export function readProfileConfigure(name: string, env: NodeJS.ProcessEnv = process.env): ProfileConfigure | undefined {
  checkName(name);
  const file = join(tccliDir(env), `${name}.configure`);
  const json = readJson(file, 'configure');
  if (!json) return undefined;
  const sys = (json._sys_param ?? {}) as Record<string, unknown>;
  const services: ProfileConfigure['services'] = {};
  for (const [key, value] of Object.entries(json)) {
    if (key.startsWith('_') || key === 'waiter' || !value || typeof value !== 'object') continue;
    const entry = value as Record<string, unknown>;
    services[key] = {
      endpoint: typeof entry.endpoint === 'string' ? entry.endpoint : undefined,
      version: typeof entry.version === 'string' ? entry.version : undefined,
    };
  }
  return {
    region: typeof sys.region === 'string' ? sys.region : undefined,
    output: typeof sys.output === 'string' ? sys.output : undefined,
    services,
  };
}
