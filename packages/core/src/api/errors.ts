/**
 * Every failure tceops reports is one of these, with a stable `kind` so surfaces can decide how to show it
 * and which exit code to use (input → 2, everything from the cloud → 1).
 */

export type ErrorKind = 'input' | 'config' | 'refused' | 'api' | 'http' | 'transport';

export abstract class TceopsError extends Error {
  abstract readonly kind: ErrorKind;
  /** 2 for bad usage or input (nothing was sent), 1 for refusals and failures from the cloud. */
  get exitCode(): 1 | 2 {
    return this.kind === 'input' || this.kind === 'config' ? 2 : 1;
  }
}

/** The request was refused before anything was sent: unknown action, missing or malformed parameter, ... */
export class InputError extends TceopsError {
  readonly kind = 'input';
  constructor(
    message: string,
    /** The TCE error code the server would have answered with, when there is one (e.g. MissingParameter). */
    readonly code = 'InvalidParameter',
    readonly hint?: string,
  ) {
    super(hint ? `${message}\n${hint}` : message);
    this.name = 'InputError';
  }
}

/** Credentials, profiles, endpoints or policy could not be read or make no sense. */
export class ConfigError extends TceopsError {
  readonly kind = 'config';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/**
 * tceops itself refused: the policy denies it, the target is in a state the action does not allow, an approval
 * is stale or not yours to give. Nothing was changed.
 */
export class RefusedError extends TceopsError {
  readonly kind = 'refused';
  constructor(
    message: string,
    readonly code = 'UnauthorizedOperation',
    readonly hint?: string,
  ) {
    super(hint ? `${message}\n${hint}` : message);
    this.name = 'RefusedError';
  }
}

/** TCE answered with `Response.Error`. */
export class ApiError extends TceopsError {
  readonly kind = 'api';
  constructor(
    readonly code: string,
    readonly apiMessage: string,
    readonly requestId: string,
    readonly service: string,
    readonly action: string,
  ) {
    super(`${service}:${action} failed: ${code}: ${apiMessage} (RequestId ${requestId || 'none'})`);
    this.name = 'ApiError';
  }
}

/** The server answered with a status other than 200, or a body that is not the TCE envelope. */
export class HttpError extends TceopsError {
  readonly kind = 'http';
  constructor(
    readonly status: number,
    message: string,
    readonly service: string,
    readonly action: string,
  ) {
    super(`${service}:${action}: HTTP ${status}: ${message}`);
    this.name = 'HttpError';
  }
}

/** The request did not complete: connection refused or reset, DNS, TLS, timeout, abort. */
export class TransportError extends TceopsError {
  readonly kind = 'transport';
  constructor(
    message: string,
    readonly service: string,
    readonly action: string,
    options?: ErrorOptions & { timedOut?: boolean; aborted?: boolean },
  ) {
    super(`${service}:${action}: ${message}`, options);
    this.name = 'TransportError';
    this.timedOut = options?.timedOut ?? false;
    this.aborted = options?.aborted ?? false;
  }
  readonly timedOut: boolean;
  readonly aborted: boolean;
}
