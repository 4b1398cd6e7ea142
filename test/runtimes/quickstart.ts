/**
 * The README's quick start, written once for every runtime test/runtimes.test.ts
 * runs it in (Bun, Deno, the edge runtime). It takes the SDK module as an argument,
 * so each runtime loads the built `dist/index.js` its own way, and returns plain
 * JSON-safe data, so the outcome can cross a process or VM boundary.
 */
import type * as SDK from "modellix";

/** Where the quick start runs: the fake server and its key. */
export interface QuickstartTarget {
  baseURL: string;
  apiKey: string;
}

/** What the quick start observed, as plain data. */
export interface QuickstartOutcome {
  /** The runtime it really ran in, detected from its globals. */
  runtime: string;
  taskId: unknown;
  resultId: unknown;
  resourceUrls: unknown[];
  error: { name: string; validation: boolean; modellix: boolean; mentionsKey: boolean } | { thrown: string } | undefined;
}

/** `Deno`, `Bun` or `EdgeRuntime`, whichever global is there; else `unknown`. */
function detectRuntime(): string {
  const g = globalThis as { Deno?: unknown; Bun?: unknown; EdgeRuntime?: unknown; process?: { versions?: { node?: string } } };
  if (g.Deno !== undefined) return "deno";
  if (g.Bun !== undefined) return "bun";
  if (g.EdgeRuntime !== undefined) return "edge-runtime";
  return g.process?.versions?.node ? "node" : "unknown";
}

/** Submits a text-to-image task, waits for its result, then triggers a typed error. */
export async function quickstart(sdk: typeof SDK, target: QuickstartTarget): Promise<QuickstartOutcome> {
  const client = new sdk.Modellix({ apiKey: target.apiKey, baseURL: target.baseURL, pollInterval: { initialMs: 50, maxMs: 50 } });
  const task = await client.textToImage({ prompt: "a lighthouse" });
  const result = await task.wait();

  let error: QuickstartOutcome["error"];
  try {
    await client.textToImage({ prompt: 42 as unknown as string });
  } catch (caught) {
    error =
      caught instanceof Error
        ? {
            name: caught.name,
            validation: caught instanceof sdk.ValidationError,
            modellix: caught instanceof sdk.ModellixError,
            mentionsKey: caught.message.includes(target.apiKey),
          }
        : { thrown: String(caught) };
  }
  return {
    runtime: detectRuntime(),
    taskId: task.id,
    resultId: result.id,
    resourceUrls: result.resources.map((resource) => resource.url),
    error,
  };
}
