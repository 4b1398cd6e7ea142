/** The SDK internals the breakdown times one by one, built together with the public entries (see sdk.ts). */
export { readEnvelope } from "../../src/core/envelope.js";
export { parseRateLimit } from "../../src/core/rate-limit.js";
export { defaultRetryPolicy, withRetries } from "../../src/core/retry.js";
export { prepareSubmit, specOf } from "../../src/resources/submit.js";
export { fetchWithin } from "../../src/core/http.js";
