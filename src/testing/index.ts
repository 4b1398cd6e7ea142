/**
 * `modellix/testing`: an in-process fake of the Modellix API for tests, soak
 * tests, benchmarks and demos. msw handlers live in `modellix/testing/msw`.
 *
 * @packageDocumentation
 */
export { FakeModellix } from "./fake-modellix.js";
export type { FakeHandleContext, FakeStats } from "./fake-modellix.js";
export { createFakeServer } from "./node-server.js";
export type { FakeServer, FakeServerOptions } from "./node-server.js";
export { systemClock } from "./clock.js";
export type { FakeClock } from "./clock.js";
export type { FakeFault, FakeInjectOptions } from "./faults.js";
export type { FakeRequestMatch } from "./request-match.js";
export type { FakeRequestRecord } from "./request-log.js";
export type { FakeDuration, FakeModellixOptions, FakeSettings } from "./options.js";
export { defaultOutcome } from "./options.js";
export type { FakeOutcome, FakeTask, FakeTaskFailure, FakeTaskInfo, FakeTaskStatus } from "./tasks.js";
export { FAKE_TASK_TYPES } from "./task-types.js";
export type { FakeTaskType } from "./task-types.js";
export { DEFAULT_FAKE_MODELS } from "./models.js";
export type { FakeModelEntry, FakeModelSpec } from "./models.js";
export type { FakeEnvelope } from "./envelope.js";
export type { FakeResource } from "./task-view.js";
export type { FakeFileFormat } from "./files.js";
export { networkFailureOf } from "./network-errors.js";
export type { FakeNetworkFailure } from "./network-errors.js";
