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
export { LocalQuota } from "./core/limiter.js";
export type { QuotaCoordinator, ReleaseOptions } from "./core/limiter.js";
export type { RequestOptions } from "./core/transport.js";
export type { Resource, TaskErrorInfo, TaskSnapshot, TaskStatus } from "./core/task-data.js";
export type { DownloadOptions, DownloadProgress, ResourceFile } from "./core/download.js";
export { Task, defaultWaitTimeout } from "./task.js";
export type { PollSchedule, TaskPromise, TaskResult, WaitOptions } from "./task.js";
export type { SubmitOptions } from "./resources/submit.js";
export type { RetrieveOptions, Tasks } from "./resources/tasks.js";
export type { RunInput } from "./resources/run.js";
export type { BatchItem, BatchOptions, BatchProgress, BatchResult, BatchRun } from "./resources/batch.js";
export type { ListModelsOptions, ModelInfo, Models } from "./resources/models.js";
export type { Account, AccountBalance } from "./resources/account.js";
export type { TextToImage, TextToImageInput } from "./resources/t2i.js";
export type { ImageToVideo, ImageToVideoInput } from "./resources/i2v.js";
export type { TextToVideo, TextToVideoInput } from "./resources/t2v.js";
export type { ImageToImage, ImageToImageInput } from "./resources/i2i.js";
export type { ImageExpansion, ImageExpansionInput } from "./resources/expansion.js";
export { MODEL_TYPES, knownModelType, knownModels } from "./models/catalog.js";
export type {
  KnownExpansionModel,
  KnownI2IModel,
  KnownI2VModel,
  KnownModel,
  KnownModelOf,
  KnownOtherModel,
  KnownR2VModel,
  KnownT2IModel,
  KnownT2VModel,
  KnownV2VModel,
  ModelSlug,
  ModelType,
} from "./models/catalog.js";
export { defaultModels } from "./models/defaults.js";
export type { GenerationType } from "./models/defaults.js";
