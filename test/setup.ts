// Submits load the validation chunk (and journaled batches the journal code) with a dynamic import on first use. Under fake
// timers that import can stall on file reads, so every test file loads it up front.
await import("../src/models/prepare.js");
await import("../src/resources/batch-journal.js");

export {};
