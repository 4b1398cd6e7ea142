/**
 * `modellix`: the TypeScript SDK for the Modellix API: the client, its
 * options, every error class, and the types of tasks, results and calls.
 * The catalog (namespaces, default models, known slugs, typed inputs) is
 * `modellix/catalog`; the Node helpers and the batch journal are `modellix/node`.
 * @packageDocumentation
 */
import { Modellix } from "./client.js";

export { Modellix };
export default Modellix;
export type { ModellixOptions } from "./client.js";

export {
  APIError,
  UserAbortError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  InsufficientBalanceError,
  InternalServerError,
  InvalidResponseError,
  ModellixError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  SubmitOutcomeUnknownError,
  TaskExpiredError,
  TaskFailedError,
  RequestTimeoutError,
  ValidationError,
  WaitTimeoutError,
} from "./core/errors.js";
export type { RateLimitInfo, SubmitOutcomeReason, ValidationIssue } from "./core/errors.js";
export type { LogLevel, Logger } from "./core/logger.js";
export type { QueueState, QuotaCoordinator } from "./core/quota.js";
export type { RequestHooks, RequestOptions } from "./core/transport.js";
export type { Resource, TaskErrorInfo, TaskSnapshot, TaskStatus } from "./core/task-data.js";
export type { ResourceFile } from "./core/task-data.js";
export type { Task } from "./task.js";
export type { TaskPromise } from "./resources/submit.js";
export type { TaskResult, WaitOptions } from "./core/task-data.js";
export type { TaskUpdates } from "./task-updates.js";
export type { Generation } from "./resources/generation.js";
export type { SubmitOptions } from "./resources/submit.js";
export type { RetrieveOptions, Tasks } from "./resources/tasks.js";
export type { BatchItem, BatchRun } from "./resources/batch.js";
export type { BatchOptions, BatchProgress, BatchResult } from "./resources/batch-state.js";
export type { Models } from "./resources/models.js";
export type { Files } from "./resources/files.js";
export type { WebhookOptions, Webhooks } from "./resources/webhooks.js";
export type { Account, AccountBalance } from "./resources/account.js";
