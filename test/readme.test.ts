import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeServer, createFakeServer } from "modellix/testing";

const root = new URL("..", import.meta.url).pathname;
let server: FakeServer;

beforeAll(async () => {
  server = await createFakeServer({ pendingMs: 200, durationMs: 500 });
});
afterAll(() => server.close());

/** The first ```ts block under a README heading. */
async function codeUnder(heading: string): Promise<string> {
  const readme = await readFile(join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf(`\n## ${heading}\n`));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error(`no ts block under ## ${heading}`);
  return match[1];
}

describe("the README", () => {
  it("quick start works pasted as it is, against MODELLIX_BASE_URL", async () => {
    await mkdir(join(root, "test-output"), { recursive: true });
    const dir = await mkdtemp(join(root, "test-output", "readme-"));
    const file = join(dir, "quickstart.ts");
    await writeFile(file, (await codeUnder("Quick start")).replace('from "modellix"', `from ${JSON.stringify(join(root, "src/index.ts"))}`));
    const run = await promisify(execFile)(process.execPath, ["--import", "tsx", file], {
      env: { ...process.env, MODELLIX_API_KEY: "readme-key", MODELLIX_BASE_URL: server.url, MODELLIX_LOG: "warn" },
      timeout: 60_000,
    });
    expect(run.stdout.trim()).toMatch(/^https?:\/\/\S+\.png$/);
    expect(server.fake.requests.filter((request) => request.route === "submit").map((request) => request.path)).toEqual([
      "/api/v1/bytedance/seedream-4.5-t2i",
    ]);
  }, 60_000);
});
