/**
 * A chunk loaded on first use (a dynamic `import()`): `load` runs once and
 * every caller shares its promise. A failed load (a browser that lost the
 * network for a moment) is forgotten, so the next call tries again instead of
 * failing for good.
 */
export function onDemand<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
