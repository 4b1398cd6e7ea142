/**
 * The submit body an AI SDK call becomes: each standard option written into
 * the model's own field, or dropped with the AI SDK's `unsupported` warning
 * when the model has none; `providerOptions.modellix` over it last.
 */
import type { SharedV4ProviderOptions, SharedV4Warning } from "@ai-sdk/provider";
import { ValidationError } from "../index.js";
import type { ParamSpec } from "../models/prepare.js";
import type { ModelFacts } from "./catalog.js";

/** A field an option may go to: its name, or its name and how the option's value is written there. */
export type FieldCandidate<T> = string | readonly [name: string, convert: (value: T) => unknown];

/** The fields of one submit body, and the warnings of the options that found no field. */
export class RequestBody {
  /** The model the body is for. */
  readonly model: ModelFacts;
  /** Warnings for the AI SDK: options dropped or adapted. */
  readonly warnings: SharedV4Warning[] = [];
  readonly #fields: Record<string, unknown> = {};

  constructor(model: ModelFacts) {
    this.model = model;
  }

  /** The model's parameter `name`, if it has one. */
  spec(name: string): ParamSpec | undefined {
    return this.model.params.get(name);
  }

  /** The first of `names` the model has. */
  first(names: readonly string[]): ParamSpec | undefined {
    return names.map((name) => this.spec(name)).find((spec) => spec !== undefined);
  }

  /** The model's file parameters (`media`), in the catalog's order. */
  mediaParams(): ParamSpec[] {
    return [...this.model.params.values()].filter((spec) => spec.media === true);
  }

  set(name: string, value: unknown): void {
    this.#fields[name] = value;
  }

  /**
   * Writes an option into the first of `fields` the model has (a number into a
   * string field as its digits); warns when it has none. Does nothing for `undefined`.
   */
  place<T>(feature: string, value: T | undefined, fields: readonly FieldCandidate<T>[]): void {
    if (value === undefined) return;
    for (const candidate of fields) {
      const [name, convert] = typeof candidate === "string" ? [candidate, undefined] : candidate;
      const spec = this.spec(name);
      if (!spec) continue;
      this.set(name, convert ? convert(value) : spec.type === "string" && typeof value === "number" ? String(value) : value);
      return;
    }
    this.unsupported(feature);
  }

  /** An option the model cannot take: dropped, never sent. */
  unsupported(feature: string, details?: string): void {
    this.warnings.push({ type: "unsupported", feature, details: details ?? this.#notSent() });
  }

  /** An option sent in another form than asked (the nearest size or ratio the model offers). */
  compatibility(feature: string, details: string): void {
    this.warnings.push({ type: "compatibility", feature, details });
  }

  /**
   * The body to submit: the mapped fields with `providerOptions.modellix`
   * merged over them; a field left `undefined` is dropped.
   */
  finish(providerOptions: SharedV4ProviderOptions | undefined): Record<string, unknown> {
    const own: unknown = providerOptions?.modellix;
    if (own !== undefined && !isPlainObject(own)) {
      throw new ValidationError([{ path: "providerOptions.modellix", message: "must be an object of the model's body fields" }], "modellix provider options");
    }
    return Object.fromEntries(Object.entries({ ...this.#fields, ...own }).filter(([, value]) => value !== undefined));
  }

  #notSent(): string {
    const { slug, known } = this.model;
    return known
      ? `${slug} has no parameter for it, so it was not sent`
      : `${slug} is not in this SDK's catalog, so its parameters are unknown and it was not sent: set the model's own field in providerOptions.modellix`;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
