/** An answer with `Response.Error`: the code TCE documents, and a message that says what to change. */
export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export function fail(code: string, message: string): never {
  throw new ApiFailure(code, message);
}
