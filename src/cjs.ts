/**
 * The CommonJS entry point: tsup builds it, for the `cjs` format only, as
 * `dist/index.cjs` (see tsup.config.ts); ESM keeps `src/index.ts`.
 *
 * `require("modellix")` is the client class itself, as with openai, replicate
 * and runway, so `const Modellix = require("modellix"); new Modellix()` works.
 * Every export of `./index.ts` is also a property of that class:
 * `require("modellix").RateLimitError`, `const { TaskFailedError } = require("modellix")`,
 * and `.default` (the class again) for transpiled `import Modellix from "modellix"`.
 * The error classes are the class's own statics (client.ts), so ESM has them
 * too (`Modellix.ValidationError`); every other export is added here, read-only
 * and enumerable. The list is not written out here; it is whatever `./index.ts` exports.
 *
 * This module's only export is `default`, which the CJS build emits as
 * `module.exports = …`. scripts/cjs-types.ts rewrites `dist/index.d.cts` to the
 * matching `export =` of the class merged with a namespace of every export.
 * @internal
 * @packageDocumentation
 */
import * as api from "./index.js";

type Exports = typeof api;

/** The client's static members that are exports too, with the same value (the error classes). */
type Statics = { [K in keyof Exports & keyof typeof api.Modellix]: Exports[K] extends (typeof api.Modellix)[K] ? K : never }[keyof Exports &
  keyof typeof api.Modellix];

/**
 * Export names that would shadow a property every class already has (`name`,
 * `call`, `prototype`, …) or a static member of the client other than the
 * export itself. Must stay `never`: the assignment below fails to typecheck otherwise.
 */
type Collision = Exclude<Extract<keyof Exports, keyof typeof api.Modellix | keyof CallableFunction>, Statics>;
const noCollision: [Collision] extends [never] ? true : Collision = true;
void noCollision;

const Modellix = api.default;
for (const [name, value] of Object.entries(api)) {
  if (!Object.hasOwn(Modellix, name)) Object.defineProperty(Modellix, name, { value, enumerable: true });
}

/** The client class, with every export of the package as a static property. */
export default Modellix as typeof Modellix & Exports;
