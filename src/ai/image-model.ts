/** The AI SDK image model (`ImageModelV4`) of a Modellix text-to-image, image-to-image or expansion model. */
import type { ImageModelV4, ImageModelV4CallOptions, ImageModelV4Result, JSONObject } from "@ai-sdk/provider";
import type { Modellix, Resource } from "../index.js";
import { modelFacts } from "./catalog.js";
import { imageBody, imagesPerTask } from "./image-body.js";
import { download } from "./media.js";
import { responseOf, run, taskMetadata } from "./task-call.js";

/**
 * What `providerMetadata.modellix.images` says of one image: its task (the AI
 * SDK keeps only this list of each call's metadata), its URL and size.
 */
function imageMetadata(task: JSONObject, resource: Resource): JSONObject {
  const { url, width, height } = resource;
  return { ...task, url, ...(typeof width === "number" ? { width } : {}), ...(typeof height === "number" ? { height } : {}) };
}

/**
 * One Modellix image model. Each `doGenerate` is one task: submitted once,
 * waited for, its images downloaded through the client. `maxImagesPerCall` is
 * what one task of the model can make, so `generateImage({ n })` makes one
 * task per call, all of them under the client's team quota.
 */
export class ModellixImageModel implements ImageModelV4 {
  readonly specificationVersion = "v4";
  readonly provider = "modellix.image";
  readonly modelId: string;
  readonly #client: () => Modellix;

  constructor(modelId: string, client: () => Modellix) {
    this.modelId = modelId;
    this.#client = client;
  }

  /** The most images one task of the model makes (its `n` or `sampleCount` range; 1 for most models). */
  readonly maxImagesPerCall = async (): Promise<number> => imagesPerTask(await modelFacts(this.modelId, "image", () => "t2i"));

  async doGenerate(options: ImageModelV4CallOptions): Promise<ImageModelV4Result> {
    const model = await modelFacts(this.modelId, "image", () => (options.files?.length ? "i2i" : "t2i"));
    const request = imageBody(model, options);
    const call = { client: this.#client(), model, body: request.finish(options.providerOptions), signal: options.abortSignal, headers: options.headers };
    const { task, result, after } = await run(call);
    const files = result.resources.filter((resource) => resource.type === "image");
    const images = await after(() => Promise.all(files.map(async (file) => (await download(file, options.abortSignal)).data)));
    const metadata = taskMetadata(task.id, model.slug, result.expiresAt);
    return {
      images,
      // Never retried by the AI SDK, even when empty: a retry would pay for a second task.
      isRetryable: false,
      warnings: request.warnings,
      providerMetadata: { modellix: { ...metadata, images: files.map((file) => imageMetadata(metadata, file)) } },
      response: responseOf(task, model),
    };
  }
}
