/**
 * The public surface: what each entry point gives out, by name (values and
 * types), so that a name is added, moved or dropped on purpose and said in the
 * README's changelog.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Every name a module exports, values and types, as an importer sees them. */
function exportedNames(file: string): string[] {
  const path = join(root, file);
  const program = ts.createProgram([path], {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(path);
  const module = source && checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`${file} is not a module`);
  return checker
    .getExportsOfModule(module)
    .map((symbol) => symbol.name)
    .sort();
}

const errorClasses = [
  "APIError",
  "AbortError",
  "AuthenticationError",
  "BadRequestError",
  "ConnectionError",
  "InsufficientBalanceError",
  "InternalServerError",
  "InvalidResponseError",
  "ModellixError",
  "NotFoundError",
  "PermissionDeniedError",
  "RateLimitError",
  "SubmitOutcomeUnknownError",
  "TaskExpiredError",
  "TaskFailedError",
  "TimeoutError",
  "ValidationError",
  "WaitTimeoutError",
];

describe('the main entry, "modellix"', () => {
  it("gives out at most 55 names: the client, its options, every error class, and the types of tasks, results and calls", () => {
    const names = exportedNames("src/index.ts");
    expect(names.length).toBeLessThanOrEqual(55);
    expect(names).toEqual(
      [
        ...["default", "Modellix", "ModellixOptions", "Logger", "LogLevel", "RequestHooks", "QuotaCoordinator", "QueueState"],
        ...errorClasses,
        ...["RateLimitInfo", "SubmitOutcomeReason", "ValidationIssue"],
        ...["RequestOptions", "ResponsePromise", "WithResponse", "SubmitOptions", "WaitOptions", "RetrieveOptions"],
        ...["Task", "TaskPromise", "TaskResult", "TaskSnapshot", "TaskStatus", "TaskErrorInfo", "TaskUpdates", "Resource", "ResourceFile"],
        ...["BatchItem", "BatchOptions", "BatchProgress", "BatchResult", "BatchRun"],
        ...["Generation", "Tasks", "Models", "Files", "Account", "AccountBalance"],
      ].sort(),
    );
  });

  it("has the client and the error classes as its only values: Task is a type (its handles come from the client)", async () => {
    const sdk = await import("modellix");
    expect(Object.keys(sdk).sort()).toEqual(["Modellix", "default", ...errorClasses].sort());
    expect("Task" in sdk).toBe(false);
  });
});

describe("the subpaths", () => {
  it('"modellix/catalog" has the catalog: namespaces, API types, default models, known slugs, typed inputs, the live list\'s types', async () => {
    expect(exportedNames("src/catalog/index.ts")).toEqual(
      [
        ...["API_TYPES", "NAMESPACES", "defaultModels", "DefaultModel", "KnownModel", "KnownModels", "ModelSlug", "Namespace"],
        ...["MediaInput", "ModelInput", "ModelInputs", "SubmitInput", "ListModelsOptions", "ModelInfo"],
      ].sort(),
    );
    const catalog = await import("modellix/catalog");
    expect(catalog.NAMESPACES).toEqual(["t2i", "i2i", "t2v", "i2v", "v2v", "tts", "stt", "sts", "expansion"]);
    expect(catalog.API_TYPES.i2v).toBe("image-to-video");
    expect(catalog.defaultModels.t2i).toMatch(/^[\w.-]+\/[\w.-]+$/);
  });

  it('"modellix/node" has the batch journal helpers beside the file helpers', async () => {
    const node = await import("modellix/node");
    expect(Object.keys(node).sort()).toEqual(["MemoryJournal", "download", "fileJournal", "journalHistory", "saveTo", "uploadFile"]);
    const journal = new node.MemoryJournal();
    await journal.append({ v: 1, at: "2026-01-01T00:00:00.000Z", key: "k", type: "t2i", model: "a/b", event: "intent" });
    expect(await node.journalHistory(journal)).toMatchObject([{ key: "k", state: "submitting" }]);
  });
});
