/**
 * Outcomes on the wire: the API answers with the same Outcome every surface renders; an error travels as its
 * kind, code, message and RequestId and comes back as a TceopsError with the same exit code.
 */
import { ApiError, type ErrorKind, TceopsError } from '../api/errors.ts';
import type { Outcome } from '../commands/types.ts';
import type { TokenInfo } from './sessions.ts';

/**
 * `GET /api/v1/whoami`: the verified Slack identity a token stands for, and when the token expires. The ID (with
 * its team) is what the server acts as; the name is Slack's, as shown at sign-in — shown, never used to decide.
 */
export interface WhoAmI {
  user: { id: string; team?: string; name?: string };
  token: { id: string; expiresAt: string };
}

export function whoamiOf(info: TokenInfo): WhoAmI {
  const { id, org, name } = info.user;
  return {
    user: { id, ...(org ? { team: org } : {}), ...(name ? { name } : {}) },
    token: { id: info.id, expiresAt: info.expiresAt },
  };
}

export interface WireError {
  kind: ErrorKind;
  message: string;
  code?: string;
  requestId?: string;
  service?: string;
  action?: string;
  apiMessage?: string;
}

/** A failure reported by the server, rebuilt on the client. */
export class RemoteError extends TceopsError {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly code?: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

export function errorToWire(error: TceopsError): WireError {
  const e = error as TceopsError & Partial<Omit<WireError, 'kind' | 'message'>>;
  return {
    kind: error.kind,
    message: error.message,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.requestId === 'string' ? { requestId: e.requestId } : {}),
    ...(typeof e.service === 'string' ? { service: e.service, action: e.action } : {}),
    ...(typeof e.apiMessage === 'string' ? { apiMessage: e.apiMessage } : {}),
  };
}

export function errorFromWire(wire: WireError): TceopsError {
  if (wire.kind === 'api')
    return new ApiError(
      wire.code ?? 'InternalError',
      wire.apiMessage ?? wire.message,
      wire.requestId ?? '',
      wire.service ?? '',
      wire.action ?? '',
    );
  const kinds: ErrorKind[] = ['input', 'config', 'refused', 'http', 'transport'];
  return new RemoteError(
    kinds.includes(wire.kind) ? wire.kind : 'refused',
    String(wire.message),
    wire.code,
    wire.requestId,
  );
}

export function outcomeToWire(outcome: Outcome): unknown {
  return outcome.kind === 'error' ? { kind: 'error', error: errorToWire(outcome.error) } : outcome;
}

export function outcomeFromWire(value: unknown): Outcome {
  const outcome = value as Outcome | { kind: 'error'; error: WireError };
  if (!outcome || typeof outcome !== 'object' || typeof outcome.kind !== 'string')
    return {
      kind: 'error',
      error: new RemoteError('transport', 'the server answered with something that is not an outcome'),
    };
  if (outcome.kind === 'error') return { kind: 'error', error: errorFromWire(outcome.error as WireError) };
  return outcome as Outcome;
}
