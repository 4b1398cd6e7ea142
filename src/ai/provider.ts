/** `createModellix()` and the default `modellix` provider: AI SDK models over one Modellix client. */
import {
  type ImageModelV4,
  NoSuchModelError,
  type ProviderV4,
  type SpeechModelV4,
  type TranscriptionModelV4,
  type Experimental_VideoModelV4 as VideoModelV4,
} from "@ai-sdk/provider";
import type { KnownModels, ModelSlug } from "../catalog/index.js";
import { Modellix, type ModellixOptions } from "../index.js";
import { ModellixImageModel } from "./image-model.js";
import { ModellixSpeechModel } from "./speech-model.js";
import { ModellixTranscriptionModel } from "./transcription-model.js";
import { ModellixVideoModel } from "./video-model.js";

/** An image model slug: the catalog's text-to-image, image-to-image and expansion models autocomplete; any other slug is accepted. */
export type ModellixImageModelId = ModelSlug<KnownModels["t2i"] | KnownModels["i2i"]>;
/** A video model slug: the catalog's text-to-video, image-to-video and video-to-video models autocomplete; any other slug is accepted. */
export type ModellixVideoModelId = ModelSlug<KnownModels["t2v"] | KnownModels["i2v"] | KnownModels["v2v"]>;
/** A speech model slug: the catalog's text-to-speech (and speech-to-speech) models autocomplete; any other slug is accepted. */
export type ModellixSpeechModelId = ModelSlug<KnownModels["tts"] | KnownModels["sts"]>;
/** A transcription model slug: the catalog's speech-to-text models autocomplete; any other slug is accepted. */
export type ModellixTranscriptionModelId = ModelSlug<KnownModels["stt"]>;

/** What {@link createModellix} takes: the client's options, or a client to share (its quota, poll loops and settings). */
export type ModellixProviderSettings = ModellixOptions | Modellix;

/**
 * The Modellix provider for the Vercel AI SDK: image, video, speech and
 * transcription models by slug, all over one client (one team quota).
 */
export interface ModellixProvider extends ProviderV4 {
  /** An image model, for `generateImage`. */
  image(modelId: ModellixImageModelId): ImageModelV4;
  /** An image model, for `generateImage` (the same as {@link ModellixProvider.image}). */
  imageModel(modelId: ModellixImageModelId): ImageModelV4;
  /** A video model, for `experimental_generateVideo`. */
  video(modelId: ModellixVideoModelId): VideoModelV4;
  /** A video model, for `experimental_generateVideo` (the same as {@link ModellixProvider.video}). */
  videoModel(modelId: ModellixVideoModelId): VideoModelV4;
  /** A speech model, for `generateSpeech`. */
  speech(modelId: ModellixSpeechModelId): SpeechModelV4;
  /** A speech model, for `generateSpeech` (the same as {@link ModellixProvider.speech}). */
  speechModel(modelId: ModellixSpeechModelId): SpeechModelV4;
  /** A transcription model, for `transcribe`. */
  transcription(modelId: ModellixTranscriptionModelId): TranscriptionModelV4;
  /** A transcription model, for `transcribe` (the same as {@link ModellixProvider.transcription}). */
  transcriptionModel(modelId: ModellixTranscriptionModelId): TranscriptionModelV4;
  /** The client the models submit through: resume a task named in an error with `client.tasks.retrieve(taskId)`. */
  readonly client: Modellix;
}

/**
 * True for a client rather than options. Checked by shape, not `instanceof`,
 * so a client from the package's other build (CommonJS or ES module) counts too.
 */
function isClient(settings: ModellixProviderSettings): settings is Modellix {
  return typeof (settings as Partial<Modellix>).run === "function" && typeof (settings as Partial<Modellix>).tasks === "object";
}

/** A provider whose models use the client `client()` returns (called on first use). */
function providerOver(client: () => Modellix): ModellixProvider {
  const image = (modelId: ModellixImageModelId) => new ModellixImageModel(modelId, client);
  const video = (modelId: ModellixVideoModelId) => new ModellixVideoModel(modelId, client);
  const speech = (modelId: ModellixSpeechModelId) => new ModellixSpeechModel(modelId, client);
  const transcription = (modelId: ModellixTranscriptionModelId) => new ModellixTranscriptionModel(modelId, client);
  return {
    specificationVersion: "v4",
    image,
    imageModel: image,
    video,
    videoModel: video,
    speech,
    speechModel: speech,
    transcription,
    transcriptionModel: transcription,
    languageModel(modelId: string): never {
      throw new NoSuchModelError({ modelId, modelType: "languageModel", message: "Modellix has no language models: use an image, video, speech or transcription model." });
    },
    embeddingModel(modelId: string): never {
      throw new NoSuchModelError({ modelId, modelType: "embeddingModel", message: "Modellix has no embedding models: use an image, video, speech or transcription model." });
    },
    get client() {
      return client();
    },
  };
}

/**
 * A Modellix provider for the AI SDK, over a new client made from `settings`
 * (the client's options: `apiKey`, `baseURL`, `maxConcurrentTasks`, ...) or
 * over an existing client.
 *
 * ```ts
 * import { generateImage } from "ai";
 * import { createModellix } from "modellix/ai";
 *
 * const modellix = createModellix({ maxConcurrentTasks: 5 });
 * const { image } = await generateImage({ model: modellix.image("bytedance/seedream-4.5-t2i"), prompt: "a lighthouse", size: "2048x2048" });
 * ```
 */
export function createModellix(settings: ModellixProviderSettings = {}): ModellixProvider {
  const client = isClient(settings) ? settings : new Modellix(settings);
  return providerOver(() => client);
}

let defaultClient: Modellix | undefined;

/**
 * The default provider: its client reads `MODELLIX_API_KEY` (and
 * `MODELLIX_BASE_URL`) from the environment when a model is first called.
 */
export const modellix: ModellixProvider = providerOver(() => {
  defaultClient ??= new Modellix();
  return defaultClient;
});
