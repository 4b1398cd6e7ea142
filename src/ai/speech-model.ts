/** The AI SDK speech model (`SpeechModelV4`) of a Modellix text-to-speech (or speech-to-speech) model. */
import type { SpeechModelV4, SpeechModelV4CallOptions, SpeechModelV4Result } from "@ai-sdk/provider";
import { type Modellix, ModellixError } from "../index.js";
import { speechBody } from "./audio-body.js";
import { modelFacts } from "./catalog.js";
import { download } from "./media.js";
import { responseOf, run, taskMetadata } from "./task-call.js";

/** One Modellix speech model. Each `doGenerate` is one task: submitted once, waited for, its audio downloaded through the client. */
export class ModellixSpeechModel implements SpeechModelV4 {
  readonly specificationVersion = "v4";
  readonly provider = "modellix.speech";
  readonly modelId: string;
  readonly #client: () => Modellix;

  constructor(modelId: string, client: () => Modellix) {
    this.modelId = modelId;
    this.#client = client;
  }

  async doGenerate(options: SpeechModelV4CallOptions): Promise<SpeechModelV4Result> {
    const model = await modelFacts(this.modelId, "speech", () => "tts");
    const request = speechBody(model, options);
    const call = { client: this.#client(), model, body: request.finish(options.providerOptions), signal: options.abortSignal, headers: options.headers };
    const { task, result, after } = await run(call);
    const audio = await after(async () => {
      const file = result.resources.find((resource) => resource.type === "audio");
      if (!file) throw new ModellixError(`Task ${task.id} succeeded without an audio file.`);
      return { file, ...(await download(file, options.abortSignal)) };
    });
    return {
      audio: audio.data,
      warnings: request.warnings,
      providerMetadata: { modellix: { ...taskMetadata(task.id, model.slug, result.expiresAt), url: audio.file.url } },
      response: { ...responseOf(task, model), body: result.data },
    };
  }
}
