/** A value and the HTTP response it came in. */
export interface WithResponse<T> {
  data: T;
  /** The HTTP response (its body can be read again). */
  response: Response;
}

/**
 * A promise of an API call's value that can also give the raw HTTP response,
 * in the style of openai-node: `await call` for the value,
 * `await call.withResponse()` for both, `await call.asResponse()` for the response.
 */
export interface ResponsePromise<T> extends Promise<T> {
  /** The value and the HTTP response it came in. */
  withResponse(): Promise<WithResponse<T>>;
  /** The HTTP response alone. */
  asResponse(): Promise<Response>;
}

/** Wraps a promise of `{ data, response }` as a {@link ResponsePromise}, with any `extra` methods. */
export function responsePromise<T, X extends object = object>(call: Promise<WithResponse<T>>, extra?: (value: Promise<T>) => X): ResponsePromise<T> & X {
  const value = call.then(({ data }) => data);
  return Object.assign(value, {
    withResponse: () => call,
    asResponse: () => call.then(({ response }) => response),
    ...extra?.(value),
  }) as ResponsePromise<T> & X;
}
