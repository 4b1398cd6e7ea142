import { isLocalHost } from "./base-url.js";
import { ValidationError } from "./errors.js";

/**
 * Checks a webhook URL (client option `webhookUrl`, or a submit's) and returns
 * it normalised, ready for the `X-Webhook-URL` header: https, or plain http
 * for localhost only, at most 2048 characters. Throws a {@link ValidationError}
 * naming `name`, which never echoes the URL (its query often holds a secret).
 */
export function checkWebhookUrl(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = typeof value === "string" && value.length <= 2048 ? new URL(value) : undefined;
  } catch {
    // not a URL: refused below
  }
  if (url && (url.protocol === "https:" || (url.protocol === "http:" && isLocalHost(url.hostname)))) return url.href;
  throw new ValidationError([{ path: name, message: "must be an https URL (http only for localhost), 2048 characters at most" }], "options");
}
