/**
 * The Vercel AI SDK with Modellix models (`modellix/ai`): an image, a video, speech and a
 * transcript through `generateImage`, `experimental_generateVideo`, `generateSpeech` and
 * `transcribe`, each model getting its own fields.
 *
 *   MODELLIX_API_KEY=... npx tsx examples/ai-sdk.ts
 *
 * `npm run examples` runs it against the bundled fake (MODELLIX_BASE_URL is its URL).
 */
import { experimental_generateVideo as generateVideo, generateImage, generateSpeech, transcribe } from "ai";
import { ValidationError } from "modellix";
import { modellix } from "modellix/ai";

// The default provider's client reads MODELLIX_API_KEY (and MODELLIX_BASE_URL) on first use.
const image = await generateImage({ model: modellix.image("bytedance/seedream-4.5-t2i"), prompt: "a lighthouse at dawn", size: "2048x2048" });
console.log(`image: ${image.image.mediaType}, ${image.image.uint8Array.length} bytes, task ${JSON.stringify(image.providerMetadata.modellix?.images[0])}`);

// Qwen takes "W*H" from a list of sizes: the nearest is sent, with a compatibility warning.
const qwen = await generateImage({ model: modellix.image("alibaba/qwen-image"), prompt: "a red fox", size: "1024x1024" });
console.log(`qwen: ${qwen.warnings.map((warning) => ("details" in warning ? warning.details : warning.type)).join("; ")}`);

const video = await generateVideo({ model: modellix.video("bytedance/seedance-2.0-mini-t2v"), prompt: "waves on a shore", duration: 5, aspectRatio: "16:9" });
console.log(`video: ${video.video.mediaType}, ${video.video.uint8Array.length} bytes`);

const speech = await generateSpeech({ model: modellix.speech("alibaba/qwen-audio-3.0-tts-flash"), text: "Hello from Modellix", voice: "Cherry" });
console.log(`speech: ${speech.audio.mediaType}, ${speech.audio.uint8Array.length} bytes`);

// The audio bytes are uploaded through the media-file API, then transcribed.
const transcript = await transcribe({ model: modellix.transcription("openai/whisper-1"), audio: speech.audio.uint8Array });
console.log(`transcript: ${transcript.text}`);

// Each model's own checks run before anything is sent (and before anything is paid).
try {
  await generateVideo({ model: modellix.video("bytedance/seedance-2.0-mini-t2v"), prompt: "waves", duration: 60 });
} catch (error) {
  if (!(error instanceof ValidationError)) throw error;
  console.log(`refused before sending: ${error.message}`);
}
