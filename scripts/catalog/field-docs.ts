/**
 * What the common body fields mean, for the hover docs of a field the catalog
 * describes with no words of its own (most `prompt`, `seed`, `duration`,
 * `aspectRatio` ... fields). Keyed by the field name without case or
 * separators, so `aspect_ratio` and `aspectRatio` share one entry.
 */
import { fieldKey } from "../../src/models/suggestions.js";

const FIELD_DOCS: Readonly<Record<string, string>> = {
  prompt: "What to generate, in words",
  negativeprompt: "What to keep out of the result",
  text: "The text to work on (to speak, for a voice model)",
  seed: "Random seed: the same seed and input give a similar result",
  n: "How many outputs to generate",
  samplecount: "How many outputs to generate",
  maximages: "The most images to generate",
  size: "Output size",
  width: "Output width, in pixels",
  height: "Output height, in pixels",
  aspectratio: "Aspect ratio of the output, width:height",
  ratio: "Aspect ratio of the output, width:height",
  resolution: "Output resolution",
  imagesize: "Output resolution tier",
  quality: "Output quality",
  outputformat: "File format of the output",
  background: "Background of the output",
  duration: "Length of the video, in seconds",
  durationseconds: "Length of the video, in seconds",
  frames: "Number of frames of the video",
  mode: "Generation mode",
  promptextend: "Let the model expand the prompt before generating",
  promptoptimizer: "Let the model rewrite the prompt before generating",
  optimizepromptmode: "How the prompt is rewritten before generating",
  thinkingmode: "Let the model reason about the prompt before generating",
  camerafixed: "Keep the camera still",
  generateaudio: "Generate a soundtrack with the video",
  sound: "Generate sound with the video",
  persongeneration: "Whether people may appear in the output",
  cfgscale: "How closely to follow the prompt (higher: closer)",
  imagefidelity: "How closely the output keeps to the input image",
  humanfidelity: "How closely the output keeps the person's features",
  executionexpiresafter: "Seconds after which the provider gives up on an unfinished task",
  servicetier: "The provider's service tier",
  multishot: "Generate several shots in one video",
  shottype: "How the shots of a multi-shot video are planned",
  returnlastframe: "Also return the video's last frame as an image",
  sequentialimagegeneration: "Batch mode: generate a set of related images instead of one",
  sequentialimagegenerationmaximages: "The most images batch mode generates",
  enablesequential: "Batch mode: generate a set of related images instead of one",
  enableinterleave: "Interleave text and images in the output",
  fastpretreatment: "Faster preprocessing of the input",
  template: "An effect template",
  image: "The input image",
  images: "The input images",
  referenceimages: "Reference images (style, subject or character)",
  referencevideos: "Reference videos",
  firstframeimage: "The video's first frame",
  startimage: "The video's first frame",
  lastframe: "The video's last frame",
  lastframeimage: "The video's last frame",
  imagetail: "The video's last frame",
  keyimages: "Keyframes the video passes through",
  staticmask: "Motion brush: the area that stays still",
  dynamicmasks: "Motion brush: areas and the paths they move along",
  imagereference: "What the reference image gives: the subject or the face",
  sceneimage: "The scene to place the subjects in",
  styleimage: "The style to follow",
};

/** What a common field means, when the table knows it. */
export function commonFieldDoc(name: string): string | undefined {
  const key = fieldKey(name);
  return Object.hasOwn(FIELD_DOCS, key) ? FIELD_DOCS[key] : undefined;
}
