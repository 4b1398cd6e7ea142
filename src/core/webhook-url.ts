import { isLocalHost } from "./base-url.js";
import { ValidationError } from "./errors.js";

/** The longest webhook URL accepted, in characters. */
const maxLength = 2048;

/**
 * Checks a webhook URL (client option `webhookUrl`, or a submit's) and returns
 * it normalised, ready for the `X-Webhook-URL` header: https, or plain http
 * for localhost only. Throws a {@link ValidationError} naming `name`; the
 * message shows only the URL's scheme and host, never its path or query
 * (where a receiver's secret token often sits).
 */
export function checkWebhookUrl(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const fail = (message: string) => new ValidationError([{ path: name, message }], "options");
  if (typeof value !== "string" || value.length > maxLength) throw fail(`must be a URL string of at most ${maxLength} characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fail("must be an absolute URL, such as https://app.example/api/modellix-webhook");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLocalHost(url.hostname))) {
    throw fail(`must use https (plain http only for localhost): ${url.protocol}//${url.host}`);
  }
  return url.href;
}
