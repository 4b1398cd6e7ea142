/**
 * `modellix/proxy`: a server-side proxy so browsers can use the SDK without an
 * API key. A fetch-standard handler for Next.js, Hono, Bun, Deno and Workers,
 * and `toNodeHandler()` for Node's http server and Express.
 *
 * @packageDocumentation
 */
export { createProxy } from "./create-proxy.js";
export type { ModellixProxy, ProxyHandler } from "./create-proxy.js";
export type { AuthorizeResult, ProxyOptions } from "./options.js";
export { toNodeHandler } from "./node.js";
export type { NodeRequestLike, NodeResponseLike } from "./node.js";
