/** The API's model types, as `GET /models` spells them. */
export const FAKE_MODEL_TYPES = [
  "text-to-image",
  "image-to-image",
  "text-to-video",
  "image-to-video",
  "video-to-video",
  "text-to-speech",
  "speech-to-text",
  "speech-to-speech",
] as const;

/** One of {@link FAKE_MODEL_TYPES}. */
export type FakeModelType = (typeof FAKE_MODEL_TYPES)[number];

/**
 * What a finished task of a model type produces: image, video or audio files,
 * or (speech-to-text) a transcript in `result.metadata.text` and no files.
 */
export type FakeOutputKind = "image" | "video" | "audio" | "text";

const OUTPUT: Readonly<Record<FakeModelType, FakeOutputKind>> = {
  "text-to-image": "image",
  "image-to-image": "image",
  "text-to-video": "video",
  "image-to-video": "video",
  "video-to-video": "video",
  "text-to-speech": "audio",
  "speech-to-text": "text",
  "speech-to-speech": "audio",
};

/** True for a {@link FakeModelType}. */
export function isModelType(value: unknown): value is FakeModelType {
  return typeof value === "string" && (FAKE_MODEL_TYPES as readonly string[]).includes(value);
}

/** What tasks of this type produce. */
export function outputOf(type: FakeModelType): FakeOutputKind {
  return OUTPUT[type];
}

/** Model-id endings that tell the type of a model the fake does not know (with `strictModels: false`). */
const SUFFIX_TYPES: ReadonlyArray<[RegExp, FakeModelType]> = [
  [/(^|-)t2v$/, "text-to-video"],
  [/(^|-)(i2v|r2v)$/, "image-to-video"],
  [/(^|-)v2v$/, "video-to-video"],
  [/(^|-)(i2i|edit)$/, "image-to-image"],
  [/(^|-)tts(-|$)/, "text-to-speech"],
  [/(^|-)(stt|whisper)(-|$)/, "speech-to-text"],
  [/(^|-)sts(-|$)/, "speech-to-speech"],
];

/** A best guess at the type of an unknown model from its id's ending; `text-to-image` when nothing matches. */
export function guessModelType(modelId: string): FakeModelType {
  const id = modelId.toLowerCase();
  return SUFFIX_TYPES.find(([pattern]) => pattern.test(id))?.[1] ?? "text-to-image";
}
