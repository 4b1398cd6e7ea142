import { VERSION } from "./version.js";

interface RuntimeGlobals {
  Deno?: { version?: { deno?: string } };
  Bun?: { version?: string };
  EdgeRuntime?: unknown;
  process?: { versions?: { node?: string } };
  window?: unknown;
}

/**
 * `modellix-js/<version> (<runtime>/<version>)` for server runtimes; undefined
 * in browsers, which set their own User-Agent.
 */
export function userAgent(): string | undefined {
  const g = globalThis as RuntimeGlobals;
  const runtime = g.Deno?.version?.deno
    ? `Deno/${g.Deno.version.deno}`
    : g.Bun?.version
      ? `Bun/${g.Bun.version}`
      : typeof g.EdgeRuntime === "string"
        ? `edge-runtime/${g.EdgeRuntime}`
        : g.process?.versions?.node && g.window === undefined
          ? `Node.js/${g.process.versions.node}`
          : undefined;
  return runtime ? `modellix-js/${VERSION} (${runtime})` : undefined;
}
