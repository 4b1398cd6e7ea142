/**
 * A fake Modellix server in a process of its own, so that the benchmark
 * process's CPU time counts the client alone. Started by `startFakeServerProcess()`;
 * answers "reset" messages with "reset" once the fake has forgotten its tasks and log.
 */
import type { FakeServerOptions } from "../../src/testing/index.js";
import { testing } from "./sdk.js";

const options = JSON.parse(process.env.BENCH_FAKE_OPTIONS ?? "{}") as FakeServerOptions;
const server = await testing.createFakeServer(options);
process.on("message", (message) => {
  if (message === "reset") {
    server.fake.reset();
    process.send?.("reset");
  }
});
process.on("disconnect", () => void server.close().then(() => process.exit(0)));
process.send?.({ url: server.url });
