import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeModellix } from "../../src/testing/index.js";
import { call, envelope } from "./support.js";

describe("FakeModellix rate window", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-06-01T00:00:10Z"));
  });
  afterEach(() => vi.useRealTimers());

  const windowEnd = Date.parse("2026-06-01T00:01:00Z") / 1000;

  it("reports limit, remaining and reset on every API answer", async () => {
    const fake = new FakeModellix({ rateLimit: 5 });
    const first = await call(fake.fetch, "/models");
    expect(first.headers.get("x-ratelimit-limit")).toBe("5");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("4");
    expect(first.headers.get("x-ratelimit-reset")).toBe(String(windowEnd));
    const unauthorized = await fake.fetch("https://api.modellix.test/api/v1/models");
    expect(unauthorized.headers.get("x-ratelimit-remaining")).toBe("3");
  });

  it("answers 429 past the limit until the window ends", async () => {
    const fake = new FakeModellix({ rateLimit: 2 });
    await call(fake.fetch, "/models");
    await call(fake.fetch, "/models");
    vi.advanceTimersByTime(5000);
    const refused = await call(fake.fetch, "/models");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("45");
    expect(refused.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(await envelope(refused)).toEqual({ code: 429, message: "Too Many Requests: Rate limit exceeded" });
    expect(fake.stats.tooManyRequests.rateLimit).toBe(1);
    vi.advanceTimersByTime(45_000);
    const next = await call(fake.fetch, "/models");
    expect(next.status).toBe(200);
    expect(next.headers.get("x-ratelimit-remaining")).toBe("1");
    expect(next.headers.get("x-ratelimit-reset")).toBe(String(windowEnd + 60));
  });

  it("does not count generated-file downloads", async () => {
    const fake = new FakeModellix({ rateLimit: 1 });
    const file = await fake.fetch("https://api.modellix.test/files/task-1-x/0.png");
    expect(file.headers.get("x-ratelimit-limit")).toBeNull();
    expect((await call(fake.fetch, "/models")).status).toBe(200);
  });

  it("takes a new limit from configure", async () => {
    const fake = new FakeModellix({ rateLimit: 1 });
    await call(fake.fetch, "/models");
    fake.configure({ rateLimit: 100 });
    expect((await call(fake.fetch, "/models")).headers.get("x-ratelimit-limit")).toBe("100");
  });
});
