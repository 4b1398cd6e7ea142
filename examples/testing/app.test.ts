/**
 * Testing your own code with the fake Modellix from `modellix/testing`: no network,
 * no key, tasks progress on vitest's fake clock, and faults are scripted.
 *
 *   npx vitest run examples/testing/app.test.ts   (in your project: your usual vitest command)
 */
import Modellix, { SubmitOutcomeUnknownError, TaskFailedError } from "modellix";
import { FakeModellix } from "modellix/testing";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { generateThumbnail } from "./app.js";

let fake: FakeModellix;
let client: Modellix;

beforeEach(() => {
  vi.useFakeTimers(); // drives both the client's polling and the fake's task clock
  fake = new FakeModellix();
  client = new Modellix({ apiKey: "test-key", fetch: fake.fetch });
});

afterEach(() => {
  vi.useRealTimers();
});

it("returns the URL of the generated image", async () => {
  const url = generateThumbnail(client, "a lighthouse at dawn");
  await vi.advanceTimersByTimeAsync(10_000);
  await expect(url).resolves.toMatch(/\.png$/);
  expect(fake.requests[0]).toMatchObject({
    method: "POST",
    path: "/api/v1/t2i/bytedance/seedream-4-5-t2i/async",
    body: { prompt: "a lighthouse at dawn", size: "512*512" },
  });
});

it("reports a task the platform rejected", async () => {
  const url = generateThumbnail(client, "[fail] the default fake fails prompts with this marker");
  const rejected = expect(url).rejects.toBeInstanceOf(TaskFailedError);
  await vi.advanceTimersByTimeAsync(10_000);
  await rejected;
});

it("never pays twice when a submit's outcome is unknown", async () => {
  fake.inject({ kind: "status-after-create", status: 500 }, { match: { method: "POST" } });
  const url = generateThumbnail(client, "a fox");
  const rejected = expect(url).rejects.toBeInstanceOf(SubmitOutcomeUnknownError);
  await vi.advanceTimersByTimeAsync(10_000);
  await rejected;
  expect(fake.countRequests({ method: "POST" })).toBe(1);
  expect(fake.stats.tasksCreated).toBe(1);
});
