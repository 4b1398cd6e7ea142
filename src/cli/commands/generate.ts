import { defaultModels } from "../../models/catalog.js";
import { imageFields, sizeFields } from "../fields.js";
import { mediaValue } from "../local-file.js";
import { mergeParams, parseParams, parseValue } from "../params.js";
import { type CommandContext, type CommandSpec, type OptionSpec, clientOptions, listOption, onePositional, stringOption } from "../spec.js";
import { noWaitOption, submitAndReport } from "../submit.js";
import { waitOptions } from "../wait.js";

/** The five generation commands and what each takes. */
interface GenerationKind {
  command: string;
  namespace: "t2i" | "i2v" | "t2v" | "i2i" | "expansion";
  summary: string;
  prompt: "<prompt>" | "[prompt]";
  /** `--image`: not taken, or taken (repeatable; a model with an array field gets them all). */
  image: boolean;
  example: string;
}

const kinds: readonly GenerationKind[] = [
  {
    command: "t2i",
    namespace: "t2i",
    summary: "Text to image",
    prompt: "<prompt>",
    image: false,
    example: 'modellix t2i "a lighthouse at dawn" --model bytedance/seedream-4.5-t2i --size 2048x2048 --out ./out',
  },
  {
    command: "t2v",
    namespace: "t2v",
    summary: "Text to video",
    prompt: "<prompt>",
    image: false,
    example: 'modellix t2v "waves at night" --param duration=5 --out ./out',
  },
  {
    command: "i2v",
    namespace: "i2v",
    summary: "Image to video (--image <url|path>)",
    prompt: "[prompt]",
    image: true,
    example: 'modellix i2v "the cat waves" --image ./cat.png --out ./out',
  },
  {
    command: "i2i",
    namespace: "i2i",
    summary: "Image to image, an edit (--image <url|path>...)",
    prompt: "<prompt>",
    image: true,
    example: 'modellix i2i "make it snow" --image https://example.com/street.png',
  },
  {
    command: "expand",
    namespace: "expansion",
    summary: "Image expansion, outpainting (--image <url|path>)",
    prompt: "[prompt]",
    image: true,
    example: "modellix expand --image https://example.com/a.png --param left_expansion_ratio=0.5",
  },
];

const commonOptions: Record<string, OptionSpec> = {
  model: { type: "string", short: "m", value: "<provider/model>", description: "model slug (default: the type's default model)" },
  size: { type: "string", short: "s", value: "<WxH>", description: "output size, e.g. 1024x1024, written in the model's own format (1024*1024 for Qwen/Wan)" },
  "negative-prompt": { type: "string", value: "<text>", description: "what to avoid" },
  seed: { type: "string", value: "<n>", description: "random seed (an integer)" },
  param: { type: "string", short: "p", multiple: true, value: "<key=value>", description: "any other model parameter; JSON values are parsed (repeatable)" },
  ...noWaitOption,
  ...waitOptions,
  ...clientOptions,
};

const imageOption: Record<string, OptionSpec> = {
  image: {
    type: "string",
    multiple: true,
    value: "<url|path>",
    description: "input image: a URL, or a local file (uploaded first); repeat for models that take several",
  },
};

/** The model input the flags describe, in the model's own field names; the SDK validates it before anything is sent. */
async function inputOf(kind: GenerationKind, { positionals, values }: CommandContext, model: string): Promise<Record<string, unknown>> {
  const prompt = onePositional(positionals, "prompt", kind.prompt === "<prompt>");
  const images = await Promise.all(listOption(values, "image").map((value) => mediaValue(value, "--image")));
  const seed = stringOption(values, "seed");
  const fromFlags = {
    prompt,
    negative_prompt: stringOption(values, "negative-prompt"),
    seed: seed === undefined ? undefined : parseValue(seed),
    ...sizeFields(model, stringOption(values, "size")),
    ...imageFields(model, images),
  };
  return mergeParams(fromFlags, parseParams(listOption(values, "param")));
}

/** `modellix t2i | t2v | i2v | i2i | expand`. */
export const generationCommands: CommandSpec[] = kinds.map((kind) => ({
  name: kind.command,
  args: kind.prompt,
  summary: kind.summary,
  notes: [
    "Submits a task, waits for it and prints the result URLs, one a line; with --out it downloads the files and prints their paths.",
    `Default model: ${defaultModels[kind.namespace]}. \`modellix models describe <slug>\` lists a model's parameters; pass them with --param.`,
    `Example: ${kind.example}`,
  ],
  options: { ...commonOptions, ...(kind.image ? imageOption : {}) },
  async run(context) {
    const model = stringOption(context.values, "model");
    const body = await inputOf(kind, context, model ?? defaultModels[kind.namespace]);
    return submitAndReport(context, { type: kind.namespace, model, body, label: kind.command });
  },
}));
