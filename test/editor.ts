import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * What an editor sees of `source`, a probe file in test/ compiled with the
 * repository's tsconfig: a TypeScript language service over it and its path.
 */
export function editorOn(source: string): { service: ts.LanguageService; file: string } {
  const file = join(root, "test", "editor-probe.ts");
  const config = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  const read = (name: string) => (name === file ? source : ts.sys.readFile(name));
  const service = ts.createLanguageService({
    getCompilationSettings: () => config?.options ?? {},
    getScriptFileNames: () => [file],
    getScriptVersion: () => "1",
    getScriptSnapshot: (name) => ts.ScriptSnapshot.fromString(read(name) ?? readFileSync(name, "utf8")),
    getCurrentDirectory: () => root,
    getDefaultLibFileName: ts.getDefaultLibFilePath,
    fileExists: (name) => name === file || ts.sys.fileExists(name),
    readFile: read,
  });
  return { service, file };
}
