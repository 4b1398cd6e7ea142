/**
 * Speech calls (`generateSpeech`) and transcription calls (`transcribe`) as a
 * model's body: text, voice and language in the TTS model's fields; the audio
 * in the STT model's file field.
 */
import type { SpeechModelV4CallOptions, TranscriptionModelV4CallOptions } from "@ai-sdk/provider";
import { RequestBody } from "./body.js";
import type { ModelFacts } from "./catalog.js";

/** The body of a speech call, and its warnings. */
export function speechBody(model: ModelFacts, options: SpeechModelV4CallOptions): RequestBody {
  const body = new RequestBody(model);
  body.place("text", options.text, ["text"]);
  body.place("voice", options.voice, ["voice"]);
  body.place("language", options.language, ["language_hint", "language"]);
  body.place("outputFormat", options.outputFormat, ["output_format", "format"]);
  body.place("speed", options.speed, ["speed"]);
  body.place("instructions", options.instructions, ["instructions"]);
  return body;
}

/**
 * The body of a transcription call, and its warnings: `audio` (a URL, or a
 * `Blob` the client uploads) in the model's first file field (`url` for Whisper).
 */
export function transcriptionBody(
  model: ModelFacts,
  audio: string | Blob,
  options: Pick<TranscriptionModelV4CallOptions, "timestampGranularities">,
): RequestBody {
  const body = new RequestBody(model);
  const field = body.mediaParams()[0];
  body.place("audio", audio, field ? [field.name] : []);
  if (options.timestampGranularities?.length) body.unsupported("timestampGranularities");
  return body;
}
