import type { Reply } from "./envelope.js";

/** The fields the `missing-fields` fault drops: ones a client must not depend on. */
export const OPTIONAL_FIELDS: ReadonlySet<string> = new Set([
  "model_id",
  "get_result",
  "created_at",
  "result_expires_at",
  "extensions",
  "metadata",
  "width",
  "height",
  "format",
  "duration",
  "role",
  "docs_url",
  "description",
]);

/** The field the `extra-fields` fault adds to every object. */
export const EXTRA_FIELD = "x_fake_extra";

/** A copy of the reply with an unknown field (itself an object) added to every object of its body. */
export function withExtraFields(reply: Reply): Reply {
  const body = mapObjects(reply.body, (object) => ({ ...object, [EXTRA_FIELD]: { note: "unknown field from FakeModellix" } }));
  return { ...reply, body: body as Reply["body"] };
}

/**
 * A copy of the reply lacking every optional field at any depth: in the envelope's
 * `data`, or in the whole body when it is not enveloped (`GET /models`).
 */
export function withoutOptionalFields(reply: Reply): Reply {
  const strip = (value: unknown) =>
    mapObjects(value, (object) => Object.fromEntries(Object.entries(object).filter(([key]) => !OPTIONAL_FIELDS.has(key))));
  const body = reply.enveloped ? { ...reply.body, data: strip(reply.body.data) } : strip(reply.body);
  return { ...reply, body: body as Reply["body"] };
}

/** Rebuilds `value` bottom-up, passing every plain object through `edit`. */
function mapObjects(value: unknown, edit: (object: Record<string, unknown>) => Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((item) => mapObjects(item, edit));
  if (typeof value !== "object" || value === null) return value;
  const copy = Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapObjects(item, edit)]));
  return edit(copy);
}
