/**
 * Where the keys come from: explicit options, then the environment (when no profile was named), then the tccli
 * profile. The environment's token is read under both names tools use.
 */
import { ConfigError } from '../api/errors.ts';
import { profileName, readProfileCredential } from './profiles.ts';
import { registerSecret } from './redact.ts';

export interface Credentials {
  secretId: string;
  secretKey: string;
  token?: string;
  /** Where they came from, for `tceops config` and error messages: never the values. */
  source: string;
}

export interface CredentialOptions {
  secretId?: string;
  secretKey?: string;
  token?: string;
  profile?: string;
  env?: NodeJS.ProcessEnv;
}

export function resolveCredentials(options: CredentialOptions = {}): Credentials {
  const env = options.env ?? process.env;
  if (options.secretId || options.secretKey) {
    if (!options.secretId || !options.secretKey) {
      throw new ConfigError('give both a SecretId and a SecretKey, or neither');
    }
    return remember({
      secretId: options.secretId,
      secretKey: options.secretKey,
      token: options.token,
      source: 'options',
    });
  }
  // tccli: the environment wins over files only when no profile was named.
  if (!options.profile && (env.TENCENTCLOUD_SECRET_ID || env.TENCENTCLOUD_SECRET_KEY)) {
    if (!env.TENCENTCLOUD_SECRET_ID || !env.TENCENTCLOUD_SECRET_KEY) {
      throw new ConfigError('set both TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or neither');
    }
    return remember({
      secretId: env.TENCENTCLOUD_SECRET_ID,
      secretKey: env.TENCENTCLOUD_SECRET_KEY,
      token: env.TENCENTCLOUD_SESSION_TOKEN || env.TENCENTCLOUD_TOKEN || undefined,
      source: 'environment',
    });
  }
  const name = profileName(options.profile, env);
  const profile = readProfileCredential(name, env);
  if (profile?.secretId && profile.secretKey) {
    return remember({
      secretId: profile.secretId,
      secretKey: profile.secretKey,
      token: profile.token,
      source: `profile ${name}`,
    });
  }
  if (profile) {
    throw new ConfigError(
      `the tccli profile "${name}" has no secretId and secretKey: add them to its .credential file`,
    );
  }
  throw new ConfigError(
    options.profile
      ? `no tccli profile "${name}": create ~/.tccli/${name}.credential, or leave --profile out`
      : 'no credentials: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or create a tccli profile (~/.tccli/default.credential)',
  );
}

function remember(credentials: Credentials): Credentials {
  registerSecret(credentials.secretKey);
  registerSecret(credentials.token);
  return credentials;
}
