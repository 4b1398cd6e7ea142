/** A piece of an application that uses Modellix: the code under test in `app.test.ts`. */
import type Modellix from "modellix";

/** Generates a square cover image for `prompt` and returns its URL. */
export async function generateCover(client: Modellix, prompt: string): Promise<string> {
  const result = await client.t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt, size: "2048x2048" }).wait();
  const url = result.resources[0]?.url;
  if (!url) throw new Error(`task ${result.id} returned no image`);
  return url;
}

/** Turns the user's own picture into a short clip: the SDK uploads the bytes, then submits their URL. */
export async function animatePhoto(client: Modellix, photo: Blob, prompt: string): Promise<string> {
  const result = await client.i2v.submit({ model: "bytedance/seedance-2.0-fast-i2v", first_frame_image: photo, prompt, duration: 5 }).wait();
  const url = result.resources[0]?.url;
  if (!url) throw new Error(`task ${result.id} returned no video`);
  return url;
}
