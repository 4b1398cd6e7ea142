/** The task types of the typed submit path `POST /{type}/{provider}/{model_id}/async`. */
export const FAKE_TASK_TYPES = ["t2i", "i2v", "t2v", "i2i", "expansion", "r2v", "v2v"] as const;

/** One of {@link FAKE_TASK_TYPES}. */
export type FakeTaskType = (typeof FAKE_TASK_TYPES)[number];

const VIDEO_TYPES: ReadonlySet<FakeTaskType> = new Set(["i2v", "t2v", "r2v", "v2v"]);

/** True for a {@link FakeTaskType}. */
export function isTaskType(value: string): value is FakeTaskType {
  return (FAKE_TASK_TYPES as readonly string[]).includes(value);
}

/** True when tasks of this type produce videos (mp4), false for images (png). */
export function isVideoType(type: FakeTaskType): boolean {
  return VIDEO_TYPES.has(type);
}
