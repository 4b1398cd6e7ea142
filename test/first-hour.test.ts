/**
 * What a new user meets in the first hour, beyond the inputs (model-inputs-files.test.ts):
 * a mistyped slug's 404 says which slugs are near, `onProgress` starts at `pending`,
 * a rerun that holds slots for unknown outcomes says so, the unknown-outcome error
 * says what can be done, and the proxy's refusals read as sentences.
 */
import { describe, expect, it } from "vitest";
import { type BatchItem, type Logger, NotFoundError, SubmitOutcomeUnknownError, type TaskSnapshot } from "modellix";
import { MemoryJournal } from "modellix/node";
import { createProxy } from "modellix/proxy";
import { drive, driveToError, secretKey, setup, useFakeTimersInEachTest } from "./helpers.js";

useFakeTimersInEachTest();

function capture(): { logger: Logger; lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const sink = (level: string) => (message: string) => lines.push({ level, message });
  return { lines, logger: { debug: sink("debug"), info: sink("info"), warn: sink("warn"), error: sink("error") } };
}

describe("a submit to a slug the API does not know", () => {
  it("names the nearest known slugs in its 404", async () => {
    const { client } = setup();
    const error = await driveToError(client.run("t2i", "bytedance/seedream-4.6-t2i", { prompt: "a fox" }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toMatch(/^404 Not Found: Model not found: bytedance\/seedream-4\.6-t2i \(request [^)]+\)\. Did you mean "[^"]+" or "[^"]+"\?$/);
    expect((error as Error).message).toContain('"bytedance/seedream-4.5-t2i"');
    expect((error as Error).message).toContain('"bytedance/seedream-4.0-t2i"');

    const provider = await driveToError(client.run("t2i", "bytdance/seedream-4.5-t2i", { prompt: "a fox" }));
    expect((provider as Error).message).toContain('Did you mean "bytedance/seedream-4.5-t2i"?');
    const far = await driveToError(client.run("t2i", "acme/no-such-model", { prompt: "a fox" }));
    expect(far).toBeInstanceOf(NotFoundError);
    expect((far as Error).message).not.toContain("Did you mean");
  });
});

describe("onProgress and updates()", () => {
  it("start with the submit's own pending, before any poll", async () => {
    const { client, fake } = setup({}, { pendingMs: 1_000, durationMs: 3_000 });
    const task = await client.t2i.submit({ prompt: "a fox" });
    expect(task.latest?.status).toBe("pending");
    const seen: string[] = [];
    let pollsAtFirst = -1;
    await drive(
      task.wait({
        onProgress: (snapshot: TaskSnapshot) => {
          if (seen.length === 0) pollsAtFirst = fake.countRequests({ route: "task" });
          seen.push(snapshot.status);
        },
      }),
    );
    expect(seen).toEqual(["pending", "processing", "success"]);
    expect(pollsAtFirst).toBe(0);
  });
});

describe("a rerun of a batch with unknown outcomes", () => {
  it("says once, at info, that their quota slots are held, for how long and how not to wait; the error says what to do", async () => {
    const { fake, client } = setup();
    const journal = new MemoryJournal();
    const items: BatchItem[] = [
      { type: "t2i", prompt: "a lighthouse" },
      { type: "t2i", prompt: "a fox" },
      { type: "t2i", prompt: "a storm" },
    ];
    fake.inject({ kind: "reset-after-create" }, { match: { route: "submit" }, times: 2 });
    const first = await drive(client.batch(items, { journal }));
    const unknown = first.filter((result) => !result.ok && result.error instanceof SubmitOutcomeUnknownError);
    expect(unknown).toHaveLength(2);
    const advice = unknown[0]?.ok === false ? unknown[0].error.message : "";
    expect(advice).toContain("Look for it in the Modellix console");
    expect(advice).toContain("resubmitUnknown: true");
    expect(advice).not.toMatch(/check whether/i);

    const { logger, lines } = capture();
    const rerun = setup({ fetch: fake.fetch, logger, logLevel: "info" }).client;
    await drive(rerun.batch(items, { journal }));
    const held = lines.filter((line) => line.message.includes("hold a quota slot"));
    expect(held).toHaveLength(1);
    expect(held[0]?.level).toBe("info");
    const seconds = Number(/^modellix: 2 batch item\(s\) whose earlier submit outcome is unknown hold a quota slot each for up to (\d+) s/.exec(held[0]?.message ?? "")?.[1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(60); // the hold after an image submit
    expect(held[0]?.message).toContain("resubmitUnknown: true (CLI: --resubmit-unknown)");

    const { logger: quietLogger, lines: quiet } = capture();
    await drive(setup({ fetch: fake.fetch, logger: quietLogger, logLevel: "info" }).client.batch(items, { journal, resubmitUnknown: true }));
    expect(quiet.filter((line) => line.message.includes("hold a quota slot"))).toEqual([]);
  });
});

describe("the proxy's refusals", () => {
  it("read as one sentence each", async () => {
    const proxy = createProxy({ apiKey: secretKey, baseURL: "https://api.modellix.test" });
    const from = async (headers: Record<string, string>) => {
      const answer = await proxy(new Request("https://app.example.test/api/modellix/api/v1/tasks/task-1", { headers }));
      expect(answer.status).toBe(403);
      return ((await answer.json()) as { message: string }).message;
    };
    expect(await from({ origin: "https://evil.test" })).toBe(
      "Forbidden: the Modellix proxy refuses requests from another origin (if it is your own site, list it in allowedOrigins)",
    );
    expect(await from({ "sec-fetch-site": "cross-site" })).toBe("Forbidden: the Modellix proxy refuses cross-site requests");
  });
});
