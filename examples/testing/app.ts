/** A piece of an application that uses Modellix: the code under test in `app.test.ts`. */
import type Modellix from "modellix";

/** Generates a square thumbnail for `prompt` and returns its URL. */
export async function generateThumbnail(client: Modellix, prompt: string): Promise<string> {
  const result = await client.textToImage({ model: "bytedance/seedream-4-5-t2i", prompt, size: "512*512" }).wait();
  const url = result.resources[0]?.url;
  if (!url) throw new Error(`task ${result.taskId} returned no image`);
  return url;
}
