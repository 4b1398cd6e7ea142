import { type CommandContext, type CommandSpec, countOption, noPositionals } from "../spec.js";

/**
 * `modellix fake-server`: the bundled fake Modellix on 127.0.0.1, for trying
 * the SDK, the CLI or an app without a key or a bill. Prints the environment to
 * point at it and serves until Ctrl-C.
 */
export const fakeServerCommand: CommandSpec = {
  name: "fake-server",
  args: "",
  summary: "serve the bundled fake Modellix on 127.0.0.1 (no key, nothing billed) until Ctrl-C",
  notes: [
    "Prints `export MODELLIX_BASE_URL=...` and a made-up `MODELLIX_API_KEY` (the fake takes any key): set them in another shell, then any `modellix` command or `new Modellix()` talks to the fake.",
    "Tasks succeed after --duration-ms (a prompt containing [fail] fails, [cancel] is canceled).",
  ],
  options: {
    port: { type: "string", value: "<n>", description: "port to listen on (default 8080; 0 picks a free one)" },
    "duration-ms": { type: "string", value: "<ms>", description: "how long each task runs (default 3000 for images, 8000 for videos)" },
  },
  async run(context: CommandContext): Promise<number> {
    noPositionals(context.positionals, "fake-server");
    const port = countOption(context.values, "port") ?? 8080;
    const durationMs = countOption(context.values, "duration-ms");
    const { createFakeServer } = await import("../../testing/node-server.js");
    const server = await createFakeServer({ port, ...(durationMs === undefined ? {} : { durationMs }) });
    const { stdout, stderr, signal } = context.io;
    stderr.write(`Fake Modellix at ${server.origin} (no key needed, nothing is billed; Ctrl-C stops it). In another shell:\n`);
    stdout.write(`export MODELLIX_BASE_URL=${server.origin}\nexport MODELLIX_API_KEY=mlx-fake-key\n`);
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener("abort", () => resolve(), { once: true });
    });
    await server.close();
    return 0;
  },
};
