import * as z from "zod/mini";
import { AuthenticationError } from "../core/errors.js";
import { parseData } from "../core/response-data.js";
import type { RequestOptions, Transport } from "../core/transport.js";

/** The team's balance, as `GET /team/balance` reports it. */
export interface AccountBalance {
  /** The balance (`data.balance`). Submits fail with `InsufficientBalanceError` (402) once it is used up. */
  amount: number;
  /** The answer's raw `data`, with every field the API sent. */
  data: Record<string, unknown>;
}

const validation = z.looseObject({ is_valid: z.boolean() });
const balance = z.looseObject({ balance: z.number() });

/** The API key and the team's account. */
export class Account {
  readonly #transport: Transport;

  /** @internal */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Checks the API key (`GET /apikey/validate`): false for a missing, wrong or revoked key. */
  async validateKey(options: RequestOptions = {}): Promise<boolean> {
    try {
      const response = await this.#transport.get("apikey/validate", options);
      return parseData(validation, response, "data.is_valid (a boolean)").is_valid;
    } catch (error) {
      if (error instanceof AuthenticationError) return false;
      throw error;
    }
  }

  /** The team's balance (`GET /team/balance`). */
  async balance(options: RequestOptions = {}): Promise<AccountBalance> {
    const response = await this.#transport.get("team/balance", options);
    const data = parseData(balance, response, "data.balance (a number)");
    return { amount: data.balance, data };
  }
}
