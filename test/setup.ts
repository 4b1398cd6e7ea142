// The client loads its validation, batch, upload, model-list, model-schema, account, download, task-reader and webhook code with a dynamic import on first use. Under fake
// timers that import can stall on file reads, so every test file loads it up front.
await import("../src/models/prepare.js");
await import("../src/resources/batch-journal.js");
await import("../src/resources/batch.js");
await import("../src/resources/uploads.js");
await import("../src/resources/model-list.js");
await import("../src/resources/model-schema.js");
await import("../src/resources/account-reads.js");
await import("../src/core/download-body.js");
await import("../src/core/file-fetch.js");
await import("../src/core/task-reader.js");
await import("../src/resources/webhook-receiver.js");

export {};
