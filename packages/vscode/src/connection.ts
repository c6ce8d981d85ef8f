/**
 * Where the explorer connects and with which keys, in this order: the local emulator when it was started here;
 * keys from Sign In (VS Code's SecretStorage); the tccli profile named in settings; then the core's own chain
 * (environment, the default tccli profile). Endpoint and domain come from settings, else the core's rules.
 */
import { createHash } from 'node:crypto';
import { maskId } from './mask.ts';
import type { Settings } from './settings.ts';

export { maskId };

export interface StoredKeys {
  secretId: string;
  secretKey: string;
}

export interface EmulatorSession {
  endpoint: string;
  secretId: string;
  secretKey: string;
}

export interface ConnectionPlan {
  key: string;
  label: string;
  description: string;
  /** Options for the core client (createClient). */
  client: {
    endpoint?: string;
    profile?: string;
    credentials?: { secretId: string; secretKey: string };
    env: NodeJS.ProcessEnv;
  };
  source: 'emulator' | 'signed-in' | 'profile' | 'environment';
  /** Where calls go, for people: an endpoint URL, `*.domain`, or '' when the core's defaults decide. */
  where: string;
}

export const SECRET_ID_KEY = 'tceops.secretId';
export const SECRET_KEY_KEY = 'tceops.secretKey';

export function planConnection(
  settings: Settings,
  keys: StoredKeys | undefined,
  emulator: EmulatorSession | undefined,
  env: NodeJS.ProcessEnv,
): ConnectionPlan {
  // TCE_DOMAIN is how the core learns a root domain; the setting wins over the variable.
  const clientEnv = { ...env, ...(settings.domain ? { TCE_DOMAIN: settings.domain } : {}) };
  const where =
    settings.endpoint ||
    (settings.domain ? `*.${settings.domain}` : env.TCE_ENDPOINT || (env.TCE_DOMAIN ? `*.${env.TCE_DOMAIN}` : ''));
  if (emulator) {
    return {
      key: `emulator@${emulator.endpoint}`,
      label: 'Local emulator',
      description: emulator.endpoint,
      client: {
        endpoint: emulator.endpoint,
        credentials: { secretId: emulator.secretId, secretKey: emulator.secretKey },
        env: clientEnv,
      },
      source: 'emulator',
      where: emulator.endpoint,
    };
  }
  const endpoint = settings.endpoint || undefined;
  if (keys) {
    return {
      // Node keys (tree item IDs) must tell keys apart without carrying the SecretId: a short hash of it.
      key: `keys:${createHash('sha256').update(keys.secretId).digest('hex').slice(0, 12)}@${where}`,
      label: 'TCE',
      description: `${where || 'endpoint from the docs'} · signed in as ${maskId(keys.secretId)}`,
      client: { endpoint, credentials: keys, env: clientEnv },
      source: 'signed-in',
      where,
    };
  }
  if (settings.profile) {
    return {
      key: `profile:${settings.profile}@${where}`,
      label: `TCE (profile ${settings.profile})`,
      description: where || 'endpoint from the profile',
      client: { endpoint, profile: settings.profile, env: clientEnv },
      source: 'profile',
      where,
    };
  }
  return {
    key: `env@${where}`,
    label: 'TCE',
    description: where || 'endpoint from the profile',
    client: { endpoint, env: clientEnv },
    source: 'environment',
    where,
  };
}

export function checkSecretId(value: string): string | undefined {
  if (!value.trim()) return 'Enter the SecretId (it starts with AKID on most deployments)';
  if (/\s/.test(value.trim())) return 'A SecretId has no spaces';
  if (value.trim().length < 8) return 'That is too short for a SecretId';
  return undefined;
}

export function checkSecretKey(value: string): string | undefined {
  if (!value) return 'Enter the SecretKey';
  if (/\s/.test(value)) return 'A SecretKey has no spaces';
  if (value.length < 8) return 'That is too short for a SecretKey';
  return undefined;
}
