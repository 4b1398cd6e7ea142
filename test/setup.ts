// The client loads its validation, batch, upload, model-list, model-schema, account, download and task-reader code with a dynamic import on first use. Under fake
// timers that import can stall on file reads, so every test file loads it up front.
await import("../src/models/prepare.js");
await import("../src/resources/batch-journal.js");
await import("../src/resources/batch.js");
await import("../src/resources/uploads.js");
await import("../src/core/file-fetch.js");
await import("../src/core/task-reader.js");

export {};
