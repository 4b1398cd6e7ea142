import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../src/cli/main.js";
import { type FakeServer, createFakeServer } from "../src/testing/index.js";

/** The CLI, bundled once from src/cli (dependencies stay in node_modules) and run as a child process. */
const cli = join(process.cwd(), "test-output", "cli", "modellix.mjs");
const key = "sk-cli-secret-0123456789";
const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const fast = ["--poll-interval", "0.02"];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let server: FakeServer;
let out: string;

beforeAll(async () => {
  await build({ entryPoints: ["src/cli/index.ts"], outfile: cli, bundle: true, platform: "node", format: "esm", packages: "external", logLevel: "error" });
});

beforeEach(async () => {
  server = await createFakeServer({ apiKeys: [key], pendingMs: 20, durationMs: 60 });
  out = await mkdtemp(join(tmpdir(), "modellix-cli-"));
});

afterEach(async () => {
  await server.close();
  await rm(out, { recursive: true, force: true });
});

/** Runs `modellix ...args` with the fake's URL and key in the environment (nothing from the host's). */
function run(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const childEnv = { PATH: process.env.PATH, MODELLIX_API_KEY: key, MODELLIX_BASE_URL: server.url, ...env };
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env: childEnv, timeout: 15_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function expectNoKey(result: Run): void {
  expect(result.stdout).not.toContain(key);
  expect(result.stderr).not.toContain(key);
}

describe("modellix t2i", () => {
  it("downloads the generated image into --out and prints its path", async () => {
    const result = await run(["t2i", "a lighthouse at dawn", "--size", "1024*1024", "--out", out, ...fast]);
    expect(result.code).toBe(0);
    const files = await readdir(out);
    expect(files).toHaveLength(1);
    expect(result.stdout.trim()).toBe(join(out, files[0] ?? ""));
    const bytes = await readFile(join(out, files[0] ?? ""));
    expect([...bytes.subarray(0, 8)]).toEqual(pngSignature);
    expect(server.fake.requests[0]).toMatchObject({ method: "POST", body: { prompt: "a lighthouse at dawn", size: "1024*1024" } });
    expectNoKey(result);
  });

  it("prints the result URL on stdout and plain progress lines on stderr when piped", async () => {
    const result = await run(["t2i", "a fox", "--model", "bytedance/seedream-4-5-t2i", ...fast]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(new RegExp(`^${server.origin}/files/task-[^/]+/0\\.png$`));
    const lines = result.stderr.trim().split("\n");
    expect(lines[0]).toBe("submitting t2i task");
    expect(lines[1]).toMatch(/^task task-\S+ submitted \(bytedance\/seedream-4-5-t2i\)$/);
    expect(lines.at(-1)).toMatch(/^task-\S+ success$/);
    expect(result.stderr).not.toContain("\r");
  });

  it("prints one JSON document with --json and no progress", async () => {
    const result = await run(["t2i", "a fox", "--json", "--out", out, ...fast]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ type: "t2i", model: "google/nano-banana-2-lite", status: "success", resources: [{ type: "image", format: "png" }] });
    expect(json.files).toEqual([expect.stringContaining(out)]);
  });

  it("sends --param values parsed as JSON, and strings as they are", async () => {
    const params = ["--param", "steps=30", "--param", 'camera={"type":"pan"}', "--param", "quality=high", "--seed", "7"];
    const result = await run(["t2i", "a fox", ...params, "--no-wait"]);
    expect(result.code).toBe(0);
    expect(server.fake.requests[0]?.body).toEqual({ prompt: "a fox", seed: 7, steps: 30, camera: { type: "pan" }, quality: "high" });
  });

  it("exits 2 on invalid input without sending anything", async () => {
    const result = await run(["t2i", "a fox", "--size", "1024x1024"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("size");
    expect(server.fake.requests).toHaveLength(0);
  });

  it("exits 1 when the task fails, with the reason", async () => {
    const result = await run(["t2i", "[fail] something", ...fast]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Content Policy: The prompt was rejected");
    const read = await run(["task", "get", server.fake.tasks[0]?.id ?? "", "--json"]);
    expect(read.code).toBe(0);
    expect(JSON.parse(read.stdout)).toMatchObject({ status: "failed", failure: { category: "Content Policy", detail: "The prompt was rejected" } });
  });

  it("exits 130 on Ctrl-C while waiting, leaving the task running", async () => {
    server.fake.configure({ durationMs: 60_000 });
    const child = spawn(process.execPath, [cli, "t2i", "a slow fox", ...fast], {
      env: { PATH: process.env.PATH, MODELLIX_API_KEY: key, MODELLIX_BASE_URL: server.url },
    });
    let stderr = "";
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    await new Promise<void>((resolve) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes("processing")) resolve();
      });
    });
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toContain("Interrupted");
    expect(server.fake.tasks[0]?.status).toBe("processing");
  });

  it("exits 5 when --timeout elapses, naming the command that resumes the task", async () => {
    server.fake.configure({ durationMs: 60_000 });
    const result = await run(["t2i", "a slow fox", "--timeout", "0.2", ...fast]);
    expect(result.code).toBe(5);
    const id = server.fake.tasks[0]?.id ?? "";
    expect(result.stderr).toContain(`modellix task wait ${id}`);
  });
});

describe("on a terminal", () => {
  it("draws a spinner on stderr and clears it before printing the result", async () => {
    server.fake.configure({ durationMs: 350 });
    let stdout = "";
    let stderr = "";
    const code = await runCli(["t2i", "a fox", ...fast], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { isTTY: true, write: (text: string) => (stderr += text) },
      env: { MODELLIX_API_KEY: key, MODELLIX_BASE_URL: server.url },
      signal: new AbortController().signal,
    });
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/\/0\.png$/);
    const clearLine = "\r\u001b[2K";
    const frames = stderr.split(clearLine).filter(Boolean);
    expect(frames).toContainEqual(expect.stringMatching(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] task-\S+ processing \ds$/));
    expect(frames).toContainEqual(expect.stringMatching(/^task task-\S+ submitted \(google\/nano-banana-2-lite\)\n$/));
    expect(stderr.endsWith(clearLine)).toBe(true);
  });
});

describe("other generation commands", () => {
  it("i2v takes --image and video parameters", async () => {
    const result = await run(["i2v", "the cat waves", "--image", "https://example.com/cat.png", "--param", "duration=5", "--no-wait"]);
    expect(result.code).toBe(0);
    expect(server.fake.requests[0]).toMatchObject({ path: "/api/v1/i2v/bytedance/seedance-2-0-fast-i2v/async", body: { image: "https://example.com/cat.png", duration: 5 } });
  });

  it("i2i sends several --image flags as images", async () => {
    const result = await run(["i2i", "blend them", "--image", "https://example.com/a.png", "--image", "https://example.com/b.png", "--no-wait"]);
    expect(result.code).toBe(0);
    expect(server.fake.requests[0]?.body).toEqual({ prompt: "blend them", images: ["https://example.com/a.png", "https://example.com/b.png"] });
  });

  it("expand and t2v submit to their types", async () => {
    const expand = await run(["expand", "--image", "https://example.com/a.png", "--param", "left_expansion_ratio=0.5", "--no-wait"]);
    const t2v = await run(["t2v", "waves at night", "--no-wait", "--json"]);
    expect([expand.code, t2v.code]).toEqual([0, 0]);
    expect(server.fake.requests.map((request) => request.path)).toEqual([
      "/api/v1/expansion/kling/kling-image-expansion/async",
      "/api/v1/t2v/bytedance/seedance-2-0-mini-t2v/async",
    ]);
    expect(JSON.parse(t2v.stdout)).toMatchObject({ type: "t2v", status: "pending", taskId: server.fake.tasks[1]?.id });
  });
});

describe("modellix task", () => {
  it("resumes a task by id: get, wait and download", async () => {
    const submitted = await run(["t2i", "a lighthouse", "--no-wait"]);
    const id = submitted.stdout.trim();
    expect(id).toBe(server.fake.tasks[0]?.id);
    const get = await run(["task", "get", id, "--json"]);
    expect(get.code).toBe(0);
    expect(JSON.parse(get.stdout)).toMatchObject({ taskId: id, status: expect.stringMatching(/pending|processing|success/) });
    const waited = await run(["task", "wait", id, ...fast]);
    expect(waited.code).toBe(0);
    expect(waited.stdout.trim()).toMatch(/\/0\.png$/);
    const downloaded = await run(["task", "download", id, "--out", out, ...fast]);
    expect(downloaded.code).toBe(0);
    expect(await readdir(out)).toEqual([`${id}-0.png`]);
  });

  it("exits 6 for an unknown task", async () => {
    const result = await run(["task", "get", "task-does-not-exist"]);
    expect(result.code).toBe(6);
    expect(result.stderr).toContain("Task not found");
  });
});

describe("modellix models", () => {
  it("lists the active models, filtered by --type", async () => {
    const all = await run(["models"]);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^bytedance\/seedream-4-5-t2i\s+t2i\s+Seedream 4\.5 T2I$/m);
    const videos = await run(["models", "--type", "t2v", "--json"]);
    const listed = JSON.parse(videos.stdout) as { slug: string; type: string }[];
    expect(listed.map((model) => model.slug)).toEqual(["bytedance/seedance-2-0-mini-t2v", "google/veo-3-1-fast-t2v"]);
  });
});

describe("modellix doctor", () => {
  it("checks Node, key, connectivity, balance and rate limits without printing the key", async () => {
    const result = await run(["doctor"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`✓ Node.js ${process.versions.node}`);
    expect(result.stdout).toContain("✓ API key found in MODELLIX_API_KEY");
    expect(result.stdout).toContain(`✓ API reachable at ${server.url}`);
    expect(result.stdout).toContain("✓ the API accepts the key");
    expect(result.stdout).toContain("✓ balance: 100");
    expect(result.stdout).toMatch(/✓ rate limit: \d+ of 600 requests left this minute/);
    expectNoKey(result);
  });

  it("exits 3 for a rejected key or an empty balance, 4 when the API is unreachable", async () => {
    const wrong = await run(["doctor", "--json"], { MODELLIX_API_KEY: "sk-wrong-key-987" });
    expect(wrong.code).toBe(3);
    expect(wrong.stdout).not.toContain("sk-wrong-key-987");
    expect(JSON.parse(wrong.stdout)).toMatchObject({ ok: false, checks: expect.arrayContaining([{ name: "key valid", status: "fail", detail: expect.stringContaining("401") }]) });
    server.fake.configure({ balance: 0 });
    const broke = await run(["doctor"]);
    expect(broke.code).toBe(3);
    expect(broke.stdout).toContain("✗ balance: 0");
    const closed = await createFakeServer();
    await closed.close();
    const offline = await run(["doctor", "--base-url", closed.url]);
    expect(offline.code).toBe(4);
    expect(offline.stdout).toContain("✗ API at");
  });
});

describe("errors and usage", () => {
  it("exits 3 without a key, and with a rejected key without printing it", async () => {
    const missing = await run(["t2i", "a fox"], { MODELLIX_API_KEY: undefined });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("MODELLIX_API_KEY");
    const wrong = await run(["t2i", "a fox"], { MODELLIX_API_KEY: "sk-wrong-key-987" });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).not.toContain("sk-wrong-key-987");
  });

  it("exits 4 when the API cannot be reached, and --base-url wins over the environment", async () => {
    const closed = await createFakeServer();
    await closed.close();
    const result = await run(["task", "get", "task-1", "--base-url", closed.url, "--max-retries", "0"], { MODELLIX_BASE_URL: server.url });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("Could not reach the Modellix API");
    expect(server.fake.requests).toHaveLength(0);
  });

  it("exits 2 on unknown commands and options, pointing to --help", async () => {
    const unknown = await run(["paint", "x"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "paint"');
    const option = await run(["t2i", "x", "--colour", "red"]);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("modellix t2i --help");
    const insecure = await run(["models", "--base-url", "http://api.example.com/api/v1"]);
    expect(insecure.code).toBe(2);
    expect(insecure.stderr).toContain("baseURL must use https");
    const json = await run(["task", "get", "--json"]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { name: "UsageError", exitCode: 2 } });
  });

  it("documents commands, options and exit codes in --help", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    for (const text of ["t2i <prompt>", "task wait <id>", "models", "doctor", "MODELLIX_API_KEY", "Exit codes:", "--json"]) {
      expect(help.stdout).toContain(text);
    }
    const command = await run(["help", "i2i"]);
    expect(command.stdout).toContain("--image <url>");
    expect(command.stdout).toContain("--param <key=value>");
    const version = await run(["--version"]);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
