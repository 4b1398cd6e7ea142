import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { build } from "esbuild";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { DEFAULT_FAKE_MODELS, type FakeServer, createFakeServer } from "../src/testing/index.js";

const key = "sk-cli-secret-0123456789";
const otherKey = "sk-cli-other-9876543210";
const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const fast = ["--poll-interval", "0.02"];
/** Terminal control: ESC, the C1 range and bidirectional overrides. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters
const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  /** Environment on top of the defaults (key, base URL, config home); `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Standard input: piped text, or a terminal typing `typed`. */
  stdin?: string | { typed: string };
  /** Aborts like Ctrl-C. */
  signal?: AbortSignal;
  /** stderr is a terminal. */
  tty?: boolean;
  /** Called with the stderr text so far, after each write. */
  onStderr?: (text: string) => void;
}

let server: FakeServer;
let dir: string;
let out: string;
let configHome: string;

beforeEach(async () => {
  server = await createFakeServer({ apiKeys: [key, otherKey], pendingMs: 20, durationMs: 60 });
  dir = await mkdtemp(join(tmpdir(), "modellix-cli-"));
  out = join(dir, "out");
  configHome = join(dir, "config");
});

afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function stdinOf(input: RunOptions["stdin"]) {
  if (input === undefined) return undefined;
  if (typeof input === "string") return Object.assign(Readable.from([Buffer.from(input)]), { isTTY: false });
  const modes: boolean[] = [];
  return Object.assign(Readable.from([Buffer.from(input.typed)]), { isTTY: true, setRawMode: (raw: boolean) => modes.push(raw), modes });
}

/** Runs `modellix ...args` in this process with the fake's URL and key, a temp config home, and nothing from the host's environment. */
async function run(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const env = { MODELLIX_API_KEY: key, MODELLIX_BASE_URL: server.url, XDG_CONFIG_HOME: configHome, HOME: join(dir, "home"), ...options.env };
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: {
      isTTY: options.tty ?? false,
      write: (text: string) => {
        stderr += text;
        options.onStderr?.(stderr);
      },
    },
    stdin: stdinOf(options.stdin),
    env,
    signal: options.signal ?? new AbortController().signal,
  });
  return { code, stdout, stderr };
}

function expectNoKey(result: Run, secret = key): void {
  expect(result.stdout).not.toContain(secret);
  expect(result.stderr).not.toContain(secret);
}

function submits() {
  return server.fake.requests.filter((request) => request.route === "submit");
}

describe("modellix t2i and the other generation commands", () => {
  it("downloads the generated image into --out and prints its path; --size is written in the model's own format", async () => {
    const result = await run(["t2i", "a lighthouse at dawn", "--model", "bytedance/seedream-4.5-t2i", "--size", "2048x2048", "--out", out, ...fast]);
    expect(result.code).toBe(0);
    const files = await readdir(out);
    expect(files).toHaveLength(1);
    expect(result.stdout.trim()).toBe(join(out, files[0] ?? ""));
    const bytes = await readFile(join(out, files[0] ?? ""));
    expect([...bytes.subarray(0, 8)]).toEqual(pngSignature);
    expect(submits()[0]).toMatchObject({ method: "POST", path: "/api/v1/bytedance/seedream-4.5-t2i", body: { prompt: "a lighthouse at dawn", size: "2048x2048" } });

    const qwen = await run(["t2i", "a fox", "--model", "alibaba/qwen-image", "--size", "1328x1328", "--no-wait"]);
    expect(qwen.code).toBe(0);
    expect(submits()[1]).toMatchObject({ path: "/api/v1/alibaba/qwen-image", body: { prompt: "a fox", size: "1328*1328" } });
    expectNoKey(result);
  });

  it("refuses --size for a model without a size field, naming the fields it has instead, and sends nothing", async () => {
    const result = await run(["t2i", "a fox", "--size", "1024x1024"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("google/nano-banana-2-lite takes no size");
    expect(result.stderr).toContain("--param aspectRatio=");
    expect(server.fake.requests).toHaveLength(0);
  });

  it("accepts the doc spelling of a slug and submits to the real id; prints the URL on stdout and plain progress on stderr when piped", async () => {
    const result = await run(["t2i", "a fox", "--model", "bytedance/seedream-4-5-t2i", ...fast]);
    expect(result.code).toBe(0);
    expect(submits()[0]?.path).toBe("/api/v1/bytedance/seedream-4.5-t2i");
    expect(result.stdout.trim()).toMatch(new RegExp(`^${server.origin}/files/task-[^/]+/0\\.png$`));
    const lines = result.stderr.trim().split("\n");
    expect(lines[0]).toBe("submitting t2i task");
    expect(lines[1]).toMatch(/^task task-\S+ submitted \(bytedance\/seedream-4\.5-t2i\)$/);
    expect(lines.at(-1)).toMatch(/^task-\S+ success$/);
    expect(result.stderr).not.toContain("\r");
  });

  it("prints one JSON document with --json and no progress", async () => {
    const result = await run(["t2i", "a fox", "--json", "--out", out, ...fast]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ type: "t2i", status: "success", resources: [{ type: "image", format: "png" }], expiresAt: expect.any(String) });
    expect(json.files).toEqual([expect.stringContaining(out)]);
  });

  it("sends --param values parsed as JSON, and strings as they are; refuses a field the model does not take, which `modellix run` sends as given", async () => {
    const refused = await run(["t2i", "a fox", "--param", "aspect_ratio=16:9", "--no-wait"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("aspect_ratio: not a field of google/nano-banana-2-lite; did you mean aspectRatio?");
    expect(refused.stderr).toContain("its fields: prompt, aspectRatio, imageSize");
    expect(server.fake.requests).toHaveLength(0);

    const params = ["--param", "aspectRatio=16:9", "--param", 'extra={"type":"pan"}', "--param", "steps=30"];
    const result = await run(["run", "google/nano-banana-2-lite", "--body", '{"prompt":"a fox","seed":7}', ...params, "--no-wait"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("google/nano-banana-2-lite does not list extra; sent as given");
    expect(submits()[0]?.body).toEqual({ prompt: "a fox", seed: 7, aspectRatio: "16:9", extra: { type: "pan" }, steps: 30 });
  });

  it("puts --image in the model's own input field: first_frame_image for Seedance i2v, an array for an edit model", async () => {
    const i2v = await run(["i2v", "the cat waves", "--image", "https://example.com/cat.png", "--param", "duration=5", "--no-wait"]);
    expect(i2v.code).toBe(0);
    expect(submits()[0]).toMatchObject({
      path: "/api/v1/bytedance/seedance-2.0-fast-i2v",
      body: { prompt: "the cat waves", first_frame_image: "https://example.com/cat.png", duration: 5 },
    });
    const i2i = await run(["i2i", "blend them", "--image", "https://example.com/a.png", "--image", "https://example.com/b.png", "--no-wait"]);
    expect(i2i.code).toBe(0);
    expect(submits()[1]?.body).toEqual({ prompt: "blend them", image: ["https://example.com/a.png", "https://example.com/b.png"] });
    const expand = await run(["expand", "--image", "https://example.com/a.png", "--param", "left_expansion_ratio=0.5", "--no-wait"]);
    expect(expand.code).toBe(0);
    expect(submits()[2]).toMatchObject({ path: "/api/v1/kling/kling-image-expansion", body: { image: "https://example.com/a.png" } });
  });

  it("uploads a local --image file first and sends its URL", async () => {
    const picture = join(dir, "cat.png");
    await writeFile(picture, Buffer.from(pngSignature));
    const result = await run(["i2v", "the cat waves", "--image", picture, "--no-wait"]);
    expect(result.code).toBe(0);
    const [uploaded] = server.fake.files;
    expect(uploaded).toMatchObject({ filename: "cat.png", size: 8 });
    expect(submits()[0]?.body).toEqual({ prompt: "the cat waves", first_frame_image: uploaded?.url });

    const missing = await run(["i2v", "x", "--image", join(dir, "nope.png")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such file");
  });

  it("exits 2 on invalid input without sending anything", async () => {
    const result = await run(["t2i", "a fox", "--model", "bytedance/seedream-4.5-t2i", "--size", "2K!"]);
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

  it("on Ctrl-C while waiting exits 130 and prints the task id with the command that resumes it", async () => {
    server.fake.configure({ durationMs: 60_000 });
    const interrupt = new AbortController();
    const result = await run(["t2i", "a slow fox", ...fast], {
      signal: interrupt.signal,
      onStderr: (text) => {
        if (text.includes("processing")) interrupt.abort(new Error("interrupted"));
      },
    });
    const id = server.fake.tasks[0]?.id ?? "";
    expect(result.code).toBe(130);
    // The resume line is what it says first and only: no "aborted by its AbortSignal", no failure.
    const said = result.stderr.split("\n").filter((line) => line.startsWith("modellix:") || line.startsWith("Interrupted"));
    expect(said).toEqual([`modellix: Interrupted. Task ${id} keeps running; resume it with: modellix task wait ${id}`]);
    expect(result.stderr).not.toMatch(/AbortSignal|failed/);
    expect(server.fake.tasks[0]?.status).toBe("processing");
  });

  it("exits 5 when --timeout elapses, naming the command that resumes the task", async () => {
    server.fake.configure({ durationMs: 60_000 });
    const result = await run(["t2i", "a slow fox", "--timeout", "0.2", ...fast]);
    expect(result.code).toBe(5);
    const id = server.fake.tasks[0]?.id ?? "";
    expect(result.stderr).toContain(`modellix task wait ${id}`);
  });

  it("draws a spinner on a terminal and clears it before printing the result", async () => {
    server.fake.configure({ durationMs: 350 });
    const result = await run(["t2i", "a fox", ...fast], { tty: true });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/\/0\.png$/);
    const clearLine = "\r\u001b[2K";
    const frames = result.stderr.split(clearLine).filter(Boolean);
    expect(frames).toContainEqual(expect.stringMatching(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] task-\S+ processing \ds$/));
    expect(frames).toContainEqual(expect.stringMatching(/^task task-\S+ submitted \(google\/nano-banana-2-lite\)\n$/));
    expect(result.stderr.endsWith(clearLine)).toBe(true);
  });
});

describe("modellix run", () => {
  it("names the nearest known slugs for a slug neither the catalog nor GET /models knows, and sends nothing", async () => {
    const result = await run(["run", "bytedance/seedream-4.6-t2i", "--body", '{"prompt":"a fox"}']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is neither in the local catalog nor listed by GET \/models \(did you mean "bytedance\/seedream-4\.\d-t2i" or "bytedance\/seedream-4\.\d-t2i"\?\)/);
    expect(submits()).toHaveLength(0);
  });

  it("submits any model with an inline --body, without `model` in the body", async () => {
    const body = { prompt: "a lighthouse", size: "2048x2048" };
    const result = await run(["run", "bytedance/seedream-4.5-t2i", "--body", JSON.stringify(body), "--out", out, ...fast]);
    expect(result.code).toBe(0);
    expect(submits()[0]).toMatchObject({ path: "/api/v1/bytedance/seedream-4.5-t2i", body });
    expect(await readdir(out)).toHaveLength(1);
  });

  it("reads --body @file.json and --body - (standard input)", async () => {
    const file = join(dir, "body.json");
    await writeFile(file, JSON.stringify({ text: "hello there", voice: "Cherry" }));
    const fromFile = await run(["run", "alibaba/qwen-audio-3.0-tts-flash", "--body", `@${file}`, "--no-wait"]);
    expect(fromFile.code).toBe(0);
    expect(submits()[0]).toMatchObject({ path: "/api/v1/alibaba/qwen-audio-3.0-tts-flash", body: { text: "hello there", voice: "Cherry" } });
    const fromStdin = await run(["run", "bytedance/seedance-2.0-mini-t2v", "--body", "-", "--no-wait"], { stdin: '{"prompt":"waves","duration":5}' });
    expect(fromStdin.code).toBe(0);
    expect(submits()[1]).toMatchObject({ path: "/api/v1/bytedance/seedance-2.0-mini-t2v", body: { prompt: "waves", duration: 5 } });
  });

  it("finds the type of a model newer than the catalog in GET /models, or takes --type", async () => {
    const newModel = { slug: "acme/brand-new-t2i", type: "text-to-image" as const, params: [] };
    server.fake.configure({ models: [...DEFAULT_FAKE_MODELS, newModel] });
    const listed = await run(["run", "acme/brand-new-t2i", "--body", '{"prompt":"a fox","whatever":1}', "--no-wait", "--json"]);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({ type: "text-to-image", model: "acme/brand-new-t2i", status: "pending" });
    expect(submits()[0]).toMatchObject({ path: "/api/v1/acme/brand-new-t2i", body: { prompt: "a fox", whatever: 1 } });

    const unknown = await run(["run", "acme/not-listed", "--body", '{"prompt":"a fox"}']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("pass --type");
    expect(submits()).toHaveLength(1);
  });

  it("exits 2 for a missing or malformed body, and a known model's wrong parameters, sending nothing", async () => {
    const missing = await run(["run", "bytedance/seedream-4.5-t2i"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing --body");
    const malformed = await run(["run", "bytedance/seedream-4.5-t2i", "--body", "{prompt:"]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain("--body is not valid JSON");
    const array = await run(["run", "bytedance/seedream-4.5-t2i", "--body", "[1]"]);
    expect(array.stderr).toContain("must be a JSON object");
    const wrong = await run(["run", "bytedance/seedream-4.5-t2i", "--body", '{"prompt":"x","size":"1024*1024"}']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("size");
    expect(server.fake.requests).toHaveLength(0);
  });
});

describe("modellix models", () => {
  it("lists the real GET /models answer: slug, type and description, filtered by short or long type", async () => {
    const all = await run(["models", "list"]);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^bytedance\/seedream-4\.5-t2i\s+text-to-image\s+\S.*$/m);
    const short = await run(["models", "--type", "t2v", "--json"]);
    const long = await run(["models", "list", "--type", "text-to-video", "--json"]);
    const slugs = (text: string) => (JSON.parse(text) as { slug: string; type: string }[]).map((model) => model.slug);
    expect(slugs(short.stdout)).toContain("bytedance/seedance-2.0-mini-t2v");
    expect(slugs(short.stdout)).toEqual(slugs(long.stdout));
    expect((JSON.parse(short.stdout) as { type: string }[]).every((model) => model.type === "text-to-video")).toBe(true);
    const featured = await run(["models", "list", "--featured", "--json"]);
    expect(server.fake.requests.at(-1)?.query).toBe("?featured=true&page=1&page_size=100");
    expect((JSON.parse(featured.stdout) as unknown[]).length).toBeLessThan((JSON.parse((await run(["models", "--json"])).stdout) as unknown[]).length);
    const vendorSpelling = await run(["model", "list", "--type", "t2v", "--json"]);
    expect(slugs(vendorSpelling.stdout)).toEqual(slugs(short.stdout));
    const typo = await run(["models", "--type", "t2vv"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('(did you mean "t2v"?)');
  });

  it("describes a model from the local catalog: type, verified, docs URL, parameters with required, enums and ranges", async () => {
    const result = await run(["models", "describe", "bytedance/seedream-4-5-t2i"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^bytedance\/seedream-4\.5-t2i$/m);
    expect(result.stdout).toMatch(/type\s+text-to-image/);
    expect(result.stdout).toMatch(/verified\s+yes/);
    expect(result.stdout).toContain("https://docs.modellix.ai/bytedance/seedream-4-5-t2i");
    expect(result.stdout).toMatch(/prompt\s+string, required, 1 to \d+ characters/);
    expect(result.stdout).toMatch(/size\s+string, format WIDTHxHEIGHT/);
    const json = JSON.parse((await run(["models", "describe", "openai/gpt-image-2", "--json"])).stdout) as { params: { name: string; enum?: string[] }[]; verified: boolean };
    expect(json.params.find((param) => param.name === "size")?.enum).toContain("1152x2048");
    const wan = await run(["models", "describe", "alibaba/wan2.7-i2v"]);
    expect(wan.stdout).toMatch(/first_frame\s+string, required unless first_clip is given, file/);
    expect(wan.stdout).toMatch(/first_clip\s+string, required unless first_frame is given, file/);
    const skyreels = await run(["models", "describe", "skyreels/skyreels-i2v"]);
    expect(skyreels.stdout).toMatch(/^skywork\/skyreels-i2v$/m);
    expect(skyreels.stdout).toMatch(/docs spelling\s+skyreels\/skyreels-i2v \(accepted, sent as skywork\/skyreels-i2v\)/);
    expect(server.fake.requests).toHaveLength(0);
    const unknown = await run(["models", "describe", "bytedance/seedream-4.6-t2i"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("not in the local catalog (did you mean");
  });

  describe("--remote", () => {
    const www = setupServer(
      http.get("https://www.modellix.ai/models/:provider/:model/api_schema", ({ params, request }) =>
        request.headers.has("authorization")
          ? HttpResponse.json({ error: "no key expected" }, { status: 400 })
          : HttpResponse.json({ openapi: "3.1.0", servers: [{ url: `https://api.modellix.ai/api/v1/${params.provider}/${params.model}` }], post: { summary: "\u001b]0;title\u0007Submit" } }),
      ),
    );
    beforeAll(() => www.listen({ onUnhandledRequest: "bypass" }));
    afterAll(() => www.close());

    it("prints the model's public schema, fetched without the key, made terminal-safe", async () => {
      const result = await run(["models", "describe", "bytedance/seedream-4-5-t2i", "--remote"]);
      expect(result.code).toBe(0);
      const schema = JSON.parse(result.stdout) as { servers: { url: string }[]; post: { summary: string } };
      expect(schema.servers[0]?.url).toBe("https://api.modellix.ai/api/v1/bytedance/seedream-4.5-t2i");
      expect(schema.post.summary).toBe("\u001b]0;title\u0007Submit");
      expect(result.stdout).not.toMatch(control);
    });
  });
});

describe("modellix files", () => {
  it("uploads a local file and prints its URL, lists the team's files, deletes one", async () => {
    const picture = join(dir, "photo.png");
    await writeFile(picture, Buffer.from([...pngSignature, 1, 2, 3]));
    const upload = await run(["files", "upload", picture]);
    expect(upload.code).toBe(0);
    const [file] = server.fake.files;
    expect(file).toMatchObject({ filename: "photo.png", size: 11 });
    expect(upload.stdout.trim()).toBe(file?.url);
    const listed = await run(["files", "list", "--json"]);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ fileId: file?.id, filename: "photo.png", url: file?.url })]);
    const deleted = await run(["files", "delete", file?.id ?? ""]);
    expect(deleted.code).toBe(0);
    expect(JSON.parse((await run(["files", "list", "--json"])).stdout)).toEqual([]);
    const missing = await run(["files", "upload", join(dir, "nothing.png")]);
    expect(missing.code).toBe(2);
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

  it("waits for many tasks at once, one line per task as it ends, and exits with the first failure's code", async () => {
    server.fake.configure({ durationMs: (task) => (task.input.prompt === "slow" ? 400 : 60) });
    const ids: string[] = [];
    for (const prompt of ["slow", "quick", "[fail] bad"]) ids.push((await run(["t2i", prompt, "--no-wait"])).stdout.trim());
    const result = await run(["task", "wait", ...ids, ...fast]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines.at(-1)).toMatch(new RegExp(`^${ids[0]} success http://\\S+/0\\.png$`));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${ids[1]} success http://`)));
    expect(lines).toContainEqual(`${ids[2]} failed Task ${ids[2]} failed: Content Policy: The prompt was rejected`);
    const json = JSON.parse((await run(["task", "wait", ids[0] ?? "", ids[1] ?? "", "--json", ...fast])).stdout) as { tasks: { ok: boolean }[] };
    expect(json.tasks.map((task) => task.ok)).toEqual([true, true]);
  });

  it("exits 6 for an unknown task", async () => {
    const result = await run(["task", "get", "task-does-not-exist"]);
    expect(result.code).toBe(6);
    expect(result.stderr).toContain("Task not found");
  });

  it("never prints the key a server echoes in a task message, nor its terminal escape sequences (defect 19)", async () => {
    const detail = `upstream said Bearer ${key} \u001b]0;owned\u0007\u001b[2J\u001b[31mred\u001b[0m \u009b2J \u202eevil`;
    server.fake.configure({ outcome: () => ({ category: "Provider \u001b[5mError", detail }) });
    const failed = await run(["t2i", "a fox", ...fast]);
    expect(failed.code).toBe(1);
    const id = server.fake.tasks[0]?.id ?? "";
    for (const result of [failed, await run(["task", "get", id]), await run(["task", "get", id, "--json"]), await run(["task", "wait", id, id, ...fast])]) {
      expectNoKey(result);
      expect(result.stdout).not.toMatch(control);
      expect(result.stderr).not.toMatch(control);
    }
    const human = await run(["task", "get", id]);
    expect(human.stdout).toContain("Provider Error: upstream said Bearer [redacted]");
    expect(human.stdout).toContain("red");
  });

  it("keeps a history of submitted tasks (ids, models, states) that never holds the key or a body", async () => {
    await run(["t2i", "a secret prompt", ...fast]);
    await run(["run", "bytedance/seedream-4.5-t2i", "--body", '{"prompt":"another secret prompt"}', "--no-wait"]);
    await run(["t2i", "x", "--model", "bytedance/seedream-4.5-t2i", "--size", "nope"]);
    const [first, second] = server.fake.tasks;
    const history = await run(["task", "history"]);
    expect(history.code).toBe(0);
    const lines = history.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^\\S+Z\\s+${second?.id}\\s+created\\s+bytedance/seedream-4\\.5-t2i\\s+t2i$`));
    expect(lines[1]).toMatch(new RegExp(`^\\S+Z\\s+${first?.id}\\s+success\\s+google/nano-banana-2-lite\\s+t2i$`));
    await run(["task", "wait", second?.id ?? "", ...fast]);
    await run(["task", "get", second?.id ?? ""]);
    const json = JSON.parse((await run(["task", "history", "--json", "--limit", "1"])).stdout) as { total: number; tasks: { taskId: string; state: string }[] };
    expect(json.total).toBe(2);
    expect(json.tasks).toEqual([expect.objectContaining({ taskId: second?.id, state: "success" })]);
    const file = await readFile(join(configHome, "modellix", "history.jsonl"), "utf8");
    expect(file).not.toContain(key);
    expect(file).not.toContain("secret prompt");
    expect((await stat(join(configHome, "modellix", "history.jsonl"))).mode & 0o777).toBe(0o600);
    expect(file.trim().split("\n").filter((line) => line.includes(`"${second?.id}"`) && line.includes('"ended"'))).toHaveLength(1);
  });
});

describe("modellix batch", () => {
  const lines = [
    JSON.stringify({ model: "bytedance/seedream-4.5-t2i", prompt: "a fox", size: "2048x2048" }),
    "",
    JSON.stringify({ modelSlug: "alibaba/qwen-image", body: { prompt: "a cat", size: "1328*1328" } }),
    JSON.stringify({ type: "t2i", prompt: "[fail] a dog" }),
    JSON.stringify({ model: "bytedance/seedance-2.0-mini-t2v", prompt: "waves", duration: 5 }),
  ];

  async function batchFile(content: readonly string[]): Promise<string> {
    const file = join(dir, "tasks.jsonl");
    await writeFile(file, `${content.join("\n")}\n`);
    return file;
  }

  it("runs every line under the team quota, printing one line per item as it ends", async () => {
    const file = await batchFile(lines);
    const result = await run(["batch", file, "--out", out, ...fast]);
    expect(result.code).toBe(1);
    const printed = result.stdout.trim().split("\n");
    expect(printed).toHaveLength(4);
    expect(printed).toContainEqual(expect.stringMatching(/^line 1: task-\S+ success \/\S+-0\.png$/));
    expect(printed).toContainEqual(expect.stringMatching(/^line 3: task-\S+ success /));
    expect(printed).toContainEqual(expect.stringMatching(/^line 4: task-\S+ failed Task \S+ failed: Content Policy: The prompt was rejected$/));
    expect(printed).toContainEqual(expect.stringMatching(/^line 5: task-\S+ success \/\S+-0\.mp4$/));
    expect(result.stderr).toContain("3 succeeded, 1 failed");
    expect(submits().map((request) => request.path)).toEqual(
      expect.arrayContaining(["/api/v1/bytedance/seedream-4.5-t2i", "/api/v1/alibaba/qwen-image", "/api/v1/google/nano-banana-2-lite", "/api/v1/bytedance/seedance-2.0-mini-t2v"]),
    );
    expect(server.fake.requests.filter((request) => request.status === 429)).toEqual([]);
    const history = JSON.parse((await run(["task", "history", "--json"])).stdout) as { tasks: { state: string }[] };
    expect(history.tasks.map((task) => task.state).sort()).toEqual(["failed", "success", "success", "success"]);
  });

  it("checks every line before paying: one bad line, nothing is sent, each problem named by line", async () => {
    const file = await batchFile([lines[0] ?? "", "{not json", JSON.stringify({ model: "bytedance/seedream-4.5-t2i", prompt: "x", size: "1024*1024" }), JSON.stringify({ prompt: "no model" })]);
    const result = await run(["batch", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("nothing was sent");
    expect(result.stderr).toMatch(/line 2: not valid JSON\n\s+line 3: size: .*\n\s+line 4: needs "model"/);
    expect(server.fake.requests).toHaveLength(0);
    const dry = await run(["batch", await batchFile([lines[0] ?? ""]), "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("1 task(s) checked; nothing was sent");
    expect(server.fake.requests).toHaveLength(0);
  });

  it("a rerun follows the tasks the first run created instead of paying again", async () => {
    const file = await batchFile([lines[0] ?? "", lines[2] ?? ""]);
    const first = await run(["batch", file, ...fast]);
    expect(first.code).toBe(0);
    expect(submits()).toHaveLength(2);
    const again = await run(["batch", file, "--json", ...fast]);
    expect(again.code).toBe(0);
    expect(submits()).toHaveLength(2);
    const json = JSON.parse(again.stdout) as { succeeded: number; items: { taskId: string }[] };
    expect(json.succeeded).toBe(2);
    expect(json.items.map((item) => item.taskId).sort()).toEqual(server.fake.tasks.map((task) => task.id).sort());
    const ownJournal = join(dir, "fresh.jsonl");
    const fresh = await run(["batch", file, "--journal", ownJournal, ...fast]);
    expect(fresh.code).toBe(0);
    expect(submits()).toHaveLength(4);
    expect(await readFile(ownJournal, "utf8")).toContain('"intent"');
  });

  it("stopped half way by Ctrl-C, says how to follow the running tasks; the rerun sends zero duplicate POSTs", async () => {
    let skew = 0;
    const slow = await createFakeServer({ apiKeys: [key], pendingMs: 20, durationMs: 60_000, clock: { now: () => Date.now() + skew } });
    try {
      const file = await batchFile([lines[0] ?? "", lines[2] ?? "", lines[4] ?? ""]);
      const env = { MODELLIX_BASE_URL: slow.url };
      const interrupt = new AbortController();
      const stopped = await run(["batch", file, ...fast], {
        env,
        signal: interrupt.signal,
        onStderr: (text) => {
          if (text.includes("3 running")) interrupt.abort(new Error("interrupted"));
        },
      });
      expect(stopped.code).toBe(130);
      expect(stopped.stderr).toContain(`\`modellix batch ${file}\` follows them without paying again`);
      expect(stopped.stdout.trim().split("\n").sort()).toEqual([
        expect.stringMatching(/^line 1: task-\S+ still running$/),
        expect.stringMatching(/^line 2: task-\S+ still running$/),
        expect.stringMatching(/^line 3: task-\S+ still running$/),
      ]);
      expect(stopped.stderr).toContain(`modellix: 3 still running (resume with \`modellix batch ${file}\`), 0 failed, 0 succeeded`);
      expect(slow.fake.tasks).toHaveLength(3);
      skew = 120_000; // the three tasks have ended meanwhile
      const rerun = await run(["batch", file, ...fast], { env });
      expect(rerun.code).toBe(0);
      expect(rerun.stdout.trim().split("\n")).toHaveLength(3);
      expect(slow.fake.requests.filter((request) => request.route === "submit")).toHaveLength(3);
      expect(slow.fake.tasks).toHaveLength(3);
    } finally {
      await slow.close();
    }
  });
});

describe("modellix batch, unknown outcomes", () => {
  it("reports an item whose submit outcome is unknown apart from failures, says once why others may wait, and exits 7", async () => {
    server.fake.inject({ kind: "status-after-create", status: 500 }, { match: { route: "submit" } });
    const file = join(dir, "two.jsonl");
    await writeFile(file, `${["a fox", "a cat"].map((prompt) => JSON.stringify({ type: "t2i", prompt })).join("\n")}\n`);
    const result = await run(["batch", file, "--concurrency", "1", ...fast]);
    expect(result.code).toBe(7);
    expect(result.stdout).toMatch(/^line 1: - outcome unknown The outcome of submit attempt 1 for google\/nano-banana-2-lite is unknown \(server error, HTTP 500\)/m);
    expect(result.stdout).toMatch(/^line 2: task-\S+ success /m);
    expect(result.stderr.match(/keeps its quota slot a minute or two/g)).toHaveLength(1);
    expect(result.stderr).toContain("modellix: 1 succeeded, 1 with an unknown outcome (a rerun reports them; --resubmit-unknown sends them again), 0 failed");
  });
});

describe("modellix batch, interrupted", () => {
  it("Ctrl-C says first how to resume, then what still runs, what was not sent and what really failed; an abort is no failure", async () => {
    const slow = await createFakeServer({ apiKeys: [key], pendingMs: 20, durationMs: 60_000 });
    try {
      const file = join(dir, "jobs.jsonl");
      const items = [{ prompt: "a fox" }, { model: "acme/no-such-model", prompt: "a cat" }, { prompt: "an owl" }, { prompt: "a hen" }];
      await writeFile(file, `${items.map((item) => JSON.stringify({ type: "t2i", ...item })).join("\n")}\n`);
      const interrupt = new AbortController();
      const stopped = await run(["batch", file, "--concurrency", "2", ...fast], {
        env: { MODELLIX_BASE_URL: slow.url },
        signal: interrupt.signal,
        onStderr: (text) => {
          if (text.includes("1/4 done, 2 running")) interrupt.abort(new Error("interrupted"));
        },
      });
      expect(stopped.code).toBe(130);
      expect(stopped.stdout.trim().split("\n").sort()).toEqual([
        expect.stringMatching(/^line 1: task-\S+ still running$/),
        expect.stringMatching(/^line 2: - failed 404 Not Found: Model not found: acme\/no-such-model /),
        expect.stringMatching(/^line 3: task-\S+ still running$/),
        "line 4: - not sent",
      ]);
      const notes = stopped.stderr.split("\n").filter((line) => line.startsWith("modellix:"));
      expect(notes).toEqual([
        `modellix: interrupted; the tasks already created keep running. \`modellix batch ${file}\` follows them without paying again and sends the rest`,
        `modellix: 2 still running (resume with \`modellix batch ${file}\`), 1 not sent, 1 failed, 0 succeeded`,
      ]);
      expect(stopped.stderr).not.toMatch(/AbortSignal|aborted/);
      expect(slow.fake.tasks).toHaveLength(2);
    } finally {
      await slow.close();
    }
  });
});

describe("modellix auth and config", () => {
  const noEnvKey = { MODELLIX_API_KEY: undefined };

  it("saves a checked key for a profile with file mode 0600; commands use it when MODELLIX_API_KEY is not set", async () => {
    const login = await run(["auth", "login"], { env: noEnvKey, stdin: `${key}\n` });
    expect(login.code).toBe(0);
    const path = join(configHome, "modellix", "config.json");
    expect(login.stdout).toContain(`Saved the key for profile default in ${path}`);
    expectNoKey(login);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(configHome, "modellix"))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ currentProfile: "default", profiles: { default: { apiKey: key } } });
    const generated = await run(["t2i", "a fox", "--no-wait"], { env: noEnvKey });
    expect(generated.code).toBe(0);
    const status = await run(["auth", "status"], { env: noEnvKey });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Key: saved profile "default" in ${path}`);
    expect(status.stdout).toContain("Valid: yes");
    expect(status.stdout).toContain("Balance: $100.0000");
    expectNoKey(status);
  });

  it("keeps profiles apart, lets MODELLIX_API_KEY win over the file, and logs out", async () => {
    await run(["auth", "login", "--profile", "work"], { env: noEnvKey, stdin: otherKey });
    await run(["auth", "login", "--profile", "home"], { env: noEnvKey, stdin: key });
    const show = await run(["config", "show", "--json"], { env: noEnvKey });
    expect(JSON.parse(show.stdout)).toMatchObject({ profiles: ["work", "home"], currentProfile: "home", profile: "home", keySource: "profile" });
    expectNoKey(show);
    expectNoKey(show, otherKey);
    const work = await run(["t2i", "a fox", "--no-wait", "--profile", "work"], { env: noEnvKey });
    expect(work.code).toBe(0);
    const envWins = await run(["t2i", "a fox", "--no-wait", "--profile", "work"], { env: { MODELLIX_API_KEY: "sk-env-wrong-key-1" } });
    expect(envWins.code).toBe(3);
    expect(envWins.stderr).not.toContain("sk-env-wrong-key-1");
    const unknown = await run(["t2i", "a fox", "--profile", "nope"], { env: noEnvKey });
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('no saved profile named "nope"');
    const logout = await run(["auth", "logout", "--profile", "work"], { env: noEnvKey });
    expect(logout.stdout).toContain("Removed the saved key of profile work");
    expect(JSON.parse((await run(["config", "show", "--json"], { env: noEnvKey })).stdout)).toMatchObject({ profiles: ["home"] });
    expect((await run(["auth", "logout"], { env: noEnvKey })).code).toBe(0);
    const none = await run(["auth", "status"], { env: noEnvKey });
    expect(none.code).toBe(3);
    expect(none.stdout).toContain("Key: none");
  });

  it("refuses a key the API rejects and saves nothing; asks without echo on a terminal", async () => {
    const rejected = await run(["auth", "login"], { env: noEnvKey, stdin: "sk-wrong-key-987" });
    expect(rejected.code).toBe(3);
    expect(rejected.stderr).toContain("the API rejects this key");
    expectNoKey(rejected, "sk-wrong-key-987");
    await expect(stat(join(configHome, "modellix", "config.json"))).rejects.toThrow();
    const typed = await run(["auth", "login", "--profile", "typed"], { env: noEnvKey, stdin: { typed: `${key}x\u007f\r` } });
    expect(typed.code).toBe(0);
    expect(typed.stderr).toContain("API key for profile typed: ");
    expectNoKey(typed);
    expect(JSON.parse(await readFile(join(configHome, "modellix", "config.json"), "utf8"))).toMatchObject({ profiles: { typed: { apiKey: key } } });
  });

  it("finds the config in XDG_CONFIG_HOME, else ~/.config/modellix, and reads the vendor CLI's first format", async () => {
    expect((await run(["config", "path"])).stdout.trim()).toBe(join(configHome, "modellix", "config.json"));
    const home = join(dir, "home");
    expect((await run(["config", "path"], { env: { XDG_CONFIG_HOME: undefined } })).stdout.trim()).toBe(join(home, ".config", "modellix", "config.json"));
    await mkdir(join(home, ".config", "modellix"), { recursive: true });
    await writeFile(join(home, ".config", "modellix", "config.json"), JSON.stringify({ apiKey: key }), { mode: 0o644 });
    const used = await run(["t2i", "a fox", "--no-wait"], { env: { XDG_CONFIG_HOME: undefined, MODELLIX_API_KEY: undefined } });
    expect(used.code).toBe(0);
    expect((await stat(join(home, ".config", "modellix", "config.json"))).mode & 0o777).toBe(0o600);
    await writeFile(join(home, ".config", "modellix", "config.json"), "{broken");
    const broken = await run(["t2i", "a fox"], { env: { XDG_CONFIG_HOME: undefined, MODELLIX_API_KEY: undefined } });
    expect(broken.code).toBe(3);
    expect(broken.stderr).toContain("is not valid");
  });
});

describe("modellix doctor", () => {
  it("checks Node, key, connectivity, balance and rate limits without printing the key", async () => {
    const result = await run(["doctor"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`✓ Node.js ${process.versions.node}`);
    expect(result.stdout).toContain("✓ API key found: MODELLIX_API_KEY");
    expect(result.stdout).toContain(`✓ API reachable at ${server.url}`);
    expect(result.stdout).toContain("✓ the API accepts the key");
    expect(result.stdout).toContain("✓ balance: 100");
    expect(result.stdout).toMatch(/✓ rate limit: \d+ of 600 requests left this minute/);
    expectNoKey(result);
  });

  it("exits 3 for a missing or rejected key (the API's 200 is_valid: false) or an empty balance, 4 when the API is unreachable", async () => {
    const wrong = await run(["doctor", "--json"], { env: { MODELLIX_API_KEY: "sk-wrong-key-987" } });
    expect(wrong.code).toBe(3);
    expect(wrong.stdout).not.toContain("sk-wrong-key-987");
    expect(JSON.parse(wrong.stdout)).toMatchObject({ ok: false, checks: expect.arrayContaining([{ name: "key valid", status: "fail", detail: expect.stringContaining("is_valid: false") }]) });
    const missing = await run(["doctor"], { env: { MODELLIX_API_KEY: undefined } });
    expect(missing.code).toBe(3);
    expect(missing.stdout).toContain("✗ no API key: set MODELLIX_API_KEY or run `modellix auth login`");
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
    const missing = await run(["t2i", "a fox"], { env: { MODELLIX_API_KEY: undefined } });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("MODELLIX_API_KEY");
    expect(missing.stderr).toContain("modellix auth login");
    const wrong = await run(["t2i", "a fox"], { env: { MODELLIX_API_KEY: "sk-wrong-key-987" } });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).not.toContain("sk-wrong-key-987");
  });

  it("takes MODELLIX_BASE_URL as an origin (a trailing /api/v1 too); --base-url wins; exits 4 when the API cannot be reached", async () => {
    const withPrefix = await run(["task", "get", "task-x"], { env: { MODELLIX_BASE_URL: `${server.url}/api/v1` } });
    expect(withPrefix.code).toBe(6);
    expect(server.fake.requests[0]?.path).toBe("/api/v1/tasks/task-x");
    const closed = await createFakeServer();
    await closed.close();
    const result = await run(["task", "get", "task-1", "--base-url", closed.url, "--max-retries", "0"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("Could not reach the Modellix API");
    expect(server.fake.requests).toHaveLength(1);
  });

  it("suggests the closest command, subcommand or option instead of a raw parser message", async () => {
    const command = await run(["tsk", "get", "x"]);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "tsk" (did you mean "task"?)');
    const sub = await run(["task", "gett", "x"]);
    expect(sub.stderr).toContain("unknown command `modellix task gett` (did you mean `modellix task get`?)");
    const option = await run(["t2i", "x", "--sze", "1024x1024"]);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option --sze (did you mean --size?)");
    expect(option.stderr).toContain("modellix t2i --help");
    expect(option.stderr).not.toContain("To specify a positional argument");
    const value = await run(["t2i", "x", "--model"]);
    expect(value.stderr).toContain("option --model needs a value");
    const insecure = await run(["models", "--base-url", "http://api.example.com"]);
    expect(insecure.code).toBe(2);
    expect(insecure.stderr).toContain("baseURL must use https");
    const json = await run(["task", "get", "--json"]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { name: "UsageError", exitCode: 2 } });
    expect(server.fake.requests).toHaveLength(0);
  });

  it("documents commands, options, environment and exit codes in --help", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    for (const text of ["t2i <prompt>", "run <slug>", "batch <file.jsonl>", "task wait <id...>", "task history", "models describe <slug>", "files upload <path>", "auth login", "config show", "doctor", "MODELLIX_API_KEY", "MODELLIX_PROFILE", "Exit codes:", "--json"]) {
      expect(help.stdout).toContain(text);
    }
    const command = await run(["help", "i2i"]);
    expect(command.stdout).toContain("--image <url|path>");
    expect(command.stdout).toContain("--param <key=value>");
    const version = await run(["--version"]);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("the installed binary", () => {
  /** The CLI bundled once from src/cli (dependencies stay in node_modules), run as a child process. */
  const cli = join(process.cwd(), "test-output", "cli", "modellix.mjs");

  beforeAll(async () => {
    await build({ entryPoints: ["src/cli/index.ts"], outfile: cli, bundle: true, platform: "node", format: "esm", packages: "external", logLevel: "error" });
  });

  it("on a real SIGINT prints the id of the task already created and how to resume it, exit 130", async () => {
    server.fake.configure({ durationMs: 60_000 });
    const child = spawn(process.execPath, [cli, "t2i", "a slow fox", ...fast], {
      env: { PATH: process.env.PATH, MODELLIX_API_KEY: key, MODELLIX_BASE_URL: server.url, XDG_CONFIG_HOME: configHome },
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
    const id = server.fake.tasks[0]?.id ?? "";
    expect(stderr).toContain(`resume it with: modellix task wait ${id}`);
  });

  it("reads a piped --body from its standard input", async () => {
    const result = await new Promise<Run>((resolve) => {
      const child = execFile(
        process.execPath,
        [cli, "run", "bytedance/seedream-4.5-t2i", "--body", "-", "--no-wait"],
        { env: { PATH: process.env.PATH, MODELLIX_API_KEY: key, MODELLIX_BASE_URL: server.url, XDG_CONFIG_HOME: configHome }, timeout: 15_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }),
      );
      child.stdin?.end('{"prompt":"piped"}');
    });
    expect(result.code).toBe(0);
    expect(submits()[0]?.body).toEqual({ prompt: "piped" });
  });
});
