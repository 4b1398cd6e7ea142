/**
 * `modellix/testing`: an in-process fake of the Modellix API for tests, soak
 * tests, benchmarks and demos. It speaks the real contract (`/api/v1` under an
 * origin, real model ids, per-model parameter checks, media files, unenveloped
 * `GET /models`). msw handlers live in `modellix/testing/msw`.
 *
 * @packageDocumentation
 */
// The client loads its input checks (and their suggestions, and the opening of local files), batch, upload, model-list, model-schema, account and download code
// on first use with a dynamic import. Started here, when the test file loads, so that
// tests on fake timers do not wait on that import's file reads later.
void import("../models/prepare.js");
void import("../models/suggestions.js");
void import("../models/local-file.js");
void import("../resources/batch.js");
void import("../resources/batch-journal.js");
void import("../resources/uploads.js");
void import("../resources/model-list.js");
void import("../resources/model-schema.js");
void import("../resources/account-reads.js");
void import("../core/download-body.js");
void import("../core/file-fetch.js");
void import("../core/task-reader.js");
export { FakeModellix } from "./fake-modellix.js";
export type { FakeHandleContext, FakeStats } from "./fake-modellix.js";
export { createFakeServer } from "./node-server.js";
export type { FakeServer, FakeServerOptions } from "./node-server.js";
export { systemClock } from "./clock.js";
export type { FakeClock } from "./clock.js";
export type { FakeFault, FakeInjectOptions } from "./faults.js";
export type { FakeRequestMatch } from "./request-match.js";
export type { FakeRequestRecord } from "./request-log.js";
export type { FakeRouteKind } from "./routes.js";
export type { FakeDuration, FakeModellixOptions, FakeSettings } from "./options.js";
export { defaultOutcome } from "./options.js";
export type { FakeOutcome, FakeTask, FakeTaskFailure, FakeTaskInfo, FakeTaskStatus } from "./tasks.js";
export { FAKE_MODEL_TYPES } from "./model-types.js";
export type { FakeModelType, FakeOutputKind } from "./model-types.js";
export { DEFAULT_FAKE_MODELS } from "./catalog.js";
export type { FakeModelEntry, FakeModelList, FakeModelSpec, FakeParamSpec } from "./models.js";
export type { FakeMediaFile, FakeMediaType } from "./media.js";
export type { FakeEnvelope } from "./envelope.js";
export { FAKE_TRANSCRIPT } from "./task-view.js";
export type { FakeResource } from "./task-view.js";
export type { FakeFileFormat } from "./files.js";
export { networkFailureOf } from "./network-errors.js";
export type { FakeNetworkFailure } from "./network-errors.js";
