import { describe, expect, it } from "vitest";
import { AuthenticationError, InsufficientBalanceError, InvalidResponseError } from "modellix";
import { drive, driveToError, secretKey, setup, useFakeTimersInEachTest } from "./helpers.js";

useFakeTimersInEachTest();

describe("client.account", () => {
  it("validateKey() is true for an accepted key, false for a wrong or missing one", async () => {
    expect(await setup({}, { apiKeys: [secretKey] }).client.account.validateKey()).toBe(true);
    const wrong = setup({ apiKey: "mlx-wrong" }, { apiKeys: [secretKey] });
    expect(await wrong.client.account.validateKey()).toBe(false);
    expect(wrong.fake.requests[0]?.path).toBe("/api/v1/apikey/validate");
    expect(await setup({ apiKey: "" }).client.account.validateKey()).toBe(false);
  });

  it("balance() reads GET /team/balance, keeping any extra field", async () => {
    const { fake, client } = setup({}, { balance: 42.5 });
    expect(await client.account.balance()).toEqual({ amount: 42.5, data: { balance: 42.5 } });
    fake.inject({ kind: "extra-fields" });
    expect((await client.account.balance()).data).toMatchObject({ balance: 42.5 });
  });

  it("an exhausted balance makes submits fail with InsufficientBalanceError (402), sent once", async () => {
    const { fake, client } = setup({}, { balance: 0 });
    expect((await client.account.balance()).amount).toBe(0);
    const error = await driveToError(client.t2i.submit({ prompt: "a fox" }));
    expect(error).toBeInstanceOf(InsufficientBalanceError);
    expect(error).toMatchObject({ status: 402, category: "Payment Required", detail: "Insufficient balance" });
    expect(fake.countRequests({ method: "POST" })).toBe(1);
    fake.inject({ kind: "status", status: 402 }, { match: { path: "/api/v1/team/balance" } });
    await expect(client.account.balance()).rejects.toBeInstanceOf(InsufficientBalanceError);
  });

  it("a wrong key reading the balance is an AuthenticationError; an unreadable balance an InvalidResponseError", async () => {
    const { client } = setup({ apiKey: "mlx-wrong" }, { apiKeys: [secretKey] });
    await expect(client.account.balance()).rejects.toBeInstanceOf(AuthenticationError);
    const odd = setup({ maxRetries: 0, fetch: async () => Response.json({ code: 0, message: "success", data: { balance: "lots" } }) });
    await expect(drive(odd.client.account.balance())).rejects.toBeInstanceOf(InvalidResponseError);
  });
});
