// The catalog data loads one model family at a time on the submit path. This file talks to the API through msw only
// and never imports the full view (src/models/entries.ts, which modellix/testing uses), so the families it sees
// loaded are the ones its submits loaded.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import Modellix, { ValidationError } from "modellix";
import { MIN_FAMILY_CHUNK_BYTES, familyChunkBytes } from "../scripts/catalog/emit-families.js";
import { hasFamily } from "../src/models/catalog-table.js";
import { FAMILIES, type Family } from "../src/models/families/index.js";
import { familiesOf } from "../src/models/load-families.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const origin = "https://api.modellix.test";
const posted: { path: string; body: unknown }[] = [];
const server = setupServer(
  http.post(`${origin}/api/v1/:provider/:model`, async ({ request, params }) => {
    posted.push({ path: `/${params.provider}/${params.model}`, body: await request.json() });
    return HttpResponse.json({ code: 0, message: "success", data: { status: "pending", task_id: `task-${posted.length}`, model_id: String(params.model) } });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  posted.length = 0;
});
afterAll(() => server.close());

const client = () => new Modellix({ apiKey: "mlx-families", baseURL: origin, maxRetries: 0, quotaWaitMs: 0, logLevel: "off" });
const ALL = Object.keys(FAMILIES) as Family[];
const loaded = () => ALL.filter(hasFamily);

async function refusal(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${String(error)}`);
  return error;
}

describe("a submit loads the catalog data of its namespace's families only", () => {
  it("t2i: checks the model against its own parameters with the t2i data alone; another namespace's model loads the rest and names its namespace", async () => {
    expect(loaded()).toEqual([]);
    const sdk = client();

    // @ts-expect-error the types refuse this size too; a JavaScript caller gets the runtime check
    const wrongSize = await refusal(sdk.t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "a lighthouse", size: "2048*2048" }));
    expect(wrongSize.message).toBe('Invalid t2i input: size: must be "WIDTHxHEIGHT", e.g. "2048x2048" (got "2048*2048")');
    expect(posted).toEqual([]);
    expect(loaded()).toEqual(["t2i"]);

    const task = await sdk.t2i.submit({ model: "bytedance/seedream-4-5-t2i", prompt: "a lighthouse", size: "2048x2048" });
    expect(task.model).toBe("bytedance/seedream-4.5-t2i");
    expect(posted).toEqual([{ path: "/bytedance/seedream-4.5-t2i", body: { prompt: "a lighthouse", size: "2048x2048" } }]);
    expect(loaded()).toEqual(["t2i"]);

    const elsewhere = await refusal(sdk.t2i.submit({ model: "bytedance/seedance-2.0-fast-i2v", prompt: "it waves" }));
    expect(elsewhere.message).toBe(
      'Invalid t2i input: model: "bytedance/seedance-2.0-fast-i2v" is an image-to-video model: submit it with client.i2v.submit()',
    );
    expect(posted).toHaveLength(1);
    expect(loaded()).toEqual(ALL);

    // Once every family is in, any namespace finds its models at once.
    const expansion = await refusal(sdk.t2v.submit({ model: "kling/kling-image-expansion", prompt: "x" }));
    expect(expansion.message).toContain("client.expansion.submit() or client.i2i.submit()");
  });

  it("i2v loads i2v and r2v, i2i loads i2i and expansion, read from the families' namespaces", () => {
    expect(familiesOf("t2i")).toEqual(["t2i"]);
    expect(familiesOf("i2v")).toEqual(["i2v", "r2v"]);
    expect(familiesOf("i2i")).toEqual(["i2i", "expansion"]);
    expect(familiesOf("expansion")).toEqual(["expansion"]);
    for (const family of ALL) {
      for (const namespace of FAMILIES[family][1]) expect(familiesOf(namespace), `${family} in ${namespace}`).toContain(family);
    }
  });
});

describe("the corrected catalog (2026-12-07), as a submit sends it", () => {
  it("sends the docs spelling skyreels/... as skywork/..., logging the spelling at debug", async () => {
    const lines: string[] = [];
    const logger = { debug: (line: string) => lines.push(line), info: () => {}, warn: () => {}, error: () => {} };
    const sdk = new Modellix({ apiKey: "mlx-families", baseURL: origin, maxRetries: 0, quotaWaitMs: 0, logger, logLevel: "debug" });
    const task = await sdk.i2v.submit({ model: "skyreels/skyreels-i2v", prompt: "it waves", image: "https://example.com/a.png" });
    expect(task.model).toBe("skywork/skyreels-i2v");
    expect(posted).toEqual([{ path: "/skywork/skyreels-i2v", body: { prompt: "it waves", image: "https://example.com/a.png" } }]);
    expect(lines).toContainEqual(expect.stringContaining('model "skyreels/skyreels-i2v" is the docs spelling; sending "skywork/skyreels-i2v"'));
    await sdk.i2v.submit({ model: "alibaba/wan2.5-i2v-preview", prompt: "x" });
    expect(posted[1]?.path).toBe("/alibaba/wan2.5-i2v-preview");
  });

  it("sends gpt-image-2 at 1152x2048, and Wan 2.7 i2v with first_clip alone; refuses Wan 2.7 i2v with neither, sending nothing", async () => {
    const sdk = client();
    await sdk.t2i.submit({ model: "openai/gpt-image-2", prompt: "a tall lighthouse", size: "1152x2048" });
    await sdk.i2v.submit({ model: "alibaba/wan2.7-i2v", prompt: "it goes on", first_clip: "https://example.com/clip.mp4" });
    expect(posted).toEqual([
      { path: "/openai/gpt-image-2", body: { prompt: "a tall lighthouse", size: "1152x2048" } },
      { path: "/alibaba/wan2.7-i2v", body: { prompt: "it goes on", first_clip: "https://example.com/clip.mp4" } },
    ]);
    // @ts-expect-error the types refuse it too; a JavaScript caller gets the runtime check
    const neither = await refusal(sdk.i2v.submit({ model: "alibaba/wan2.7-i2v", prompt: "the cat waves" }));
    expect(neither.message).toBe("Invalid i2v input: first_frame or first_clip is required (give at least one of them)");
    expect(posted).toHaveLength(2);
  });
});

describe("the browser's submit path", () => {
  it("keeps the families of 1 KiB or more out of the validation chunk, each a chunk of its own; the smaller ones ride in it", async () => {
    const result = await build({
      entryPoints: [join(root, "src/index.ts")],
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "browser",
      outdir: join(root, "test-output/families-split"),
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const outputs = Object.values(result.metafile.outputs);
    const inputsOf = (output: (typeof outputs)[number]) => Object.keys(output.inputs);
    const validation = outputs.find((output) => output.entryPoint === "src/models/prepare.ts");
    expect(validation, "a chunk for src/models/prepare.ts").toBeDefined();
    // What a first submit loads at once: the validation chunk and the chunks it imports statically.
    const statically = new Set<string>();
    const visit = (output: (typeof outputs)[number]) => {
      for (const input of inputsOf(output)) statically.add(input);
      for (const imported of output.imports) {
        const next = result.metafile.outputs[imported.path];
        if (imported.kind === "import-statement" && next) visit(next);
      }
    };
    if (validation) visit(validation);
    expect([...statically].filter((input) => /src\/models\/(entries|params)\.ts$/.test(input))).toEqual([]);
    const small = ALL.filter((family) => familyChunkBytes(readFileSync(join(root, `src/models/families/${family}.ts`), "utf8")) < MIN_FAMILY_CHUNK_BYTES);
    expect(small.length).toBeGreaterThan(0);
    expect([...statically].filter((input) => /src\/models\/families\/(?!index\.ts$)/.test(input)).sort()).toEqual(
      small.map((family) => `src/models/families/${family}.ts`).sort(),
    );
    for (const family of ALL.filter((name) => !small.includes(name))) {
      const chunk = outputs.find((output) => output.entryPoint === `src/models/families/${family}.ts`);
      expect(chunk && inputsOf(chunk), family).toEqual([`src/models/families/${family}.ts`]);
    }
  });
});
