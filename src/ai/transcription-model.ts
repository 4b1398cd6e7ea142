/** The AI SDK transcription model (`TranscriptionModelV4`) of a Modellix speech-to-text model. */
import type { TranscriptionModelV4, TranscriptionModelV4CallOptions, TranscriptionModelV4Result } from "@ai-sdk/provider";
import { type Modellix, ModellixError, type TaskResult } from "../index.js";
import { transcriptionBody } from "./audio-body.js";
import { modelFacts } from "./catalog.js";
import { audioBlob, download } from "./media.js";
import { responseOf, run, taskMetadata } from "./task-call.js";

type CallOptions = Omit<TranscriptionModelV4CallOptions, "audio" | "mediaType">;

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The transcript of a finished task: `result.metadata.text` or `result.text`
 * of its data, else its first file that is not image, video or audio (a
 * transcript file), read as UTF-8.
 */
async function transcriptOf(result: TaskResult, signal: AbortSignal | undefined): Promise<string> {
  const outcome = record(result.data.result);
  const text = record(outcome.metadata).text ?? outcome.text;
  if (typeof text === "string") return text;
  const file = result.resources.find((resource) => !["image", "video", "audio"].includes(resource.type));
  if (!file) throw new ModellixError(`Task ${result.id} succeeded without a transcript.`);
  return new TextDecoder().decode((await download(file, signal)).data);
}

/**
 * One Modellix speech-to-text model. Each call is one task: submitted once
 * and waited for. Audio bytes are uploaded through the client's media-file
 * API; an http(s) URL (`transcribe({ audio: new URL(...) })`) is passed to
 * the model as it is, without downloading it.
 */
export class ModellixTranscriptionModel implements TranscriptionModelV4 {
  readonly specificationVersion = "v4";
  readonly provider = "modellix.transcription";
  readonly modelId: string;
  readonly #client: () => Modellix;

  constructor(modelId: string, client: () => Modellix) {
    this.modelId = modelId;
    this.#client = client;
  }

  doGenerate(options: TranscriptionModelV4CallOptions): Promise<TranscriptionModelV4Result> {
    return this.#transcribe(audioBlob(options.audio, options.mediaType), options);
  }

  doGenerateFromUrl(options: CallOptions & { audio: URL }): Promise<TranscriptionModelV4Result> {
    return this.#transcribe(options.audio.href, options);
  }

  async #transcribe(audio: string | Blob, options: CallOptions): Promise<TranscriptionModelV4Result> {
    const model = await modelFacts(this.modelId, "transcription", () => "stt");
    const request = transcriptionBody(model, audio, options);
    const call = { client: this.#client(), model, body: request.finish(options.providerOptions), signal: options.abortSignal, headers: options.headers };
    const { task, result, after } = await run(call);
    const text = await after(() => transcriptOf(result, options.abortSignal));
    return {
      text,
      segments: [],
      language: undefined,
      durationInSeconds: undefined,
      warnings: request.warnings,
      providerMetadata: { modellix: taskMetadata(task.id, model.slug, result.expiresAt) },
      response: { ...responseOf(task, model), body: result.data },
    };
  }
}
