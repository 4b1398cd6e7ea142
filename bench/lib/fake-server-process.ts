/**
 * The SDK's fake Modellix server (`createFakeServer`) in a process of its own,
 * so that the benchmark process's CPU time counts the client alone. Started by
 * `startFakeServerProcess()`; answers "reset" with "reset" once the fake has
 * forgotten its tasks and log, and "stats" with the fake's counters.
 */
import type { FakeServerOptions } from "../../src/testing/index.js";
import { testing } from "./sdk.js";

const options = JSON.parse(process.env.BENCH_FAKE_OPTIONS ?? "{}") as FakeServerOptions;
const server = await testing.createFakeServer(options);
process.on("message", (message) => {
  if (message === "reset") {
    server.fake.reset();
    process.send?.("reset");
  } else if (message === "stats") {
    process.send?.({ ...server.fake.stats, posts: server.fake.countRequests({ method: "POST" }), gets: server.fake.countRequests({ method: "GET" }) });
  }
});
process.on("disconnect", () => void server.close().then(() => process.exit(0)));
process.send?.({ url: server.url });
