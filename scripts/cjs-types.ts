/**
 * Build helper (called by tsup.config.ts): gives `dist/index.d.cts` the shape of
 * what `require("modellix")` returns (see src/cjs.ts), the client class with every
 * named export as a property.
 *
 * tsup writes an ES-module-shaped declaration bundle, ending in
 * `export { Modellix, RateLimitError, …, Modellix as default }`. This replaces that
 * export list with a namespace merged into the client class, then `export =`:
 *
 * ```ts
 * declare namespace Modellix { export { Modellix, RateLimitError, …, Modellix as default }; }
 * export = Modellix;
 * ```
 *
 * so `import Modellix = require("modellix")`, `new Modellix()`, `Modellix.RateLimitError`
 * (value and type) and `import { RateLimitError } from "modellix"` all typecheck in a
 * CommonJS TypeScript project. An export that is also a static member of the class
 * (the error classes, see src/client.ts) keeps its value there and gets its type
 * in the namespace as `export type RateLimitError = …`. When the class is declared in a declaration chunk
 * shared with other entries (`import { M as Modellix } from "./client-….cjs"`), the
 * namespace merges into it through a module augmentation of that chunk instead:
 * true to the runtime, where src/cjs.ts puts the exports on that same class object.
 *
 * Re-exports from chunks become imports. The export list is read from the bundle,
 * so new exports in src/index.ts need no change here; anything this cannot express
 * fails the build.
 */
import { readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import ts from "typescript";

/** One name of the export list: `local as exported`, possibly type-only. */
interface ExportName {
  local: string;
  exported: string;
  typeOnly: boolean;
}

/** Reads a declaration chunk by the specifier the bundle imports it with (`./client-x.cjs`). */
export type ReadChunk = (specifier: string) => string;

/** Prefix of the import bindings that replace `export { … } from "./chunk"`. */
const IMPORTED = "_cjs_";

/** Rewrites the declaration bundle of the CommonJS entry in place. */
export async function writeCjsTypes(file: string): Promise<void> {
  const dir = dirname(file);
  const readChunk: ReadChunk = (specifier) => readFileSync(join(dir, specifier.replace(/\.c?js$/, ".d.cts")), "utf8");
  await writeFile(file, toExportEquals(await readFile(file, "utf8"), basename(file), readChunk));
}

function parse(fileName: string, code: string): ts.SourceFile {
  return ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function cannot(fileName: string, why: string): Error {
  return new Error(`${fileName}: cannot build the CommonJS types: ${why}`);
}

/** The names a module's `export { … }` lists give out, mapped to their local names. */
function exportList(source: ts.SourceFile): Map<string, string> {
  const names = new Map<string, string>();
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement) || statement.moduleSpecifier || !statement.exportClause || !ts.isNamedExports(statement.exportClause)) continue;
    for (const element of statement.exportClause.elements) names.set(element.name.text, (element.propertyName ?? element.name).text);
  }
  return names;
}

function classNamed(source: ts.SourceFile, name: string): ts.ClassDeclaration | undefined {
  return source.statements.find((statement): statement is ts.ClassDeclaration => ts.isClassDeclaration(statement) && statement.name?.text === name);
}

/** The names of a class's static members (the client's error classes). */
function staticNames(declaration: ts.ClassDeclaration | undefined): Set<string> {
  const names = new Set<string>();
  for (const member of declaration?.members ?? []) {
    const isStatic = ts.canHaveModifiers(member) && ts.getModifiers(member)?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword);
    if (isStatic && member.name && ts.isIdentifier(member.name)) names.add(member.name.text);
  }
  return names;
}

/**
 * Turns an ES-module-shaped declaration bundle whose default export is a class
 * (declared in it, or imported from a declaration chunk `readChunk` can read)
 * into the `export =` form described above.
 */
export function toExportEquals(code: string, fileName: string, readChunk: ReadChunk): string {
  const source = parse(fileName, code);
  const fail = (node: ts.Node, why: string): never => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    throw cannot(`${fileName}:${line + 1}`, why);
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
      local: (element.propertyName ?? element.name).text,
      exported: element.name.text,
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
  if (!client) throw cannot(fileName, "no default export");
  const own = classNamed(source, client.local);
  const merge = own ? undefined : chunkClass(source, client.local, fileName, readChunk);
  const statics = merge?.statics ?? staticNames(own);

  // Inside the namespace its own export names are in scope, and inside an augmentation the
  // chunk's export names too: a local name must not be one of those for another binding.
  const exported = new Map(names.map((name) => [name.exported, name.local]));
  for (const name of names) {
    if (name.local.startsWith(IMPORTED) && code.includes(name.local)) throw cannot(fileName, `the name "${name.local}" is already used`);
    const shadow = exported.get(name.local);
    if (shadow !== undefined && shadow !== name.local) throw cannot(fileName, `"${name.local}" is both a local name and the export name of "${shadow}"`);
    if (merge?.chunkExports.has(name.local) && name.local !== client.local) {
      throw cannot(fileName, `"${name.local}" is also an export name of ${merge.specifier}, which would shadow it in the augmentation`);
    }
  }

  let out = code;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  // An export that is also a static member of the class (an error class) has its value there already:
  // the namespace gives only its type, as an alias, since a second value of that name would clash.
  const listed = names.filter(({ exported: name, typeOnly }) => typeOnly || !statics.has(name));
  const aliases = names.filter((name) => !listed.includes(name)).map(({ local, exported: name }) => `export type ${name} = ${local};`);
  const specifiers = listed.map(({ local, exported: name, typeOnly }) => `${typeOnly ? "type " : ""}${local === name ? local : `${local} as ${name}`}`);
  const members = [...aliases, `export { ${specifiers.join(", ")} };`];
  const namespace = merge
    ? `declare module ${JSON.stringify(merge.specifier)} {\n  namespace ${merge.exportName} {\n${members.map((line) => `    ${line}`).join("\n")}\n  }\n}`
    : `declare namespace ${client.local} {\n${members.map((line) => `  ${line}`).join("\n")}\n}`;
  return `${out.trimEnd()}

/**
 * \`require("modellix")\` is the client class; every named export of the package is also
 * a property of it (\`require("modellix").RateLimitError\`), and \`default\` is the class.
 */
${namespace}
export = ${client.local};
`;
}

/**
 * Where the client class comes from when it is imported (`import { M as Modellix } from
 * "./client-x.cjs"`): that chunk, the class's export name there, and all its export
 * names. Fails unless the chunk declares it as a class.
 */
function chunkClass(
  source: ts.SourceFile,
  local: string,
  fileName: string,
  readChunk: ReadChunk,
): { specifier: string; exportName: string; chunkExports: Map<string, string>; statics: Set<string> } {
  for (const statement of source.statements) {
    const bindings = ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : undefined;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    const element = bindings.elements.find((each) => each.name.text === local);
    if (!element) continue;
    const specifier = (statement as ts.ImportDeclaration).moduleSpecifier;
    if (!ts.isStringLiteral(specifier) || !specifier.text.startsWith("./")) break;
    const exportName = (element.propertyName ?? element.name).text;
    const chunk = parse(specifier.text, readChunk(specifier.text));
    const chunkExports = exportList(chunk);
    const declared = chunkExports.get(exportName);
    const declaration = declared === undefined ? undefined : classNamed(chunk, declared);
    if (!declaration) break;
    return { specifier: specifier.text, exportName, chunkExports, statics: staticNames(declaration) };
  }
  throw cannot(fileName, `the default export "${local}" is neither a class declared in this file nor one imported from a declaration chunk`);
}
