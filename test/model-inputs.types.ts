/**
 * Type tests for the generated inputs, checked by `tsc --noEmit` (the project
 * typecheck, and test/model-inputs.test.ts, which compiles this file alone).
 * Every `@ts-expect-error` line must be an error; every other line must compile.
 * `submit` mirrors the namespaces' declaration without depending on the client.
 */
import type { KnownModels, ModelSlug, Namespace } from "../src/models/catalog.js";
import type { MediaInput, ModelInput, SubmitInput } from "../src/models/inputs.js";

interface Namespaced<N extends Namespace> {
  submit<M extends ModelSlug<KnownModels[N]>>(input: SubmitInput<N, M>): M;
}
declare const t2i: Namespaced<"t2i">;
declare const i2i: Namespaced<"i2i">;
declare const t2v: Namespaced<"t2v">;
declare const i2v: Namespaced<"i2v">;
declare const expansion: Namespaced<"expansion">;
declare const tts: Namespaced<"tts">;
declare const blob: Blob;
declare const stream: ReadableStream<Uint8Array>;

/** Asserts at compile time that `A` and `B` are the same type. */
function same<A, B>(_proof: [A] extends [B] ? ([B] extends [A] ? true : false) : false): void {}

export function typeTests(): void {
  // A known model: its own fields, its size format, enums as unions; the slug is inferred.
  const seedream = t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "a lighthouse", size: "2048x2048", sequential_image_generation: "auto" });
  same<typeof seedream, "bytedance/seedream-4.5-t2i">(true);
  // @ts-expect-error a wrong enum value
  t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "a lighthouse", sequential_image_generation: "on" });
  // @ts-expect-error Seedream sizes are WIDTHxHEIGHT
  t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "a lighthouse", size: "2048*2048" });
  t2i.submit({ model: "alibaba/wan2.6-t2i", prompt: "a lighthouse", size: "1280*1280" });
  // @ts-expect-error Wan sizes are WIDTH*HEIGHT
  t2i.submit({ model: "alibaba/wan2.6-t2i", prompt: "a lighthouse", size: "1280x1280" });
  // @ts-expect-error gpt-image-2 sizes are an enum
  t2i.submit({ model: "openai/gpt-image-2", prompt: "a lighthouse", size: "1000x1000" });
  t2i.submit({ model: "openai/gpt-image-2", prompt: "a lighthouse", size: "1152x2048" });
  t2i.submit({ model: "alibaba/wan2.7-image", prompt: "a lighthouse", size: "2K" });
  // @ts-expect-error an integer enum
  t2v.submit({ model: "bytedance/seedance-1.5-pro-t2v", prompt: "waves", duration: 3 });

  // @ts-expect-error a missing required field
  t2i.submit({ model: "bytedance/seedream-4.5-t2i" });
  // @ts-expect-error a field of the wrong type
  t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: 42 });

  // Completions narrow: another model's field is an excess property.
  // @ts-expect-error aspectRatio belongs to the Google models, not to Seedream
  t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "a lighthouse", aspectRatio: "1:1" });
  // @ts-expect-error the same in a typed variable
  const typed: ModelInput<"bytedance/seedream-4.5-t2i"> = { model: "bytedance/seedream-4.5-t2i", prompt: "x", ratio: "16:9" };
  void typed;

  // An unknown slug (or a doc spelling) accepts any field, passed through.
  const fresh = t2i.submit({ model: "acme/brand-new-model", prompt: "x", guidance: 7.5, extras: { nested: [1, 2] } });
  same<typeof fresh, "acme/brand-new-model">(true);
  t2i.submit({ model: "bytedance/seedream-4-5-t2i", prompt: "x", anything: true });
  // @ts-expect-error but its prompt must still be a string
  t2i.submit({ model: "acme/brand-new-model", prompt: 5 });

  // No model: M stays the whole constraint (so editors complete every slug), read as the default model's input.
  const byDefault = t2i.submit({ prompt: "a lighthouse", aspectRatio: "16:9" });
  same<typeof byDefault, ModelSlug<KnownModels["t2i"]>>(true);
  // @ts-expect-error the default model (nano-banana-2-lite) requires a prompt
  t2i.submit({ aspectRatio: "16:9" });
  // @ts-expect-error nor does the default take another model's field
  t2i.submit({ prompt: "a lighthouse", size: "1024x1024" });
  tts.submit({ text: "hello", voice: "Cherry" });
  // @ts-expect-error the default TTS model needs a voice
  tts.submit({ text: "hello" });
  i2v.submit({ prompt: "the cat waves", first_frame_image: blob });
  // The default expansion model has no known parameters: anything goes.
  expansion.submit({ image: "https://example.com/cat.png", up_expansion_ratio: 0.5 });

  // A non-default model cannot leave out its slug.
  // @ts-expect-error model is required for a model that is not the default
  t2i.submit<"bytedance/seedream-4.5-t2i">({ prompt: "a lighthouse" });

  // Media fields take URLs or binary data; arrays where the model wants arrays.
  i2i.submit({ model: "bytedance/seedream-5.0-lite-edit", prompt: "make it blue", image: ["https://example.com/a.png", blob] });
  // @ts-expect-error edit models take an array of images
  i2i.submit({ model: "bytedance/seedream-5.0-lite-edit", prompt: "make it blue", image: "https://example.com/a.png" });
  i2v.submit({ model: "minimax/hailuo-2.3-i2v", first_frame_image: new Uint8Array(8) });
  i2v.submit({ model: "vidu/viduq3-turbo-i2v", first_frame_image: stream, resolution: "1080p" });
  // @ts-expect-error resolution case matters
  i2v.submit({ model: "vidu/viduq3-turbo-i2v", first_frame_image: stream, resolution: "1080P" });
  // @ts-expect-error a number is no file
  i2v.submit({ model: "bytedance/seedance-2.0-fast-i2v", prompt: "x", first_frame_image: 5 });
  const file: MediaInput = new ArrayBuffer(4);
  i2v.submit({ model: "vidu/viduq3-mix-r2v", prompt: "two friends", reference_images: [file] });

  // Wan 2.7 i2v takes first_frame or first_clip (or both): at least one of them.
  i2v.submit({ model: "alibaba/wan2.7-i2v", prompt: "the cat waves", first_frame: blob });
  i2v.submit({ model: "alibaba/wan2.7-i2v", prompt: "it goes on", first_clip: "https://example.com/clip.mp4", last_frame: blob });
  i2v.submit({ model: "alibaba/wan2.7-i2v", first_frame: blob, first_clip: stream });
  // @ts-expect-error neither first_frame nor first_clip
  i2v.submit({ model: "alibaba/wan2.7-i2v", prompt: "the cat waves", last_frame: blob });
  // @ts-expect-error the alternatives keep their types
  i2v.submit({ model: "alibaba/wan2.7-i2v", first_clip: 5 });
  // @ts-expect-error and other fields stay checked
  i2v.submit({ model: "alibaba/wan2.7-i2v", first_frame: blob, resolution: "720p" });
}
