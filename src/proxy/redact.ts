/**
 * A function that replaces the API key with `[redacted]` in a text, in every
 * spelling an upstream echo may use: as is, URL-encoded and JSON-escaped.
 * It runs on whole texts (a full body, a header value), never on pieces, so a
 * key cannot escape by being split.
 */
export function keyRedactor(apiKey: string): (text: string) => string {
  const spellings = [...new Set([apiKey, encodeURIComponent(apiKey), JSON.stringify(apiKey).slice(1, -1)])].filter((spelling) => spelling !== "");
  return (text) => spellings.reduce((scrubbed, spelling) => scrubbed.split(spelling).join("[redacted]"), text);
}
