/**
 * Rebuilds `models.json`/`params.json`-shaped data from the live API: the model
 * list from `GET {origin}/api/v1/models` (with the key) and each model's public
 * `api_schema` from `{schemaOrigin}/models/{provider}/{model_id}/api_schema`
 * (without a key), merged over the shared data. `fetch` is a parameter, so tests
 * run it against recorded answers; nothing here reads the environment.
 */
import { readApiSchema } from "./openapi.js";
import { SLUG_PATTERN, type SourceParam, type SourceParams } from "./source.js";
import { R2V_ID, namespaceOfType } from "./taxonomy.js";
import { compare } from "./text.js";

/** Options of {@link fetchLiveCatalog}. */
export interface LiveOptions {
  /** The fetch to use (the global one in the CLI, a recording in tests). */
  fetch: typeof globalThis.fetch;
  /** The API key, sent only to the API origin. */
  apiKey: string;
  /** The API origin; default `https://api.modellix.ai`. A trailing `/api/v1` is ignored. */
  origin?: string;
  /** Where the public `api_schema` documents live; default `https://www.modellix.ai`. */
  schemaOrigin?: string;
  /** Schema requests in flight at once; default 4. */
  concurrency?: number;
}

/** The merged data, in the shapes of the shared files, and what happened. */
export interface LiveCatalog {
  models: Record<string, unknown>[];
  params: Record<string, SourceParams>;
  /** One line per notable event: models added or missing, schemas read or not. */
  report: string[];
}

type Row = Record<string, unknown>;

function isRecord(value: unknown): value is Row {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `https://api.modellix.ai/api/v1/` → `https://api.modellix.ai`. */
export function originOf(url: string): string {
  return url.replace(/\/+$/, "").replace(/\/api\/v1$/, "");
}

/** The doc spelling from a docs URL: `https://docs.modellix.ai/bytedance/seedream-4-5-t2i(.md)` → `bytedance/seedream-4-5-t2i`. */
export function docsSlugOf(docsUrl: unknown): string | undefined {
  if (typeof docsUrl !== "string") return undefined;
  try {
    const path = new URL(docsUrl).pathname.replace(/\/+$/, "").replace(/\.md$/, "");
    const slug = path.split("/").filter(Boolean).slice(-2).join("/");
    return SLUG_PATTERN.test(slug) ? slug : undefined;
  } catch {
    return undefined;
  }
}

/** The path of a submit URL (`https://api.modellix.ai/api/v1/a/b` → `/api/v1/a/b`), or `undefined` when it is not a URL. */
function pathOf(url: string): string | undefined {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

async function getJson(fetch: typeof globalThis.fetch, url: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { headers: { accept: "application/json", ...headers } });
  if (!response.ok) {
    await response.body?.cancel();
    return { status: response.status, body: undefined };
  }
  return { status: response.status, body: (await response.json()) as unknown };
}

/** The `models` array of a `GET /models` answer, enveloped (`{ data: { models } }`) or not. */
function modelsOf(body: unknown): unknown[] {
  if (isRecord(body) && Array.isArray(body.models)) return body.models;
  if (isRecord(body) && isRecord(body.data) && Array.isArray(body.data.models)) return body.data.models;
  throw new Error("GET /api/v1/models: the answer has no models array");
}

/** Runs `work` over `items` with at most `limit` in flight; results in input order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Live parameters over shared ones: the live list and order win; a shared description fills a missing one. */
function mergeParams(live: SourceParam[], shared: SourceParam[] | undefined): SourceParam[] {
  const byName = new Map((shared ?? []).map((param) => [param.name, param]));
  return live.map((param) => {
    const old = byName.get(param.name);
    return param.description === undefined && old?.description !== undefined ? { ...param, description: old.description } : param;
  });
}

/**
 * Fetches the live model list and every listed model's schema and merges them
 * over `shared` (the parsed `models.json` and `params.json`):
 * - a listed model is verified, takes the live type and docs URL (its doc spelling
 *   is read from that URL), and loses any "retired" status;
 * - a listed model the shared data lacks is added;
 * - a shared model the list lacks is marked probably retired;
 * - a readable `api_schema` replaces the model's parameters (shared descriptions
 *   fill the gaps); an unreadable or missing one keeps the shared parameters.
 * Throws when the model list cannot be read; schema failures only go to the report.
 */
export async function fetchLiveCatalog(shared: { models: unknown; params: unknown }, options: LiveOptions): Promise<LiveCatalog> {
  const origin = originOf(options.origin ?? "https://api.modellix.ai");
  const schemaOrigin = (options.schemaOrigin ?? "https://www.modellix.ai").replace(/\/+$/, "");
  const report: string[] = [];
  const list = await getJson(options.fetch, `${origin}/api/v1/models`, { authorization: `Bearer ${options.apiKey}` });
  if (list.body === undefined) throw new Error(`GET ${origin}/api/v1/models answered ${list.status}`);
  const liveModels = modelsOf(list.body);
  if (liveModels.length === 0) throw new Error("GET /api/v1/models listed no models; refusing to mark every model retired");

  const sharedRows = (Array.isArray(shared.models) ? shared.models : isRecord(shared.models) && Array.isArray(shared.models.models) ? shared.models.models : [])
    .filter(isRecord)
    .map((row) => ({ ...row }));
  const bySpelling = new Map<string, Row>();
  for (const row of sharedRows) {
    if (typeof row.slug === "string") bySpelling.set(row.slug, row);
    if (typeof row.docsSlug === "string") bySpelling.set(row.docsSlug, row);
  }
  const sharedParams: Record<string, SourceParams> = isRecord(shared.params) ? { ...(shared.params as Record<string, SourceParams>) } : {};

  const listed = new Set<Row>();
  const added: Row[] = [];
  const slugs: string[] = [];
  for (const raw of liveModels) {
    if (!isRecord(raw) || typeof raw.slug !== "string" || !SLUG_PATTERN.test(raw.slug) || typeof raw.type !== "string") {
      report.push(`skipped a listed model without a valid slug and type: ${JSON.stringify(raw).slice(0, 120)}`);
      continue;
    }
    if (!namespaceOfType(raw.type)) {
      report.push(`skipped ${raw.slug}: unknown type ${JSON.stringify(raw.type)}`);
      continue;
    }
    const slug = raw.slug;
    const docsSlug = docsSlugOf(raw.docs_url);
    let row = bySpelling.get(slug);
    if (row && row.slug !== slug) {
      report.push(`${row.slug} is really ${slug} (the API lists the doc spelling as its id)`);
      if (typeof row.slug === "string" && sharedParams[row.slug]) {
        sharedParams[slug] = sharedParams[row.slug] as SourceParams;
        delete sharedParams[row.slug];
      }
    }
    if (!row) {
      row = { slug, added: true };
      added.push(row);
      report.push(`added ${slug} (${raw.type})`);
    }
    const typeChanged = row.type !== undefined && row.type !== raw.type;
    row.slug = slug;
    row.type = raw.type;
    if (typeChanged || row.short === undefined) {
      row.short = raw.type === "image-to-video" && R2V_ID.test(slug.split("/")[1] ?? "") ? "r2v" : namespaceOfType(raw.type);
    }
    if (row.name === undefined && typeof raw.name === "string") row.name = raw.name;
    if (docsSlug !== undefined && docsSlug !== slug) row.docsSlug = docsSlug;
    else if (docsSlug === slug) delete row.docsSlug;
    if (typeof raw.docs_url === "string") row.docsUrl = raw.docs_url;
    row.verified = true;
    row.evidence = "listed by GET /api/v1/models (live refresh)";
    delete row.status;
    listed.add(row);
    slugs.push(slug);
  }
  for (const row of sharedRows) {
    if (listed.has(row)) continue;
    row.status = "not listed by GET /api/v1/models at the last live refresh; probably retired";
    report.push(`not listed: ${String(row.slug)} (now marked probably retired)`);
  }

  const params: Record<string, SourceParams> = { ...sharedParams };
  const schemas = await mapLimited(slugs, options.concurrency ?? 4, async (slug) => {
    const [provider = "", id = ""] = slug.split("/");
    const url = `${schemaOrigin}/models/${encodeURIComponent(provider)}/${encodeURIComponent(id)}/api_schema`;
    try {
      const answer = await getJson(options.fetch, url, {});
      if (answer.body === undefined) return { slug, url, problem: `answered ${answer.status}` };
      return { slug, url, schema: readApiSchema(answer.body) };
    } catch (error) {
      return { slug, url, problem: error instanceof Error ? error.message : String(error) };
    }
  });
  for (const result of schemas) {
    const { slug } = result;
    if (!("schema" in result) || !result.schema) {
      report.push(`${slug}: api_schema ${result.problem ?? "unreadable"}; ${params[slug] ? "kept the shared parameters" : "no parameters"}`);
      continue;
    }
    const { submitUrl, params: liveParams, warnings } = result.schema;
    for (const warning of warnings) report.push(`${slug}: api_schema property ${warning}`);
    const path = submitUrl === undefined ? undefined : pathOf(submitUrl);
    if (submitUrl !== undefined && !path?.replace(/\/async$/, "").endsWith(`/${slug}`)) {
      report.push(`${slug}: api_schema submits to ${submitUrl}`);
    }
    if (!liveParams) {
      report.push(`${slug}: api_schema lists no body properties; ${params[slug] ? "kept the shared parameters" : "no parameters"}`);
      continue;
    }
    const old = params[slug];
    const entry: SourceParams = {
      path: path ?? old?.path ?? null,
      evidence: result.url,
      params: mergeParams(liveParams, old?.params),
      slugVerified: true,
    };
    if (old?.note !== undefined) entry.note = old.note;
    const media = (old?.mediaInputs ?? []).filter((item) => liveParams.some((param) => param.name === item.split(":")[0]));
    if (media.length > 0) entry.mediaInputs = media;
    params[slug] = entry;
  }

  const models = [...sharedRows, ...added].sort((a, b) => compare(String(a.slug), String(b.slug)));
  const sortedParams: Record<string, SourceParams> = {};
  for (const slug of Object.keys(params).sort(compare)) sortedParams[slug] = params[slug] as SourceParams;
  return { models, params: sortedParams, report };
}
