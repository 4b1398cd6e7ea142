/** The account's reads: checking the key and the team's balance (in the chunk of the client's occasional reads). */
import { AuthenticationError } from "../core/errors.js";
import { dataRecord, invalidResponse } from "../core/response-data.js";
import type { WithResponse } from "../core/response-promise.js";
import type { APIResponse, RequestOptions, Transport } from "../core/transport.js";

/** The team's balance, as `GET /team/balance` reports it. */
export interface AccountBalance {
  /** The balance in USD (`data.balance`). Submits fail with `InsufficientBalanceError` (402) once it is used up. */
  amount: number;
  /** The answer's raw `data`, with every field the API sent. */
  data: Record<string, unknown>;
}

/** `GET /apikey/validate`: false for a missing, wrong or revoked key. */
export async function validateKey(transport: Transport, options: RequestOptions): Promise<WithResponse<boolean>> {
  let response: APIResponse;
  try {
    response = await transport.get("apikey/validate", options);
  } catch (error) {
    if (error instanceof AuthenticationError) return { data: false, response: new Response(null, { status: error.status }) };
    throw error;
  }
  const { is_valid: valid } = dataRecord(response, "data.is_valid (a boolean)");
  if (typeof valid !== "boolean") throw invalidResponse(response, "data.is_valid (a boolean)");
  return { data: valid, response: response.response };
}

/** `GET /team/balance`. */
export async function readBalance(transport: Transport, options: RequestOptions): Promise<WithResponse<AccountBalance>> {
  const response = await transport.get("team/balance", options);
  const data = dataRecord(response, "data.balance (a number)");
  if (typeof data.balance !== "number" || !Number.isFinite(data.balance)) throw invalidResponse(response, "data.balance (a number)");
  return { data: { amount: data.balance, data }, response: response.response };
}
