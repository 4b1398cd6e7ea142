/**
 * The compact form of the catalog's models, as each family's data module
 * (`families/*.ts`) stores them: space-separated tokens, each `id` then flags
 * (`?` not verified, `~` retired, `+` parameters known, `^` doc spelling = the
 * id with dots turned into dashes, `%` = the same with a dash after the leading
 * letters, as in `wan-2-6-t2v`) then `=docsId` for any other doc spelling, or
 * `=provider/docsId` for one under another provider (the docs path says
 * `skyreels/...` for the API's `skywork/...`). A
 * token `provider/id` starts a provider; the tokens after it share it. The
 * catalog generator writes the tokens and checks that each reads back, with
 * {@link decodeModels}, as the model it came from.
 */
import type { ApiType, Namespace } from "./catalog.js";
import type { Family } from "./families/index.js";

/** One model of the catalog. */
export interface ModelEntry {
  /** The real `provider/model_id` the submit path uses (dots kept: `bytedance/seedream-4.5-t2i`). */
  slug: string;
  /**
   * The doc page spelling (`bytedance/seedream-4-5-t2i`), where it differs: accepted, and sent as `slug`.
   * It may name another provider (`skyreels/skyreels-i2v` for `skywork/skyreels-i2v`).
   */
  docsSlug?: string;
  /** The API's type. */
  type: ApiType;
  /** The family: t2i ... sts, `r2v` (reference-to-video) or `expansion`. */
  family: Family;
  /** Where it may be submitted, its own namespace first (an expansion model: `["expansion", "i2i"]`). */
  namespaces: readonly Namespace[];
  /** True when the id was seen in a real submit URL or in the vendor's code; false for a best guess. */
  verified: boolean;
  /** The docs stopped listing it: probably retired. */
  retired?: boolean;
}

const TOKEN = /^(?:([a-z0-9-]+)\/)?([A-Za-z0-9][\w.-]*)([?~+^%]*)(?:=((?:[a-z0-9-]+\/)?[\w.-]+))?$/;

/** The doc spelling of `provider/id` from its token's flags and explicit part, or `undefined` when there is none. */
function docsSlugOf(provider: string, id: string, flags: string, explicit: string | undefined): string | undefined {
  if (explicit !== undefined) return explicit.includes("/") ? explicit : `${provider}/${explicit}`;
  if (flags.includes("^")) return `${provider}/${id.replace(/\./g, "-")}`;
  if (flags.includes("%")) return `${provider}/${id.replace(/^([a-z]+)(\d)/, "$1-$2").replace(/\./g, "-")}`;
  return undefined;
}

/**
 * Reads the models of one family's groups, in order, handing each to `add` with
 * whether its token has the `+` flag (the family's parameter lines list its
 * parameters); a token that does not parse is skipped.
 */
export function decodeModels(
  family: Family,
  type: ApiType,
  namespaces: readonly Namespace[],
  groups: readonly string[],
  add: (entry: ModelEntry, hasParams: boolean) => void,
): void {
  for (const group of groups) {
    let provider = "";
    for (const token of group.split(" ")) {
      const match = TOKEN.exec(token);
      if (!match) continue;
      const [, prefix, id = "", flags = "", explicit] = match;
      if (prefix !== undefined) provider = prefix;
      const docsSlug = docsSlugOf(provider, id, flags, explicit);
      const entry: ModelEntry = Object.freeze({
        slug: `${provider}/${id}`,
        ...(docsSlug === undefined ? {} : { docsSlug }),
        type,
        family,
        namespaces,
        verified: !flags.includes("?"),
        ...(flags.includes("~") ? { retired: true } : {}),
      });
      add(entry, flags.includes("+"));
    }
  }
}
