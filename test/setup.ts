// The client loads some of its code with a dynamic import on first use (src/lazy-chunks.ts lists it). Under fake
// timers that import can stall on file reads, so every test file loads it up front.
import { loadLazyChunks } from "../src/lazy-chunks.js";

await loadLazyChunks();
