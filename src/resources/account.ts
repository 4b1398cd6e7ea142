import { onDemand } from "../core/on-demand.js";
import { type ResponsePromise, responsePromise } from "../core/response-promise.js";
import type { RequestOptions, Transport } from "../core/transport.js";
import type { AccountBalance } from "./account-reads.js";

export type { AccountBalance } from "./account-reads.js";

/** The code behind these methods, in the chunk of the client's occasional reads, loaded on first use. */
const loadReads = onDemand(() => import("./reads.js"));

/** The API key and the team's account. */
export class Account {
  readonly #transport: Transport;

  /** @internal */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Checks the API key (`GET /apikey/validate`): false for a missing, wrong or revoked key (a 200 `is_valid: false` or a 401). */
  validateKey(options: RequestOptions = {}): ResponsePromise<boolean> {
    return responsePromise(loadReads().then(({ validateKey }) => validateKey(this.#transport, options)));
  }

  /** The team's balance (`GET /team/balance`). */
  balance(options: RequestOptions = {}): ResponsePromise<AccountBalance> {
    return responsePromise(loadReads().then(({ readBalance }) => readBalance(this.#transport, options)));
  }
}
