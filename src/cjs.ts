/**
 * The CommonJS entry point: tsup builds it, for the `cjs` format only, as
 * `dist/index.cjs` (see tsup.config.ts); ESM keeps `src/index.ts`.
 *
 * `require("modellix")` is the client class itself, as with openai, replicate
 * and runway, so `const Modellix = require("modellix"); new Modellix()` works.
 * Every export of `./index.ts` is also a read-only, enumerable property of that
 * class: `require("modellix").RateLimitError`, `const { TaskFailedError } = require("modellix")`,
 * and `.default` (the class again) for transpiled `import Modellix from "modellix"`.
 * The list is not written out here; it is whatever `./index.ts` exports.
 *
 * This module's only export is `default`, which the CJS build emits as
 * `module.exports = …`. scripts/cjs-types.ts rewrites `dist/index.d.cts` to the
 * matching `export =` of the class merged with a namespace of every export.
 * @internal
 * @packageDocumentation
 */
import * as api from "./index.js";

type Exports = typeof api;

/**
 * Export names that would shadow a property every class already has (`name`,
 * `call`, `prototype`, …) or one of the client's static members. Must stay
 * `never`: the assignment below fails to typecheck otherwise.
 */
type Collision = Extract<keyof Exports, keyof typeof api.Modellix | keyof CallableFunction>;
const noCollision: [Collision] extends [never] ? true : Collision = true;
void noCollision;

const Modellix = api.default;
for (const [name, value] of Object.entries(api)) Object.defineProperty(Modellix, name, { value, enumerable: true });

/** The client class, with every export of the package as a static property. */
export default Modellix as typeof Modellix & Exports;
