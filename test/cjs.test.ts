/**
 * CommonJS consumers, as users meet the package: the packed tarball (`npm pack`)
 * installed into a fresh CommonJS project, loaded with `require()` by Node and
 * typechecked, compiled and run by TypeScript in its CommonJS module modes.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDist, root } from "./dist-build.js";

const run = promisify(execFile);

/** Runs a command, failing with its output (not just its exit code). */
async function exec(file: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run(file, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`${[file, ...args].join(" ")} failed:\n${stdout}\n${stderr}`.trim());
  }
}

/** What the CommonJS script reports about `require("modellix")`. */
interface RequireReport {
  type: string;
  instance: boolean;
  namedIsClass: boolean;
  defaultIsClass: boolean;
  esModuleFlag: unknown;
  cjsKeys: string[];
  esmKeys: string[];
  kindMismatches: string[];
  error: { name: string; validation: boolean; viaProperty: boolean; modellix: boolean; rateLimit: boolean } | undefined;
  errorHierarchy: boolean;
  testingEntry: string;
}

/** Plain `require()`, the way openai and replicate are used from CommonJS. */
const requireScript = `
const Modellix = require("modellix");
const { Modellix: Named, default: Default, ValidationError, ModellixError, RateLimitError, APIError } = require("modellix");

(async () => {
  const esm = await import("modellix");
  const client = new Modellix({ apiKey: "cjs-key", baseURL: "http://127.0.0.1:9" });
  let error;
  try {
    await client.textToImage({ prompt: 42 });
  } catch (caught) {
    error = caught;
  }
  const report = {
    type: typeof Modellix,
    instance: client instanceof Modellix && client instanceof Named,
    namedIsClass: Named === Modellix,
    defaultIsClass: Default === Modellix,
    esModuleFlag: Modellix.__esModule,
    cjsKeys: Object.keys(Modellix).sort(),
    esmKeys: Object.keys(esm).sort(),
    kindMismatches: Object.keys(esm).filter((name) => typeof esm[name] !== typeof Modellix[name]),
    error: error && {
      name: error.name,
      validation: error instanceof ValidationError,
      viaProperty: error instanceof Modellix.ValidationError,
      modellix: error instanceof ModellixError,
      rateLimit: error instanceof RateLimitError,
    },
    errorHierarchy: RateLimitError.prototype instanceof APIError && APIError.prototype instanceof Modellix.ModellixError,
    testingEntry: typeof require("modellix/testing").createFakeServer,
  };
  console.log(JSON.stringify(report));
})();
`;

/**
 * A TypeScript CommonJS consumer: `import x = require()`, default and named
 * imports, the namespace's types, and `@ts-expect-error` lines that fail the
 * check if the types were `any`. Compiled and run, it prints what it caught.
 */
const typedConsumer = `
import Modellix = require("modellix");
import Default from "modellix";
import { ModellixError, RateLimitError, ValidationError, type ModellixOptions } from "modellix";

const options: ModellixOptions = { apiKey: "cjs-key", baseURL: "http://127.0.0.1:9" };
const client: Modellix = new Modellix(options);
const fromDefault: Modellix = new Default(options);
const fromNamespace: Modellix.Modellix = new Modellix.Modellix(options);
const sameClass: typeof Modellix = Modellix.default;
const namespacedOptions: Modellix.ModellixOptions = options;
const typedError: Modellix.RateLimitError | undefined = undefined;

// @ts-expect-error the key is a string
new Modellix({ apiKey: 42 });
// @ts-expect-error not an export of the package
Modellix.NotAnExport;
// @ts-expect-error the instance is not the class
const wrong: typeof Modellix = client;

function describeError(error: unknown): string {
  if (error instanceof RateLimitError) return "rate limited";
  if (error instanceof Modellix.ValidationError && error instanceof ValidationError) return "ValidationError";
  return error instanceof ModellixError ? "other ModellixError" : String(error);
}

async function main(): Promise<void> {
  const clients = [client, fromDefault, fromNamespace].every((each) => each instanceof sameClass);
  try {
    await client.textToImage({ prompt: 42 as unknown as string });
    console.log(JSON.stringify({ clients, caught: "nothing" }));
  } catch (error) {
    console.log(JSON.stringify({ clients, caught: describeError(error) }));
  }
}

void [namespacedOptions, typedError, wrong];
void main();
`;

/**
 * TypeScript's CommonJS setups: Node16 (`.cts`), and classic `commonjs` with and
 * without esModuleInterop. The Node16 one also checks every declaration file
 * (`skipLibCheck: false`), ours included; the classic ones skip them, as most
 * projects do (zod's own declarations need esModuleInterop).
 */
const typescriptSetups = [
  { name: "node16", file: "consumer.cts", out: "consumer.cjs", options: { module: "node16", moduleResolution: "node16", skipLibCheck: false } },
  { name: "commonjs", file: "consumer.ts", out: "consumer.js", options: { module: "commonjs", moduleResolution: "node10", esModuleInterop: true, skipLibCheck: true } },
  {
    name: "commonjs-no-interop",
    file: "consumer.ts",
    out: "consumer.js",
    options: { module: "commonjs", moduleResolution: "node10", esModuleInterop: false, skipLibCheck: true },
  },
] as const;

/**
 * An ES module consumer, plain JavaScript: the default export carries every error
 * class as a static, as `require("modellix")` does (`e instanceof Modellix.ValidationError`
 * must not throw inside a `catch`).
 */
const esmScript = `
import Modellix, { ValidationError, RateLimitError } from "modellix";
const errorNames = ${JSON.stringify(["ModellixError", "APIError", "BadRequestError", "AuthenticationError", "InsufficientBalanceError", "PermissionDeniedError", "NotFoundError", "TaskExpiredError", "RateLimitError", "InternalServerError", "InvalidResponseError", "ConnectionError", "RequestTimeoutError", "UserAbortError", "ValidationError", "SubmitOutcomeUnknownError", "TaskFailedError", "WaitTimeoutError"])};
const named = await import("modellix");
const client = new Modellix({ apiKey: "esm-key", baseURL: "http://127.0.0.1:9" });
let caught;
try {
  await client.textToImage({ prompt: 42 });
} catch (error) {
  caught = { validation: error instanceof Modellix.ValidationError, named: error instanceof ValidationError, rateLimit: error instanceof Modellix.RateLimitError };
}
console.log(JSON.stringify({
  missing: errorNames.filter((name) => typeof Modellix[name] !== "function" || Modellix[name] !== named[name]),
  sameAsNamed: Modellix.RateLimitError === RateLimitError,
  caught,
}));
`;

/** The same in TypeScript (Node16 ESM): the error classes type as statics of the default export. */
const typedEsmConsumer = `
import Modellix from "modellix";

function describeError(error: unknown): string {
  if (error instanceof Modellix.RateLimitError) return \`rate limited, retry after \${error.retryAfterMs}\`;
  if (error instanceof Modellix.ValidationError) return \`ValidationError: \${error.issues.length} issue(s)\`;
  return error instanceof Modellix.ModellixError ? "other ModellixError" : String(error);
}

// @ts-expect-error not an error class of the package
Modellix.NotAnError;

const client = new Modellix({ apiKey: "esm-key", baseURL: "http://127.0.0.1:9" });
try {
  await client.textToImage({ prompt: 42 as unknown as string });
  console.log(JSON.stringify({ caught: "nothing" }));
} catch (error) {
  console.log(JSON.stringify({ caught: describeError(error) }));
}
`;

/** tsc on a loaded machine checking zod's declarations takes a while. */
const compileTimeoutMs = 120_000;

describe("CommonJS consumers of the packed package", () => {
  let project: string;

  beforeAll(async () => {
    await ensureDist();
    await mkdir(join(root, "test-output"), { recursive: true });
    // Inside the repository, so the package's own dependencies (zod, …) resolve from its node_modules.
    project = await mkdtemp(join(root, "test-output", "cjs-consumer-"));
    const packed = await exec("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", project], root);
    const [{ filename }] = JSON.parse(packed) as [{ filename: string }];
    const installed = join(project, "node_modules", "modellix");
    await mkdir(installed, { recursive: true });
    await exec("tar", ["-xzf", join(project, filename), "-C", installed, "--strip-components=1"], project);
    await writeFile(join(project, "package.json"), JSON.stringify({ name: "cjs-consumer", private: true, type: "commonjs" }));
  }, 300_000);

  afterAll(async () => {
    if (project) await rm(project, { recursive: true, force: true });
  });

  /** Runs the `require()` script once; both tests below read its report. */
  let report: Promise<RequireReport> | undefined;
  const requireReport = () => {
    report ??= writeFile(join(project, "require.cjs"), requireScript)
      .then(() => exec(process.execPath, ["require.cjs"], project))
      .then((stdout) => JSON.parse(stdout) as RequireReport);
    return report;
  };

  it("require() returns the client class, with every named export (and default) on it", async () => {
    const report = await requireReport();

    expect(report.type).toBe("function");
    expect(report.instance).toBe(true);
    expect(report.namedIsClass).toBe(true);
    expect(report.defaultIsClass).toBe(true);
    expect(report.esModuleFlag).toBeUndefined();
    expect(report.esmKeys).toContain("Modellix");
    expect(report.esmKeys).toContain("RateLimitError");
    expect(report.cjsKeys).toEqual(report.esmKeys);
    expect(report.kindMismatches).toEqual([]);
    expect(report.errorHierarchy).toBe(true);
    expect(report.testingEntry).toBe("function");
  });

  it("errors thrown by the required client are instances of the required error classes", async () => {
    const report = await requireReport();

    expect(report.error).toEqual({ name: "ValidationError", validation: true, viaProperty: true, modellix: true, rateLimit: false });
  });

  it("in an ES module, the default export has every error class as a static, the same as the named export, in JavaScript and TypeScript", async () => {
    await writeFile(join(project, "esm.mjs"), esmScript);
    expect(JSON.parse(await exec(process.execPath, ["esm.mjs"], project))).toEqual({
      missing: [],
      sameAsNamed: true,
      caught: { validation: true, named: true, rateLimit: false },
    });
    const dir = join(project, "ts-esm");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "consumer.mts"), typedEsmConsumer);
    const compilerOptions = { module: "node16", moduleResolution: "node16", target: "es2022", lib: ["es2022", "dom"], types: ["node"], strict: true, outDir: "out" };
    await writeFile(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["consumer.mts"] }));
    await exec(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], dir);
    expect(JSON.parse(await exec(process.execPath, [join("out", "consumer.mjs")], dir))).toEqual({ caught: "ValidationError: 1 issue(s)" });
  }, compileTimeoutMs);

  it.each(typescriptSetups)("a TypeScript CommonJS project ($name) typechecks against the packed types, compiles and runs", async (setup) => {
    const dir = join(project, `ts-${setup.name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, setup.file), typedConsumer);
    const compilerOptions = {
      ...setup.options,
      target: "es2022",
      lib: ["es2022", "dom"],
      types: ["node"],
      strict: true,
      outDir: "out",
    };
    await writeFile(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: [setup.file] }));
    await exec(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], dir);

    expect(await readdir(join(dir, "out"))).toContain(setup.out);
    const output = JSON.parse(await exec(process.execPath, [join("out", setup.out)], dir));
    expect(output).toEqual({ clients: true, caught: "ValidationError" });
  }, compileTimeoutMs);
});
