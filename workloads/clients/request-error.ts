/**
 * What a client's HTTP request comes back with: an answer, or an error sorted by what it implies
 * for the op: was the request certainly never received (connection refused), or may it have been
 * (timeout, reset)?
 */

/** The answer of a request that got one. */
export interface JsonResponse {
  status: number;
  body: unknown;
}

/** Why a request got no answer. `refused` means the server certainly never saw it. */
export class RequestError extends Error {
  constructor(
    readonly kind: 'refused' | 'timeout' | 'connection-lost',
    message: string,
  ) {
    super(message);
  }
}
