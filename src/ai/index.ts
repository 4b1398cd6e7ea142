/**
 * `modellix/ai`: the Modellix provider for the Vercel AI SDK (`ai` 7). Every
 * catalog model behind `generateImage`, `experimental_generateVideo`,
 * `generateSpeech` and `transcribe`, with each model's own fields, the team
 * quota, and no second paid task through the AI SDK's retries.
 *
 * ```ts
 * import { experimental_generateVideo as generateVideo, generateImage } from "ai";
 * import { modellix } from "modellix/ai";
 *
 * const { image } = await generateImage({ model: modellix.image("bytedance/seedream-4.5-t2i"), prompt: "a lighthouse", size: "2048x2048" });
 * const { video } = await generateVideo({ model: modellix.video("bytedance/seedance-2.0-mini-t2v"), prompt: "waves", duration: 5, aspectRatio: "16:9" });
 * ```
 *
 * Needs `@ai-sdk/provider` 4 (a peer dependency, installed with `ai`).
 *
 * @packageDocumentation
 */
export { createModellix, modellix } from "./provider.js";
export type {
  ModellixImageModelId,
  ModellixProvider,
  ModellixProviderSettings,
  ModellixSpeechModelId,
  ModellixTranscriptionModelId,
  ModellixVideoModelId,
} from "./provider.js";
