/**
 * One task in each of the nine namespaces, each model with its own parameters:
 * an image and a voice line first, then from them an edit (i2i), an expansion,
 * a video (i2v) and its restyling (v2v), a text-to-video clip, a transcript
 * (stt) and a cloned voice (sts). Tasks submitted together beyond the team
 * quota (3 running tasks) wait locally for a free slot.
 *
 *   MODELLIX_API_KEY=... npx tsx examples/all-types.ts
 */
import Modellix, { type TaskResult } from "modellix";

const client = new Modellix(); // reads MODELLIX_API_KEY and MODELLIX_BASE_URL

const [image, speech] = await Promise.all([
  client.t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "a red fox in fresh snow", size: "2048x2048" }).wait(),
  client.tts.submit({ model: "alibaba/qwen-audio-3.0-tts-flash", text: "The fox crossed the frozen river at dawn.", voice: "Cherry" }).wait(),
]);
const picture = firstURL(image);
const voice = firstURL(speech);

const [video, edited, expanded, clip, transcript, cloned] = await Promise.all([
  client.i2v.submit({ model: "bytedance/seedance-2.0-fast-i2v", first_frame_image: picture, prompt: "the fox turns its head and runs off", duration: 5 }).wait(),
  client.i2i.submit({ model: "bytedance/seedream-5.0-lite-edit", image: [picture], prompt: "the same scene at night, under a full moon" }).wait(),
  // The expansion model's parameters are not in the catalog yet: its fields pass through unchecked.
  client.expansion.submit({ model: "kling/kling-image-expansion", image: picture, left_expansion_ratio: 0.5, right_expansion_ratio: 0.5 }).wait(),
  client.t2v.submit({ model: "alibaba/wan2.6-t2v", prompt: "snow falling in a quiet pine forest", size: "1280*720", duration: 5 }).wait(),
  client.stt.submit({ model: "openai/whisper-1", url: voice }).wait(),
  client.sts.submit({ model: "alibaba/cosyvoice-clone", url: voice, text: "And the forest fell silent again." }).wait(),
]);
const restyled = await client.v2v
  .submit({ model: "bytedance/seedance-2.0-fast-v2v", video_urls: [firstURL(video)], prompt: "[Video 1] as a watercolour painting" })
  .wait();

const results: Record<string, TaskResult> = { t2i: image, tts: speech, i2v: video, i2i: edited, expansion: expanded, t2v: clip, stt: transcript, sts: cloned, v2v: restyled };
for (const [namespace, result] of Object.entries(results)) {
  const output = result.resources.map((resource) => `${resource.type} ${resource.url}`).join(", ") || `"${transcriptOf(result)}"`;
  console.log(`${namespace.padEnd(9)} ${result.model}: ${output}`);
}

function firstURL(result: TaskResult): string {
  const url = result.resources[0]?.url;
  if (!url) throw new Error(`task ${result.id} (${result.model}) returned no file`);
  return url;
}

/** A speech-to-text task returns no file: its text is in the task's `result.metadata.text`. */
function transcriptOf(result: TaskResult): string {
  const output = result.data.result;
  const metadata = typeof output === "object" && output !== null && "metadata" in output ? output.metadata : undefined;
  const text = typeof metadata === "object" && metadata !== null && "text" in metadata ? metadata.text : undefined;
  return typeof text === "string" ? text : "(no transcript)";
}
