import { AuthenticationError } from "../core/errors.js";
import { dataRecord, invalidResponse } from "../core/response-data.js";
import { type ResponsePromise, responsePromise } from "../core/response-promise.js";
import type { RequestOptions, Transport } from "../core/transport.js";

/** The team's balance, as `GET /team/balance` reports it. */
export interface AccountBalance {
  /** The balance in USD (`data.balance`). Submits fail with `InsufficientBalanceError` (402) once it is used up. */
  amount: number;
  /** The answer's raw `data`, with every field the API sent. */
  data: Record<string, unknown>;
}

/** The API key and the team's account. */
export class Account {
  readonly #transport: Transport;

  /** @internal */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Checks the API key (`GET /apikey/validate`): false for a missing, wrong or revoked key (a 200 `is_valid: false` or a 401). */
  validateKey(options: RequestOptions = {}): ResponsePromise<boolean> {
    return responsePromise(
      this.#transport.get("apikey/validate", options).then(
        (response) => {
          const { is_valid: valid } = dataRecord(response, "data.is_valid (a boolean)");
          if (typeof valid !== "boolean") throw invalidResponse(response, "data.is_valid (a boolean)");
          return { data: valid, response: response.response };
        },
        (error: unknown) => {
          if (error instanceof AuthenticationError) return { data: false, response: new Response(null, { status: error.status }) };
          throw error;
        },
      ),
    );
  }

  /** The team's balance (`GET /team/balance`). */
  balance(options: RequestOptions = {}): ResponsePromise<AccountBalance> {
    return responsePromise(
      this.#transport.get("team/balance", options).then((response) => {
        const data = dataRecord(response, "data.balance (a number)");
        if (typeof data.balance !== "number" || !Number.isFinite(data.balance)) throw invalidResponse(response, "data.balance (a number)");
        return { data: { amount: data.balance, data }, response: response.response };
      }),
    );
  }
}
