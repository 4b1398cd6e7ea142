import { createClient } from "../client.js";
import { type CommandSpec, clientOptions, stringOption } from "../spec.js";
import { formatTable } from "../table.js";

/** `modellix models [--type t2i] [--provider kling] [--search text]`. */
export const modelsCommand: CommandSpec = {
  name: "models",
  args: "",
  summary: "List the active models (GET /models)",
  notes: ["Prints one model a line: slug, type and name. Use the slug as --model."],
  options: {
    type: { type: "string", short: "t", value: "<type>", description: "only this type: t2i, i2v, t2v, i2i, expansion, r2v, v2v" },
    provider: { type: "string", value: "<provider>", description: "only this provider, e.g. kling" },
    search: { type: "string", value: "<text>", description: "only models whose slug or name contains this text" },
    ...clientOptions,
  },
  async run({ values, io, output }) {
    const client = createClient(io, values, { requireKey: true });
    const models = await client.models.list({
      type: stringOption(values, "type"),
      provider: stringOption(values, "provider"),
      search: stringOption(values, "search"),
      signal: io.signal,
    });
    output.result(formatTable(models.map((model) => [model.slug, model.type, model.name])), models);
    return 0;
  },
};
