import type { FakeEnvelope } from "./envelope.js";

/** The fields the `missing-fields` fault drops: ones a client must not depend on. */
const OPTIONAL_FIELDS: ReadonlySet<string> = new Set([
  "model_id",
  "get_result",
  "created_at",
  "width",
  "height",
  "format",
  "duration",
  "role",
]);

/** The field the `extra-fields` fault adds to every object. */
export const EXTRA_FIELD = "x_fake_extra";

/** A copy of the envelope with an unknown field (itself an object) added to every object in it. */
export function withExtraFields(envelope: FakeEnvelope): FakeEnvelope {
  return mapObjects(envelope, (object) => ({ ...object, [EXTRA_FIELD]: { note: "unknown field from FakeModellix" } })) as FakeEnvelope;
}

/** A copy of the envelope whose `data` lacks every optional field, at any depth. */
export function withoutOptionalFields(envelope: FakeEnvelope): FakeEnvelope {
  const data = mapObjects(envelope.data, (object) =>
    Object.fromEntries(Object.entries(object).filter(([key]) => !OPTIONAL_FIELDS.has(key))),
  );
  return { ...envelope, data };
}

/** Rebuilds `value` bottom-up, passing every plain object through `edit`. */
function mapObjects(value: unknown, edit: (object: Record<string, unknown>) => Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((item) => mapObjects(item, edit));
  if (typeof value !== "object" || value === null) return value;
  const copy = Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapObjects(item, edit)]));
  return edit(copy);
}
