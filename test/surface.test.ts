/**
 * The public surface: what each entry point gives out, by name (values and
 * types), so that a name is added, moved or dropped on purpose and said in the
 * README's changelog.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { editorOn } from "./editor.js";

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
  "UserAbortError",
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
  "RequestTimeoutError",
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
        ...["RequestOptions", "SubmitOptions", "WaitOptions", "RetrieveOptions"],
        ...["Task", "TaskPromise", "TaskResult", "TaskSnapshot", "TaskStatus", "TaskErrorInfo", "TaskUpdates", "Resource", "ResourceFile"],
        ...["BatchItem", "BatchOptions", "BatchProgress", "BatchResult", "BatchRun"],
        ...["Generation", "Tasks", "Models", "Files", "Account", "AccountBalance", "Webhooks", "WebhookOptions"],
      ].sort(),
    );
  });

  it("has the client and the error classes as its only values: Task is a type (its handles come from the client)", async () => {
    const sdk = await import("modellix");
    expect(Object.keys(sdk).sort()).toEqual(["Modellix", "default", ...errorClasses].sort());
    expect("Task" in sdk).toBe(false);
  });
});

/** What an editor shows on hovering the end of `source` (its declaration and its TSDoc), with the repository's tsconfig. */
function hoverAtEnd(source: string): { shown: string; documentation: string } {
  const { service, file } = editorOn(source);
  const info = service.getQuickInfoAtPosition(file, source.length - 1);
  return { shown: ts.displayPartsToString(info?.displayParts), documentation: ts.displayPartsToString(info?.documentation) };
}

describe("the shortcut methods", () => {
  it("show their own TSDoc in an editor, naming the namespace each submits to", () => {
    const preamble = 'import Modellix from "modellix";\nconst client = new Modellix();\n';
    const shortcuts = { textToImage: "t2i", imageToVideo: "i2v", speechToSpeech: "sts", expandImage: "expansion" };
    for (const [name, namespace] of Object.entries(shortcuts)) {
      const hover = hoverAtEnd(`${preamble}void client.${name}`);
      expect(hover.shown, name).toContain(name);
      expect(hover.documentation, name).toContain(`a shortcut for \`client.${namespace}.submit(input, options)\``);
    }
  }, 30_000);
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

  it('"modellix/node" has the batch journal helpers beside the file and webhook helpers', async () => {
    const node = await import("modellix/node");
    expect(Object.keys(node).sort()).toEqual(["MemoryJournal", "download", "fileJournal", "journalHistory", "saveTo", "uploadFile", "webhookHandler"]);
    const journal = new node.MemoryJournal();
    await journal.append({ v: 1, at: "2026-01-01T00:00:00.000Z", key: "k", type: "t2i", model: "a/b", event: "intent" });
    expect(await node.journalHistory(journal)).toMatchObject([{ key: "k", state: "submitting" }]);
  });
});
