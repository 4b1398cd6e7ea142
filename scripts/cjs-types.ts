/**
 * Build helper (called by tsup.config.ts): gives `dist/index.d.cts` the shape of
 * what `require("modellix")` returns (see src/cjs.ts), the client class with every
 * named export as a property.
 *
 * tsup writes an ES-module-shaped declaration bundle, ending in
 * `export { Modellix, RateLimitError, …, Modellix as default }`. This rewrites that
 * export list into a namespace merged with the (locally declared) client class,
 * followed by `export =`:
 *
 * ```ts
 * declare namespace Modellix { export { Modellix, RateLimitError, …, Modellix as default }; }
 * export = Modellix;
 * ```
 *
 * so `import Modellix = require("modellix")`, `new Modellix()`, `Modellix.RateLimitError`
 * (value and type) and `import { RateLimitError } from "modellix"` all typecheck in a
 * CommonJS TypeScript project. Re-exports from shared declaration chunks become
 * imports. The export list is read from the bundle, so new exports in src/index.ts
 * need no change here; anything this cannot express fails the build.
 */
import { readFile, writeFile } from "node:fs/promises";
import ts from "typescript";

/** One name of the export list: `local as exported`, possibly type-only. */
interface ExportName {
  local: string;
  exported: string;
  typeOnly: boolean;
}

/** Prefix of the import bindings that replace `export { … } from "./chunk"`. */
const IMPORTED = "_cjs_";

/** Rewrites the declaration bundle of the CommonJS entry in place. */
export async function writeCjsTypes(file: string): Promise<void> {
  await writeFile(file, toExportEquals(await readFile(file, "utf8"), file));
}

/**
 * Turns an ES-module-shaped declaration bundle whose default export is a class
 * declared in it into the `export =` form described above.
 */
export function toExportEquals(code: string, fileName = "index.d.cts"): string {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const fail = (node: ts.Node, why: string): never => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    throw new Error(`${fileName}:${line + 1}: cannot build the CommonJS types: ${why}`);
  };
  const names: ExportName[] = [];
  const edits: { start: number; end: number; text: string }[] = [];
  for (const statement of source.statements) {
    if (ts.isExportAssignment(statement)) fail(statement, "an `export =` or `export default` statement");
    if (!ts.isExportDeclaration(statement)) {
      const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
      if (modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) fail(statement, "an inline `export` declaration");
      continue;
    }
    const clause = statement.exportClause;
    if (!clause || !ts.isNamedExports(clause)) fail(statement, "`export *` cannot be listed in a namespace");
    const elements = (clause as ts.NamedExports).elements.map((element) => ({
      local: (element.propertyName ?? element.name).getText(source),
      exported: element.name.getText(source),
      typeOnly: statement.isTypeOnly || element.isTypeOnly,
    }));
    const range = { start: statement.getStart(source), end: statement.getEnd() };
    if (statement.moduleSpecifier) {
      const imported = elements.map((name) => ({ ...name, local: `${IMPORTED}${name.exported}` }));
      const specifiers = elements.map((name, index) => `${name.typeOnly ? "type " : ""}${name.local} as ${imported[index]?.local}`);
      edits.push({ ...range, text: `import { ${specifiers.join(", ")} } from ${statement.moduleSpecifier.getText(source)};` });
      names.push(...imported);
    } else {
      edits.push({ ...range, text: "" });
      names.push(...elements);
    }
  }

  const client = names.find((name) => name.exported === "default");
  if (!client) throw new Error(`${fileName}: cannot build the CommonJS types: no default export`);
  const declared = source.statements.some((statement) => ts.isClassDeclaration(statement) && statement.name?.text === client.local);
  if (!declared) {
    throw new Error(`${fileName}: cannot build the CommonJS types: the default export "${client.local}" is not a class declared in this file, so no namespace can merge with it`);
  }
  const exported = new Map(names.map((name) => [name.exported, name.local]));
  for (const name of names) {
    if (name.local.startsWith(IMPORTED) && code.includes(name.local)) {
      throw new Error(`${fileName}: cannot build the CommonJS types: the name "${name.local}" is already used`);
    }
    // Inside the namespace its own export names are in scope: a local name that is also the
    // export name of a different binding would resolve to that binding instead.
    const shadow = exported.get(name.local);
    if (shadow !== undefined && shadow !== name.local) {
      throw new Error(`${fileName}: cannot build the CommonJS types: "${name.local}" is both a local name and the export name of "${shadow}"`);
    }
  }

  let out = code;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  const specifiers = names.map(({ local, exported: name, typeOnly }) => `${typeOnly ? "type " : ""}${local === name ? local : `${local} as ${name}`}`);
  return `${out.trimEnd()}

/**
 * \`require("modellix")\` is the client class; every named export of the package is also
 * a property of it (\`require("modellix").RateLimitError\`), and \`default\` is the class.
 */
declare namespace ${client.local} {
  export { ${specifiers.join(", ")} };
}
export = ${client.local};
`;
}
