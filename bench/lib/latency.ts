/**
 * A network on the process's timers: turns an in-process request handler into a
 * `fetch` whose every request reaches the handler half a round trip after it is
 * sent, and whose answer arrives half a round trip after that. Under virtual
 * time (lib/virtual-time.ts) the delays are exact, so a simulated client meets
 * the same network as every other.
 */

/** An in-process server: a request in, a response out. */
export type Handler = (request: Request) => Promise<Response>;

/** `handler` behind a network with a fixed round trip of `roundTripMs`. */
export function withLatency(handler: Handler, roundTripMs: number): typeof fetch {
  const oneWay = () => new Promise((resolve) => setTimeout(resolve, roundTripMs / 2));
  return async (input, init) => {
    const request = new Request(input, init);
    await oneWay();
    const response = await handler(request);
    await oneWay();
    return response;
  };
}
