import type { KnownModels, ModelSlug, Namespace } from "../models/catalog.js";
import type { SubmitInput } from "../models/inputs.js";
import type { ClientContext } from "../context.js";
import { type TaskPromise, toTaskPromise } from "./submit.js";
import { type SubmitOptions, submitTask } from "./submit.js";

/**
 * A generation namespace (`client.t2i`, `client.i2v`, ...): one validated,
 * quota-aware `submit`. All namespaces are this one class: they differ only in
 * their models, which the types carry.
 */
export class Generation<N extends Namespace> {
  readonly #context: ClientContext;
  /** The namespace code, e.g. `"t2i"`. */
  declare readonly namespace: N;

  /** @internal */
  constructor(context: ClientContext, namespace: N) {
    this.#context = context;
    this.namespace = namespace;
  }

  /**
   * Validates `input` against its model's parameters (nothing is sent if it is
   * invalid), uploads any `Blob`/bytes in it and puts their URLs in their place,
   * waits for a free team-quota slot and submits the task once. Resolves with a
   * {@link Task}; chain `.wait()` for its result. `model` defaults to the
   * namespace's default model; the docs spelling of a slug is accepted.
   */
  submit<M extends ModelSlug<KnownModels[N]>>(input: SubmitInput<N, M>, options?: SubmitOptions): TaskPromise {
    return toTaskPromise(submitTask(this.#context, this.namespace, input, options));
  }
}
