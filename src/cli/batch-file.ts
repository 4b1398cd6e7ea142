import { ValidationError } from "../core/errors.js";
import type { ModelInfo } from "../resources/model-list.js";
import { findModel } from "../models/entries.js";
import { loadValidation } from "../resources/submit.js";
import type { BatchItem } from "../resources/batch.js";
import { UsageError } from "./exit-codes.js";
import { safeText } from "./safe-text.js";

/** One line of a batch file, read: its line number, type, model and input. */
export interface BatchLine {
  /** 1-based line number in the file. */
  line: number;
  item: BatchItem;
}

interface RawLine {
  line: number;
  type: string | undefined;
  model: string | undefined;
  input: Record<string, unknown>;
}

const MAX_LINES = 10_000;

/**
 * Reads a JSON Lines batch file: one task a line, blank lines skipped. A line
 * is either `{"model": "provider/id", "prompt": "...", ...}` (the input's
 * fields beside `model`, and an optional `type`), or, as the vendor CLI writes
 * it, `{"modelSlug": "provider/id", "body": {...}}` (`model` may stand for
 * `modelSlug`). The type comes from `type`, else the catalog, else
 * `lookup()` (the API's `GET /models`, read only when some model needs it).
 *
 * Every line is checked, against its model's parameters too, before anything
 * is sent: one usage error lists every bad line.
 */
export async function readBatchLines(text: string, lookup: () => Promise<readonly ModelInfo[]>): Promise<BatchLine[]> {
  const problems: string[] = [];
  const raw: RawLine[] = [];
  for (const [index, content] of text.split("\n").entries()) {
    if (content.trim() === "") continue;
    const parsed = parseLine(content, index + 1);
    if (typeof parsed === "string") problems.push(parsed);
    else raw.push(parsed);
  }
  if (raw.length + problems.length === 0) throw new UsageError("the batch file has no tasks (one JSON object a line)");
  if (raw.length + problems.length > MAX_LINES) throw new UsageError(`the batch file has more than ${MAX_LINES} tasks; split it`);
  const needsLookup = raw.some((line) => line.type === undefined && line.model !== undefined && !findModel(line.model));
  const listed = needsLookup ? await lookup() : [];
  const { prepareInput } = await loadValidation();
  const lines: BatchLine[] = [];
  for (const line of raw) {
    const type = line.type ?? typeFor(line.model ?? "", listed);
    if (type === undefined) {
      problems.push(`line ${line.line}: model ${JSON.stringify(safeText(line.model, 200))} is neither in the local catalog nor listed by GET /models; check it or add "type"`);
      continue;
    }
    const input = line.model === undefined ? line.input : { ...line.input, model: line.model };
    try {
      await prepareInput(type, input, { runType: true });
      lines.push({ line: line.line, item: { ...input, type } });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      for (const issue of error.issues) problems.push(`line ${line.line}: ${issue.path ? `${issue.path}: ` : ""}${issue.message}`);
    }
  }
  if (problems.length > 0) {
    problems.sort((a, b) => lineOf(a) - lineOf(b));
    throw new UsageError(`the batch file has ${problems.length} problem(s); nothing was sent:\n  ${problems.join("\n  ")}`);
  }
  return lines;
}

function lineOf(problem: string): number {
  return Number(/^line (\d+)/.exec(problem)?.[1] ?? 0);
}

function parseLine(content: string, line: number): RawLine | string {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return `line ${line}: not valid JSON`;
  }
  if (!isObject(value)) return `line ${line}: must be a JSON object, e.g. {"model":"bytedance/seedream-4.5-t2i","prompt":"a fox"}`;
  const { type, model, modelSlug, body, ...rest } = value;
  const slug = model ?? modelSlug;
  if (model !== undefined && modelSlug !== undefined) return `line ${line}: give "model" or "modelSlug", not both`;
  if (slug !== undefined && typeof slug !== "string") return `line ${line}: "model" must be a string "provider/model_id"`;
  if (type !== undefined && (typeof type !== "string" || type === "")) return `line ${line}: "type" must be a type such as "t2i" or "text-to-image"`;
  if (slug === undefined && type === undefined) return `line ${line}: needs "model" (or a "type", for its default model)`;
  if (body !== undefined) {
    if (!isObject(body)) return `line ${line}: "body" must be a JSON object of model parameters`;
    if (Object.keys(rest).length > 0) return `line ${line}: put every parameter inside "body" (found ${Object.keys(rest).slice(0, 3).join(", ")} beside it)`;
  }
  return { line, type, model: slug, input: body ?? rest };
}

/** The type to submit a model through: the catalog's namespace, else the API's type for it. */
function typeFor(model: string, listed: readonly ModelInfo[]): string | undefined {
  const entry = findModel(model);
  if (entry) return entry.namespaces[0] ?? entry.type;
  return listed.find((info) => info.slug === model)?.type;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
