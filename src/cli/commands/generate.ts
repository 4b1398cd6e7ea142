import type { Modellix } from "../../client.js";
import type { Generation } from "../../resources/generation.js";
import { createClient } from "../client.js";
import { UsageError } from "../exit-codes.js";
import { mergeParams, parseParams, parseValue } from "../params.js";
import { type CommandContext, type CommandSpec, type OptionSpec, clientOptions, flag, listOption, onePositional, stringOption } from "../spec.js";
import { waitAndReport, waitOptions } from "../wait.js";

/** The five generation commands and what each takes. */
interface GenerationKind {
  command: string;
  namespace: "t2i" | "i2v" | "t2v" | "i2i" | "expansion";
  summary: string;
  prompt: "<prompt>" | "[prompt]";
  /** `--image`: not taken, taken once, or repeatable (several become `images`). */
  image: "none" | "one" | "many";
  example: string;
}

const kinds: readonly GenerationKind[] = [
  {
    command: "t2i",
    namespace: "t2i",
    summary: "Text to image",
    prompt: "<prompt>",
    image: "none",
    example: 'modellix t2i "a lighthouse at dawn" --size 1024*1024 --out ./out',
  },
  {
    command: "t2v",
    namespace: "t2v",
    summary: "Text to video",
    prompt: "<prompt>",
    image: "none",
    example: 'modellix t2v "waves at night" --param duration=5 --out ./out',
  },
  {
    command: "i2v",
    namespace: "i2v",
    summary: "Image to video (--image <url>)",
    prompt: "[prompt]",
    image: "one",
    example: 'modellix i2v "the cat waves" --image https://example.com/cat.png --out ./out',
  },
  {
    command: "i2i",
    namespace: "i2i",
    summary: "Image to image, an edit (--image <url>...)",
    prompt: "<prompt>",
    image: "many",
    example: 'modellix i2i "make it snow" --image https://example.com/street.png',
  },
  {
    command: "expand",
    namespace: "expansion",
    summary: "Image expansion, outpainting (--image <url>)",
    prompt: "[prompt]",
    image: "one",
    example: "modellix expand --image https://example.com/a.png --param left_expansion_ratio=0.5",
  },
];

const commonOptions: Record<string, OptionSpec> = {
  model: { type: "string", short: "m", value: "<provider/model>", description: "model slug (default: the type's default model)" },
  size: { type: "string", short: "s", value: "<W*H>", description: 'output size, e.g. "1024*1024"' },
  "negative-prompt": { type: "string", value: "<text>", description: "what to avoid" },
  seed: { type: "string", value: "<n>", description: "random seed (an integer)" },
  style: { type: "string", value: "<style>", description: "model-specific style" },
  param: { type: "string", short: "p", multiple: true, value: "<key=value>", description: "any other model parameter; JSON values are parsed (repeatable)" },
  "no-wait": { type: "boolean", description: "submit, print the task id and exit (resume with `modellix task wait <id>`)" },
  ...waitOptions,
  ...clientOptions,
};

function imageOption(kind: GenerationKind): Record<string, OptionSpec> {
  if (kind.image === "none") return {};
  const many = kind.image === "many";
  return {
    image: {
      type: "string",
      multiple: many,
      value: "<url>",
      description: many ? "input image URL (repeat for several; sent as `images`)" : "input image URL",
    },
  };
}

/** The model input the flags describe; the SDK validates it before anything is sent. */
function inputOf(kind: GenerationKind, { positionals, values }: CommandContext): Record<string, unknown> {
  const prompt = onePositional(positionals, "prompt", false);
  const images = kind.image === "many" ? listOption(values, "image") : [stringOption(values, "image")].filter((url) => url !== undefined);
  const seed = stringOption(values, "seed");
  const fromFlags = {
    model: stringOption(values, "model"),
    prompt,
    size: stringOption(values, "size"),
    negative_prompt: stringOption(values, "negative-prompt"),
    seed: seed === undefined ? undefined : parseValue(seed),
    style: stringOption(values, "style"),
    ...(images.length > 1 ? { images } : { image: images[0] }),
  };
  return mergeParams(fromFlags, parseParams(listOption(values, "param")));
}

function namespaceOf(client: Modellix, kind: GenerationKind): Generation<Record<string, unknown>> {
  return client[kind.namespace] as Generation<Record<string, unknown>>;
}

async function runGeneration(kind: GenerationKind, context: CommandContext): Promise<number> {
  const { values, io, output } = context;
  if (flag(values, "no-wait") && (values.out !== undefined || values.timeout !== undefined)) {
    throw new UsageError("--no-wait does not wait, so it takes neither --out nor --timeout");
  }
  const input = inputOf(kind, context);
  const client = createClient(io, values, { requireKey: true });
  const progress = output.progress();
  progress.update(`submitting ${kind.command} task`);
  const task = await namespaceOf(client, kind).submit(input, { signal: io.signal }).catch((error: unknown) => {
    progress.stop();
    throw error;
  });
  progress.note(`task ${task.id} submitted (${task.model})`);
  if (flag(values, "no-wait")) {
    progress.stop();
    output.result([task.id], { taskId: task.id, type: task.type, model: task.model, status: "pending" });
    return 0;
  }
  return waitAndReport(task, context, progress);
}

/** `modellix t2i | t2v | i2v | i2i | expand`. */
export const generationCommands: CommandSpec[] = kinds.map((kind) => ({
  name: kind.command,
  args: kind.prompt,
  summary: kind.summary,
  notes: [
    "Submits a task, waits for it and prints the result URLs, one a line; with --out it downloads the files and prints their paths.",
    `Example: ${kind.example}`,
  ],
  options: { ...commonOptions, ...imageOption(kind) },
  run: (context) => runGeneration(kind, context),
}));
