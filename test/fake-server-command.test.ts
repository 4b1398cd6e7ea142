import { describe, expect, it } from "vitest";
import Modellix from "modellix";
import { main } from "../src/cli/main.js";

describe("modellix fake-server", () => {
  it("serves the fake on 127.0.0.1, prints the MODELLIX_BASE_URL to use, and stops on Ctrl-C", async () => {
    const controller = new AbortController();
    let stdout = "";
    let printed: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (printed = resolve));
    const running = main(["fake-server", "--port", "0", "--duration-ms", "0"], {
      stdout: {
        write: (text: string) => {
          stdout += text;
          printed();
        },
      },
      stderr: { isTTY: false, write: () => undefined },
      env: {},
      signal: controller.signal,
    });
    await ready;
    const baseURL = /^export MODELLIX_BASE_URL=(http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout)?.[1];
    expect(baseURL).toBeDefined();
    const apiKey = /^export MODELLIX_API_KEY=(\S+)$/m.exec(stdout)?.[1];
    const client = new Modellix({ baseURL, apiKey, pollInterval: { initialMs: 10, maxMs: 10 } });
    const result = await client.textToImage({ model: "bytedance/seedream-4.5-t2i", prompt: "a lighthouse", size: "2048x2048" }).wait();
    expect(result.resources[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    controller.abort();
    await expect(running).resolves.toBe(0);
    await expect(fetch(`${baseURL}/api/v1/models`)).rejects.toThrow();
  });
});
