/**
 * Every chunk of code the client loads on first use, with a dynamic `import()`,
 * by its module under `src/`: the one list of them. Each is imported, written
 * out, where it is needed (a bundler splits on a literal `import()`); this list
 * loads them all ahead, for `modellix/testing` and the test setup (tests on fake
 * timers must not wait on an import), and `npm run size` (scripts/size.ts) fails
 * when it differs from the chunks the browser build has. The catalog's data
 * chunks, one per model family, are listed in `models/families/index.ts`.
 * @internal
 */
export const lazyChunks = {
  /** What a first submit needs: the input checks, the catalog's loader and the task reader. */
  "models/prepare": () => import("./models/prepare.js"),
  /** `client.batch()`. */
  "resources/batch": () => import("./resources/batch.js"),
  /** A batch's journal. */
  "resources/batch-journal": () => import("./resources/batch-journal.js"),
  /** The client's occasional reads: `client.models` (the list, its pages and cache, the schemas) and `client.account`. */
  "resources/reads": () => import("./resources/reads.js"),
  /** `client.webhooks.handle()`: confirming and deduping deliveries. */
  "resources/webhook-receiver": () => import("./resources/webhook-receiver.js"),
  /** `client.files` and the uploads of binary inputs. */
  "resources/uploads": () => import("./resources/uploads.js"),
} as const;

/** Loads every chunk of {@link lazyChunks}. */
export async function loadLazyChunks(): Promise<void> {
  await Promise.all(Object.values(lazyChunks).map((load) => load()));
}
