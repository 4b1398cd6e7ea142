/** The SDK internals the HTTP-layer breakdown times one by one, built together with the public entries (see sdk.ts). */
export { Transport } from "../../src/core/transport.js";
export { createLogger } from "../../src/core/logger.js";
export { defaultRetryPolicy } from "../../src/core/retry.js";
export { withinDeadline } from "../../src/core/http.js";
export { readEnvelope } from "../../src/core/envelope.js";
export { parseRateLimit } from "../../src/core/rate-limit.js";
export { prepareInput } from "../../src/models/prepare.js";
