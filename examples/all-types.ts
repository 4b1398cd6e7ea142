/**
 * All five generation types: text to image, then from that image an edit (i2i),
 * a video (i2v) and an expansion, plus a text-to-video clip. The four follow-ups
 * are submitted at once; beyond the team quota (3 running tasks) they wait locally.
 *
 *   MODELLIX_API_KEY=... npx tsx examples/all-types.ts
 */
import Modellix, { type TaskResult } from "modellix";

const client = new Modellix(); // reads MODELLIX_API_KEY and MODELLIX_BASE_URL

const image = await client.textToImage({ prompt: "a red fox in fresh snow", size: "1024*1024" }).wait();
const source = image.resources[0]?.url;
if (!source) throw new Error("the text-to-image task returned no image");

const [edited, video, clip, expanded] = await Promise.all([
  client.imageToImage({ prompt: "the same scene at night, under a full moon", image: source }).wait(),
  client.imageToVideo({ image: source, prompt: "the fox turns its head and runs off", duration: 5 }).wait(),
  client.textToVideo({ prompt: "snow falling in a quiet pine forest", duration: 5 }).wait(),
  client.expandImage({ image: source, left_expansion_ratio: 0.5, right_expansion_ratio: 0.5 }).wait(),
]);

const results: Record<string, TaskResult> = { t2i: image, i2i: edited, i2v: video, t2v: clip, expansion: expanded };
for (const [type, result] of Object.entries(results)) {
  console.log(`${type.padEnd(9)} ${result.model}: ${result.resources.map((resource) => resource.url).join(", ")}`);
}
