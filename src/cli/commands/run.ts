import { findModel } from "../../models/entries.js";
import { nearestModels } from "../../models/suggestions.js";
import { readBody } from "../body.js";
import { openSession } from "../client.js";
import { UsageError } from "../exit-codes.js";
import { mergeParams, parseParams } from "../params.js";
import { safeText } from "../safe-text.js";
import { type CommandContext, type CommandSpec, clientOptions, listOption, onePositional, stringOption } from "../spec.js";
import { noWaitOption, submitAndReport } from "../submit.js";
import { waitOptions } from "../wait.js";

/**
 * The type to submit `slug` through: `--type`, else the catalog's (its own
 * namespace, `expansion` for an expansion model), else the API's `GET /models`
 * answer for a model newer than this version's catalog.
 */
async function typeOf(context: CommandContext, slug: string): Promise<string> {
  const given = stringOption(context.values, "type");
  if (given !== undefined) return given;
  const entry = findModel(slug);
  if (entry) return entry.namespaces[0] ?? entry.type;
  const { client } = await openSession(context, { requireKey: true });
  const listed = (await client.models.list({ signal: context.io.signal })).find((model) => model.slug === slug);
  if (listed?.type) return listed.type;
  const near = await nearestModels(slug);
  const hint = near.length > 0 ? ` (did you mean ${near.map((candidate) => JSON.stringify(candidate)).join(" or ")}?)` : "";
  throw new UsageError(
    `${JSON.stringify(safeText(slug, 200))} is neither in the local catalog nor listed by GET /models${hint}; check the slug (\`modellix models list --search <text>\`) or pass --type`,
  );
}

/** `modellix run <slug> --body <json|@file|->`: any model, any body. */
export const runCommand: CommandSpec = {
  name: "run",
  aliases: ["model run"],
  args: "<slug>",
  summary: "Run any model with a JSON body (--body '<json>', @file.json or - for stdin)",
  notes: [
    "The body is checked against the model's parameters when the catalog knows them, then sent as it is (without `model`);",
    "a field the catalog does not list for the model is noted and sent as given (the other commands refuse it).",
    "--param key=value adds fields to the body (JSON values are parsed). A local file path in a file field of a known model is uploaded first; for another model, use `modellix files upload`.",
    "The type comes from the catalog, else from GET /models; --type overrides it (t2i, image-to-video, r2v, ...).",
    `Example: modellix run bytedance/seedream-4.5-t2i --body '{"prompt":"a lighthouse","size":"2048x2048"}' --out ./out`,
  ],
  options: {
    body: { type: "string", short: "b", value: "<json|@file|->", description: "the request body: inline JSON, @path to a JSON file, or - for standard input" },
    param: { type: "string", short: "p", multiple: true, value: "<key=value>", description: "a body field; JSON values are parsed (repeatable)" },
    type: { type: "string", short: "t", value: "<type>", description: "submit through this type (default: the model's, from the catalog or GET /models)" },
    ...noWaitOption,
    ...waitOptions,
    ...clientOptions,
  },
  async run(context) {
    const { positionals, values, io } = context;
    const slug = onePositional(positionals, "model slug", true);
    const bodyText = stringOption(values, "body");
    const params = parseParams(listOption(values, "param"));
    if (bodyText === undefined && Object.keys(params).length === 0) {
      throw new UsageError(`missing --body: e.g. modellix run ${safeText(slug, 200)} --body '{"prompt":"a fox"}'`);
    }
    const body = mergeParams(bodyText === undefined ? {} : await readBody(bodyText, io), params, "--body");
    const type = await typeOf(context, slug);
    return submitAndReport(context, { type, model: slug, body, label: safeText(slug, 200), asGiven: true });
  },
};
