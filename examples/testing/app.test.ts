/**
 * Testing your own code with the fake Modellix from `modellix/testing`: no network,
 * no key, tasks progress on vitest's fake clock, and faults are scripted. The fake
 * speaks the real contract: `POST /api/v1/{provider}/{model_id}`, each known model's
 * parameters checked, media uploads, typed errors.
 *
 *   npx vitest run examples/testing/app.test.ts   (in your project: your usual vitest command)
 */
import Modellix, { BadRequestError, SubmitOutcomeUnknownError, TaskFailedError, ValidationError } from "modellix";
import { FakeModellix } from "modellix/testing";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { animatePhoto, generateCover } from "./app.js";

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
  const url = generateCover(client, "a lighthouse at dawn");
  await vi.advanceTimersByTimeAsync(10_000);
  await expect(url).resolves.toMatch(/\.png$/);
  expect(fake.requests[0]).toMatchObject({
    method: "POST",
    path: "/api/v1/bytedance/seedream-4.5-t2i",
    body: { prompt: "a lighthouse at dawn", size: "2048x2048" },
  });
});

it("uploads the user's photo and submits its URL", async () => {
  const photo = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])], { type: "image/png" });
  const url = animatePhoto(client, photo, "the cat waves");
  await vi.advanceTimersByTimeAsync(20_000);
  await expect(url).resolves.toMatch(/\.mp4$/);
  expect(fake.requests.map((request) => request.route)).toEqual(expect.arrayContaining(["media-files", "submit"]));
  const [file] = fake.files;
  expect(fake.requests.find((request) => request.route === "submit")?.body).toMatchObject({ first_frame_image: file?.url });
});

it("reports a task the platform rejected", async () => {
  const url = generateCover(client, "[fail] the default fake fails prompts with this marker");
  const rejected = expect(url).rejects.toBeInstanceOf(TaskFailedError);
  await vi.advanceTimersByTimeAsync(10_000);
  await rejected;
});

it("refuses a bad prompt before sending anything", async () => {
  await expect(generateCover(client, "")).rejects.toBeInstanceOf(ValidationError);
  expect(fake.requests).toHaveLength(0);
});

it("surfaces the API's own 400 as a typed error", async () => {
  fake.inject({ kind: "status", status: 400, message: "Bad Request: prompt violates the usage policy" }, { match: { route: "submit" } });
  await expect(generateCover(client, "a fox")).rejects.toBeInstanceOf(BadRequestError);
});

it("never pays twice when a submit's outcome is unknown", async () => {
  fake.inject({ kind: "status-after-create", status: 500 }, { match: { route: "submit" } });
  await expect(generateCover(client, "a fox")).rejects.toBeInstanceOf(SubmitOutcomeUnknownError);
  expect(fake.countRequests({ route: "submit" })).toBe(1);
  expect(fake.stats.tasksCreated).toBe(1);
});
