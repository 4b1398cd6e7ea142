import { API_TYPES } from "../../models/catalog.js";
import { type ModelEntry, findModel, listModelEntries } from "../../models/entries.js";
import { type ParamSpec, modelParams } from "../../models/params.js";
import { openSession } from "../client.js";
import { UsageError } from "../exit-codes.js";
import { safeJson, safeText } from "../safe-text.js";
import { type CommandSpec, clientOptions, flag, noPositionals, onePositional, stringOption } from "../spec.js";
import { didYouMean } from "../../core/suggest.js";
import { formatTable } from "../table.js";

const typeNames = [...Object.keys(API_TYPES), ...Object.values(API_TYPES)];

/** `--type`: a namespace code (`t2i`) or the API's name (`text-to-image`). */
function typeOption(value: string | undefined): string | undefined {
  if (value === undefined || typeNames.includes(value)) return value;
  const hint = value === "expansion" || value === "r2v" ? ` (${value} models are listed as ${value === "r2v" ? "i2v" : "i2i"})` : didYouMean(value, typeNames);
  throw new UsageError(`unknown --type ${JSON.stringify(safeText(value, 80))}${hint} (one of ${Object.keys(API_TYPES).join(", ")}, or the API's names such as text-to-image)`);
}

/** `modellix models list`: the API's active models (`GET /models`). */
export const modelsListCommand: CommandSpec = {
  name: "models list",
  aliases: ["models", "model list"],
  args: "",
  summary: "List the active models (GET /models): slug, type, description",
  notes: ["Use a slug with `modellix run <slug>` or as --model; `modellix models describe <slug>` shows its parameters."],
  options: {
    type: { type: "string", short: "t", value: "<type>", description: "only this type: t2i, i2i, t2v, i2v, v2v, tts, stt, sts, or text-to-image, ..." },
    featured: { type: "boolean", description: "only the featured models (GET /models?featured=true)" },
    provider: { type: "string", value: "<provider>", description: "only this provider, e.g. kling" },
    search: { type: "string", value: "<text>", description: "only models whose slug or description contains this text" },
    ...clientOptions,
  },
  async run(context) {
    const { values, io, output } = context;
    noPositionals(context.positionals, "models list");
    const type = typeOption(stringOption(values, "type"));
    const { client } = await openSession(context, { requireKey: true });
    const models = await client.models.list({
      type,
      featured: flag(values, "featured"),
      provider: stringOption(values, "provider"),
      search: stringOption(values, "search"),
      signal: io.signal,
    });
    const rows = models.map((model) => [safeText(model.slug, 200), safeText(model.type ?? "-", 40), safeText(model.description ?? "", 100)]);
    output.result(formatTable(rows), models);
    return 0;
  },
};

/** What a parameter takes, in words: `string, required, 1-800 characters`. */
function describeParam(spec: ParamSpec, specs: readonly ParamSpec[]): string {
  const parts: string[] = [spec.type === "array" ? `array of ${spec.items ?? "values"}` : spec.type];
  if (spec.required) parts.push("required");
  if (spec.requiredAlternative) {
    const others = specs.filter((other) => other.requiredAlternative && other !== spec).map((other) => other.name);
    parts.push(`required unless ${others.join(" or ")} is given`);
  }
  if (spec.media) parts.push("file: a URL, or a local path on the command line");
  else if (spec.uri) parts.push("URL");
  if (spec.format) parts.push(`format ${spec.format}`);
  if (spec.enum) parts.push(`one of ${spec.enum.map((value) => JSON.stringify(value)).join(", ")}`);
  if (spec.min !== undefined || spec.max !== undefined) {
    const unit = spec.type === "string" ? " characters" : spec.type === "array" ? " items" : "";
    const range = spec.min !== undefined && spec.max !== undefined ? `${spec.min} to ${spec.max}` : spec.min !== undefined ? `at least ${spec.min}` : `at most ${spec.max}`;
    parts.push(`${range}${unit}`);
  }
  return parts.join(", ");
}

/** The docs page of a model: its doc spelling under docs.modellix.ai. */
export function docsUrlOf(entry: ModelEntry): string {
  return `https://docs.modellix.ai/${entry.docsSlug ?? entry.slug}`;
}

function describeEntry(entry: ModelEntry, params: readonly ParamSpec[] | undefined): string[] {
  const [namespace] = entry.namespaces;
  const command = namespace === "expansion" ? "expand" : namespace;
  const lines = [
    entry.slug,
    ...formatTable(
      [
        ["type", `${entry.type} (client.${namespace}; modellix run ${entry.slug}${["t2i", "i2i", "t2v", "i2v", "expand"].includes(command ?? "") ? ` or modellix ${command} --model ${entry.slug}` : ""})`],
        ["verified", entry.verified ? "yes: the id was seen in a real submit URL or the vendor's code" : "no: a best guess from the docs; it may not exist under this id"],
        ["docs", docsUrlOf(entry)],
        ...(entry.docsSlug ? [["docs spelling", `${entry.docsSlug} (accepted, sent as ${entry.slug})`]] : []),
        ...(entry.retired ? [["retired", "the docs no longer list it"]] : []),
      ],
      "  ",
    ),
  ];
  if (!params) return [...lines, "", "Parameters: not in the local catalog (`--remote` reads the model's public schema)."];
  return [...lines, "", "Parameters:", ...formatTable(params.map((spec) => [spec.name, describeParam(spec, params)]), "  ")];
}

/** `modellix models describe <slug>`: a model from the local catalog, or its public schema with `--remote`. */
export const modelsDescribeCommand: CommandSpec = {
  name: "models describe",
  aliases: ["model describe"],
  args: "<slug>",
  summary: "Show a model: type, verified id, docs URL and parameters (local catalog)",
  notes: [
    "Reads the catalog shipped with this version; the doc spelling of a slug (seedream-4-5-t2i) is accepted.",
    "--remote prints the model's public OpenAPI schema from www.modellix.ai instead (sent without the key).",
  ],
  options: {
    remote: { type: "boolean", description: "fetch the model's public api_schema (OpenAPI) instead of the local catalog" },
    ...clientOptions,
  },
  async run(context) {
    const { positionals, values, io, output } = context;
    const slug = onePositional(positionals, "model slug", true);
    const entry = findModel(slug);
    if (flag(values, "remote")) {
      const { client } = await openSession(context, { requireKey: true });
      const schema = await client.models.schema(slug, { signal: io.signal });
      output.result([safeJson(schema)], schema);
      return 0;
    }
    if (!entry) {
      const hint = didYouMean(slug, listModelEntries().map((model) => model.slug));
      throw new UsageError(`${JSON.stringify(safeText(slug, 200))} is not in the local catalog${hint}. \`modellix models list --search <text>\` asks the API; --remote reads a model's public schema`);
    }
    const params = Object.hasOwn(modelParams, entry.slug) ? modelParams[entry.slug] : undefined;
    output.result(describeEntry(entry, params), { ...entry, docsUrl: docsUrlOf(entry), params: params ?? null });
    return 0;
  },
};
