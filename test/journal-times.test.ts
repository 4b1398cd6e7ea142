import { describe, expect, it } from "vitest";
import { MemoryJournal, journalHistory } from "modellix/node";
import { setup } from "./helpers.js";

describe("a journal whose times are written another way", () => {
  it("reads entries whose `at` is epoch seconds as text, or unreadable, and resumes a batch from them without a second POST", async () => {
    const { fake, client } = setup({ pollInterval: { initialMs: 5, maxMs: 5 } }, { pendingMs: 0, durationMs: 0 });
    const items = [{ type: "t2i", prompt: "a" }, { type: "t2i", prompt: "b" }];
    const first = new MemoryJournal();
    await client.batch(items, { journal: first });
    const seconds = String(Math.floor(Date.now() / 1000));
    const rewritten = (await first.read()).map((entry, index) => ({ ...entry, at: index % 2 === 0 ? seconds : "yesterday-ish" }));
    const journal = new MemoryJournal(rewritten);
    const history = await journalHistory(journal);
    expect(history).toHaveLength(2);
    expect(history.every((task) => Math.abs(task.submittedAt.getTime() - Date.now()) < 60_000)).toBe(true);
    const results = await client.batch(items, { journal });
    expect(results.map((result) => result.ok)).toEqual([true, true]);
    expect(fake.countRequests({ method: "POST" })).toBe(2);
  });
});
