/**
 * Which URL a service is called at. A TCE deployment has its own host names (or only IPs), so the host is
 * configuration, never derived from the public cloud's naming.
 */
import { ConfigError } from '../api/errors.ts';

export interface EndpointSources {
  /** `--endpoint`: a base URL, or a bare host (https is assumed). */
  endpoint?: string;
  env?: NodeJS.ProcessEnv;
  /** The tccli profile's per-service endpoint, e.g. from `cvm.endpoint` in default.configure. */
  profileEndpoint?: string;
  /** The host the docs print for the action, the last resort. */
  documentedHost?: string;
}

export interface Endpoint {
  url: URL;
  /** Where the choice came from, for error messages. */
  source: string;
}

export function parseEndpoint(value: string, source: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigError(
      `the endpoint "${value}" from ${source} is not a URL: use e.g. https://cvm.example.com or http://127.0.0.1:4566`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`the endpoint "${value}" from ${source} must use http or https`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`the endpoint "${url.host}" from ${source} must not carry a query, fragment or user name`);
  }
  return url;
}

export function resolveEndpoint(service: string, sources: EndpointSources): Endpoint {
  const env = sources.env ?? process.env;
  if (sources.endpoint) return { url: parseEndpoint(sources.endpoint, '--endpoint'), source: '--endpoint' };
  if (env.TCE_ENDPOINT) return { url: parseEndpoint(env.TCE_ENDPOINT, 'TCE_ENDPOINT'), source: 'TCE_ENDPOINT' };
  if (sources.profileEndpoint) {
    return { url: parseEndpoint(sources.profileEndpoint, `the profile's ${service}.endpoint`), source: 'profile' };
  }
  if (env.TCE_DOMAIN) {
    const domain = env.TCE_DOMAIN.replace(/^\.+|\/+$/g, '');
    if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(domain)) {
      throw new ConfigError(`TCE_DOMAIN "${env.TCE_DOMAIN}" must be a domain name such as tce.example.com`);
    }
    return { url: parseEndpoint(`https://${service}.${domain}`, 'TCE_DOMAIN'), source: 'TCE_DOMAIN' };
  }
  if (sources.documentedHost) return { url: parseEndpoint(sources.documentedHost, 'the docs'), source: 'the docs' };
  throw new ConfigError(`no endpoint for ${service}: set TCE_ENDPOINT or TCE_DOMAIN, or pass --endpoint`);
}
