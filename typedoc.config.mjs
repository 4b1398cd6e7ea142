// TypeDoc: the API reference of every public entry point (read from package.json "exports", so a new
// entry is documented without editing this file) plus the guides in docs/. `npm run docs` → docs/api.
import { existsSync, readFileSync } from "node:fs";

const { exports } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

/** `./dist/testing/msw.js` → `src/testing/msw.ts` */
const entryPoints = Object.values(exports)
  .map((target) => target?.import?.default)
  .filter((file) => typeof file === "string" && file.startsWith("./dist/"))
  .map((file) => file.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts"));

const missing = entryPoints.filter((file) => !existsSync(file));
if (missing.length) throw new Error(`typedoc: package.json exports name missing sources: ${missing.join(", ")}`);

/** @type {Partial<import("typedoc").TypeDocOptions>} */
export default {
  name: "modellix",
  entryPoints,
  out: "docs/api",
  tsconfig: "tsconfig.json",
  readme: "README.md",
  projectDocuments: [
    "docs/getting-started.md",
    "docs/files-and-inputs.md",
    "docs/errors-and-retries.md",
    "docs/quota-and-rate-limits.md",
    "docs/batches-and-journals.md",
    "docs/browser-and-proxy.md",
    "docs/testing-with-modellix-testing.md",
    "docs/webhooks.md",
    "docs/migrating-from-raw-fetch.md",
    "docs/command-line.md",
    "docs/ai-sdk.md",
    "docs/performance.md",
  ],
  skipErrorChecking: true, // `tsc --noEmit` checks types; the docs build only reads them
  excludeInternal: true,
  excludePrivate: true,
  disableSources: true,
  treatWarningsAsErrors: true,
  // Internal helpers that public types are written with. Each is named here with its file, so a new
  // unexported type elsewhere still fails the build. The generated ones (src/models/*) would need the
  // generator to mark them @inline, or the entry points to export them.
  intentionallyNotExported: [
    "src/client.ts:Shortcut", // one shortcut: client[N].submit's signature
    "src/resources/journal.ts:EntryBase", // the fields every JournalEntry has
    "src/resources/journal.ts:JournalTaskState", // a JournalTask's `state`, listed in its doc
    "src/core/errors.ts:APIErrorInit", // what the SDK builds an APIError from; users receive errors, never build them
    "src/core/response-promise.ts:ResponsePromise", // what a call returns: the value, `.withResponse()` and `.asResponse()`, documented on each
    "src/core/response-promise.ts:WithResponse", // `.withResponse()`'s `{ data, response }`
    "src/resources/webhook-types.ts:OnWebhookTask", // `WebhookOptions.onTask`
    "src/core/task-data.ts:TaskHandle", // what an error knows of its task (`error.task`): id, status(), wait(); a Task is one
    "src/poll-schedule.ts:PollSchedule", // the fields of the client's `pollInterval` option, documented there
    "src/models/catalog.ts:ApiType", // the API's long type names: the values of API_TYPES (modellix/catalog)
    "src/models/inputs.ts:SubmitFields", // generated: SubmitInput's fields besides `model`
    "src/models/param-codec.ts:ParamSpec", // one model parameter, FakeParamSpec in modellix/testing
  ],
  validation: { notExported: true, invalidLink: true, rewrittenLink: true, notDocumented: false },
};
