import { type ResponsePromise, responsePromise } from "../core/response-promise.js";
import type { RequestOptions, Transport } from "../core/transport.js";

/** The team's balance, as `GET /team/balance` reports it. */
export interface AccountBalance {
  /** The balance in USD (`data.balance`). Submits fail with `InsufficientBalanceError` (402) once it is used up. */
  amount: number;
  /** The answer's raw `data`, with every field the API sent. */
  data: Record<string, unknown>;
}

/** The API key and the team's account. (The code behind these methods loads on first use.) */
export class Account {
  readonly #transport: Transport;

  /** @internal */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Checks the API key (`GET /apikey/validate`): false for a missing, wrong or revoked key (a 200 `is_valid: false` or a 401). */
  validateKey(options: RequestOptions = {}): ResponsePromise<boolean> {
    return responsePromise(loadAccountReads().then((reads) => reads.validateKey(this.#transport, options)));
  }

  /** The team's balance (`GET /team/balance`). */
  balance(options: RequestOptions = {}): ResponsePromise<AccountBalance> {
    return responsePromise(loadAccountReads().then((reads) => reads.readBalance(this.#transport, options)));
  }
}

/** The code behind {@link Account}, loaded on first use: the browser entry carries none of it. */
function loadAccountReads(): Promise<typeof import("./account-reads.js")> {
  return import("./account-reads.js");
}
