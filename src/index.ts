/**
 * `modellix`: the TypeScript SDK for the Modellix API.
 * @packageDocumentation
 */
import { Modellix } from "./client.js";

export { Modellix };
export default Modellix;
export type { ModellixOptions } from "./client.js";

export {
  APIError,
  AbortError,
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
  TimeoutError,
  ValidationError,
  WaitTimeoutError,
} from "./core/errors.js";
export type { APIErrorInit, RateLimitInfo, SubmitOutcomeReason, ValidationIssue } from "./core/errors.js";
export type { LogLevel, Logger } from "./core/logger.js";
export type { QueueState, QuotaCoordinator, ReleaseOptions } from "./core/quota.js";
export type { RequestHooks, RequestOptions } from "./core/transport.js";
export type { ResponsePromise, WithResponse } from "./core/response-promise.js";
export type { Resource, TaskErrorInfo, TaskSnapshot, TaskStatus } from "./core/task-data.js";
export type { DownloadOptions, DownloadProgress, ResourceFile } from "./core/download.js";
export { VERSION } from "./core/version.js";
export { Task } from "./task.js";
export type { TaskPromise, TaskUpdates } from "./task.js";
export type { TaskResult, WaitOptions } from "./core/task-data.js";
export type { PollSchedule } from "./poll-schedule.js";
export type { Generation } from "./resources/generation.js";
export type { SubmitOptions } from "./resources/submit.js";
export type { RetrieveOptions, Tasks } from "./resources/tasks.js";
export type { OnWebhookTask, WebhookDelivery, WebhookOptions, Webhooks } from "./resources/webhooks.js";
export type { BatchItem, BatchOptions, BatchProgress, BatchResult, BatchRun } from "./resources/batch.js";
export { MemoryJournal, journalHistory, readJournal } from "./resources/journal.js";
export type { JournalEntry, JournalEvent, JournalStore, JournalTask, JournalTaskState } from "./resources/journal.js";
export type { ListModelsOptions, ModelInfo, Models, SchemaOptions } from "./resources/models.js";
export type { Files, FileData, UploadOptions, UploadedFile } from "./resources/files.js";
export type { Account, AccountBalance } from "./resources/account.js";
export { API_TYPES, NAMESPACES, defaultModels } from "./models/catalog.js";
export type { ApiType, DefaultModel, KnownModel, KnownModels, ModelSlug, Namespace } from "./models/catalog.js";
export type { MediaInput, ModelInput, ModelInputs, SubmitInput, TypedModel, UntypedInput } from "./models/inputs.js";
