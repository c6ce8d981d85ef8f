/**
 * Which way the bot talks to Slack, read from the environment (the names are the contract in the README).
 * Settings that cannot work together are refused at start with what to change, rather than failing later.
 */
import { ConfigError } from './core.ts';

export type SlackMode = 'socket' | 'http' | 'none';

export interface SlackConfig {
  mode: Exclude<SlackMode, 'none'>;
  botToken: string;
  appToken?: string;
  signingSecret?: string;
  /** HTTP mode: where Slack's requests arrive. Socket Mode: where /healthz and /metrics are served, if set. */
  port?: number;
  /** Another Slack Web API base (GovSlack, Enterprise Grid proxies, the test stand-in); ends with `/api/`. */
  apiUrl?: string;
  /** Where approval requests are posted; the requester's channel when unset. */
  approvalsChannel?: string;
  /** Socket Mode: the port of the API for the terminal and the extension (in HTTP mode it is under PORT). */
  apiPort?: number;
  /** Who may revoke anyone's sign-in: Slack user or user-group IDs. */
  admins: string[];
  /** How long a sign-in token lasts (default 30 days). */
  tokenTtlMs?: number;
  /** Open progress and approval streams allowed per user and in all (unset: core's defaults). */
  streams: { perUser?: number; total?: number };
}

/** Socket Mode when an app-level token is set, HTTP when a signing secret is, otherwise none (the local console). */
export function slackMode(env: NodeJS.ProcessEnv): SlackMode {
  if (env.SLACK_APP_TOKEN) return 'socket';
  if (env.SLACK_SIGNING_SECRET) return 'http';
  if (env.SLACK_BOT_TOKEN) {
    throw new ConfigError(
      'SLACK_BOT_TOKEN is set, but neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is: set one of them (see "## Slack" in the README)',
    );
  }
  return 'none';
}

export function readSlackConfig(env: NodeJS.ProcessEnv): SlackConfig | undefined {
  const mode = slackMode(env);
  if (mode === 'none') return undefined;
  const botToken = env.SLACK_BOT_TOKEN;
  if (!botToken) {
    throw new ConfigError(
      `${mode === 'socket' ? 'SLACK_APP_TOKEN' : 'SLACK_SIGNING_SECRET'} is set but SLACK_BOT_TOKEN is not: copy the Bot User OAuth Token (xoxb-...) from the app's "OAuth & Permissions" page`,
    );
  }
  if (!botToken.startsWith('xoxb-')) {
    throw new ConfigError('SLACK_BOT_TOKEN must be a bot token starting with xoxb- (found another kind of token)');
  }
  const appToken = env.SLACK_APP_TOKEN;
  if (appToken !== undefined && !appToken.startsWith('xapp-')) {
    throw new ConfigError(
      'SLACK_APP_TOKEN must be an app-level token starting with xapp- (create one with the connections:write scope under "Basic Information")',
    );
  }
  return {
    mode,
    botToken,
    appToken: mode === 'socket' ? appToken : undefined,
    signingSecret: env.SLACK_SIGNING_SECRET || undefined,
    port: readPort(env.PORT, mode),
    apiUrl: readApiUrl(env.SLACK_API_URL),
    approvalsChannel: readChannel(env.TCEOPS_APPROVALS_CHANNEL),
    apiPort: env.TCEOPS_API_PORT ? readPort(env.TCEOPS_API_PORT, mode, 'TCEOPS_API_PORT') : undefined,
    admins: readAdmins(env.TCEOPS_ADMINS),
    tokenTtlMs: readTokenTtl(env.TCEOPS_TOKEN_TTL),
    streams: {
      ...readCount(env, 'TCEOPS_MAX_STREAMS_PER_USER', 'perUser'),
      ...readCount(env, 'TCEOPS_MAX_STREAMS', 'total'),
    },
  };
}

function readPort(value: string | undefined, mode: SlackMode, name = 'PORT'): number | undefined {
  if (value === undefined || value === '') return mode === 'http' ? 3000 : undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`${name} must be a whole number from 0 to 65535, not "${value}"`);
  }
  return port;
}

function readCount<K extends string>(env: NodeJS.ProcessEnv, name: string, key: K): { [k in K]?: number } {
  const value = env[name];
  if (value === undefined || value === '') return {};
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000)
    throw new ConfigError(`${name} is a number of open streams from 1 to 100000, not "${value}"`);
  return { [key]: n } as { [k in K]?: number };
}

function readAdmins(value: string | undefined): string[] {
  const ids = (value ?? '').split(/[\s,]+/).filter(Boolean);
  for (const id of ids)
    if (!/^[UWS][A-Z0-9]{2,}$/.test(id))
      throw new ConfigError(`TCEOPS_ADMINS lists Slack user or user-group IDs (U…, W…, S…), not "${id}"`);
  return ids;
}

function readTokenTtl(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const match = /^(\d+)([hd])$/.exec(value.trim());
  const ms = match ? Number(match[1]) * (match[2] === 'd' ? 86_400_000 : 3_600_000) : 0;
  if (!ms || ms > 365 * 86_400_000)
    throw new ConfigError(
      `TCEOPS_TOKEN_TTL is how long a sign-in lasts, like 30d or 12h (at most 365d), not "${value}"`,
    );
  return ms;
}

function readApiUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`SLACK_API_URL is not a URL: "${value}" (expected something like https://slack.com/api/)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`SLACK_API_URL must be an http(s) URL, not ${url.protocol}`);
  }
  // The Web API client appends the method name; without the trailing slash it would replace the last segment.
  return value.endsWith('/') ? value : `${value}/`;
}

function readChannel(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (!/^[CGD][A-Z0-9]{2,}$/.test(value)) {
    throw new ConfigError(
      `TCEOPS_APPROVALS_CHANNEL must be a channel ID such as C0123456789 (right-click the channel → "Copy link"; the ID is its last part), not "${value}"`,
    );
  }
  return value;
}
