/**
 * Reads a model's public `api_schema` (an OpenAPI description of its submit
 * call) into `params.json`-shaped parameters. The document may carry the
 * operation as a top-level `post` (as www.modellix.ai serves it) or under
 * `paths`; `servers[0].url` is the exact submit URL. Schemas may use `$ref`
 * (into `components.schemas`), `allOf`, `oneOf`/`anyOf` and OpenAPI 3.1 type arrays.
 */
import type { SourceParam } from "./source.js";

/** What an `api_schema` document says about a model's submit call. */
export interface ApiSchema {
  /** `servers[0].url`, when present. */
  submitUrl: string | undefined;
  /** The request body's parameters, in document order; `undefined` when the body lists no properties. */
  params: SourceParam[] | undefined;
  /** Properties that could not be read, with the reason. */
  warnings: string[];
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const MAX_REF_DEPTH = 16;

/** Follows local `$ref`s (`#/components/schemas/Name`) and merges `allOf` parts. */
function resolve(doc: Json, schema: unknown, depth = 0): Json | undefined {
  if (!isRecord(schema) || depth > MAX_REF_DEPTH) return undefined;
  if (typeof schema.$ref === "string") {
    if (!schema.$ref.startsWith("#/")) return undefined;
    let target: unknown = doc;
    for (const part of schema.$ref.slice(2).split("/")) {
      const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
      target = isRecord(target) && Object.hasOwn(target, key) ? target[key] : undefined;
    }
    const { $ref: _ref, ...siblings } = schema;
    const resolved = resolve(doc, target, depth + 1);
    return resolved ? { ...resolved, ...siblings } : undefined;
  }
  if (Array.isArray(schema.allOf)) {
    const merged: Json = { ...schema, allOf: undefined };
    const properties: Json = isRecord(schema.properties) ? { ...schema.properties } : {};
    const required = new Set<string>(Array.isArray(schema.required) ? schema.required.filter((v) => typeof v === "string") : []);
    for (const part of schema.allOf) {
      const resolved = resolve(doc, part, depth + 1);
      if (!resolved) continue;
      for (const [key, value] of Object.entries(resolved)) {
        if (key === "properties" && isRecord(value)) {
          Object.assign(properties, value);
        } else if (key === "required" && Array.isArray(value)) {
          for (const name of value) if (typeof name === "string") required.add(name);
        } else if (merged[key] === undefined) {
          merged[key] = value;
        }
      }
    }
    merged.properties = properties;
    merged.required = [...required];
    return merged;
  }
  return schema;
}

/** The non-null alternative of `oneOf`/`anyOf` (an array one preferred), or the schema itself. */
function pickVariant(doc: Json, schema: Json): Json {
  const variants = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  if (!variants) return schema;
  const resolved = variants.map((variant) => resolve(doc, variant)).filter((variant): variant is Json => {
    return variant !== undefined && typeOf(variant) !== "null";
  });
  const chosen = resolved.find((variant) => typeOf(variant) === "array") ?? resolved[0];
  const { oneOf: _one, anyOf: _any, ...rest } = schema;
  return chosen ? { ...chosen, ...rest } : rest;
}

/** The JSON type of a schema; the non-null member of an OpenAPI 3.1 type array. */
function typeOf(schema: Json): string | undefined {
  if (typeof schema.type === "string") return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((type): type is string => typeof type === "string" && type !== "null");
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return typeof schema.enum[0] === "number" ? "number" : "string";
  return undefined;
}

function isUri(schema: Json): boolean {
  return schema.format === "uri" || schema.format === "url" || schema.format === "uri-reference";
}

function finite(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** `WIDTHxHEIGHT` or `WIDTH*HEIGHT` when a string schema's format, default, example or pattern shows a size. */
function sizeFormat(schema: Json): string | undefined {
  if (schema.format === "WIDTHxHEIGHT" || schema.format === "WIDTH*HEIGHT") return schema.format;
  const samples = [schema.default, schema.example, ...(Array.isArray(schema.examples) ? schema.examples : [])];
  for (const sample of samples) {
    if (typeof sample !== "string") continue;
    if (/^\d+x\d+$/.test(sample)) return "WIDTHxHEIGHT";
    if (/^\d+\*\d+$/.test(sample)) return "WIDTH*HEIGHT";
  }
  if (typeof schema.pattern === "string") {
    const matches = (sample: string) => {
      try {
        return new RegExp(schema.pattern as string).test(sample);
      } catch {
        return false;
      }
    };
    if (matches("1024x1024") && !matches("1024*1024")) return "WIDTHxHEIGHT";
    if (matches("1024*1024") && !matches("1024x1024")) return "WIDTH*HEIGHT";
  }
  return undefined;
}

/** One property as a `params.json` parameter, or the reason it cannot be read. */
function toParam(doc: Json, name: string, raw: unknown, required: boolean): SourceParam | string {
  const resolved = resolve(doc, raw);
  if (!resolved) return "its schema cannot be resolved";
  const schema = pickVariant(doc, resolved);
  const type = typeOf(schema);
  const param: SourceParam = { name, type: "" };
  const values = Array.isArray(schema.enum) ? schema.enum.filter((v) => v !== null) : undefined;
  switch (type) {
    case "string":
      param.type = isUri(schema) ? "string(uri)" : "string";
      param.min = finite(schema.minLength);
      param.max = finite(schema.maxLength);
      if (values?.every((v) => typeof v === "string")) param.enum = values as string[];
      param.format = sizeFormat(schema);
      break;
    case "integer":
    case "number":
      param.type = type;
      param.min = finite(schema.minimum);
      param.max = finite(schema.maximum);
      if (values?.every((v) => typeof v === "number")) param.enum = values as number[];
      break;
    case "boolean":
    case "object":
      param.type = type;
      break;
    case "array": {
      const items = isRecord(schema.items) ? pickVariant(doc, resolve(doc, schema.items) ?? {}) : {};
      const itemType = typeOf(items);
      if (itemType === "string") param.type = isUri(items) ? "array<string(uri)>" : "array<string>";
      else if (itemType === "object") param.type = "array<object>";
      else return `array items of type ${JSON.stringify(itemType ?? "unknown")} are not supported`;
      param.min = finite(schema.minItems);
      param.max = finite(schema.maxItems);
      break;
    }
    default:
      return `type ${JSON.stringify(type ?? "unknown")} is not supported`;
  }
  if (required) param.required = true;
  if (schema.default !== undefined) param.default = schema.default;
  const description = typeof schema.description === "string" ? schema.description : typeof schema.title === "string" ? schema.title : undefined;
  if (description) param.description = description;
  for (const key of Object.keys(param) as (keyof SourceParam)[]) if (param[key] === undefined) delete param[key];
  return param;
}

/** The submit operation: a top-level `post`, else the first `post` under `paths`. */
function operation(doc: Json): Json | undefined {
  if (isRecord(doc.post)) return doc.post;
  if (!isRecord(doc.paths)) return undefined;
  for (const item of Object.values(doc.paths)) if (isRecord(item) && isRecord(item.post)) return item.post;
  return undefined;
}

/** Reads an `api_schema` document. Throws when it is not an OpenAPI-like object with a submit operation. */
export function readApiSchema(doc: unknown): ApiSchema {
  if (!isRecord(doc)) throw new Error("api_schema: not a JSON object");
  const server = Array.isArray(doc.servers) && isRecord(doc.servers[0]) ? doc.servers[0] : undefined;
  const submitUrl = typeof server?.url === "string" ? server.url : undefined;
  const post = operation(doc);
  if (!post) throw new Error("api_schema: no post operation (expected post or paths.*.post)");
  const body = resolve(doc, post.requestBody);
  const content = isRecord(body?.content) ? body.content : {};
  const media = content["application/json"] ?? Object.values(content)[0];
  const schema = resolve(doc, isRecord(media) ? media.schema : undefined);
  const warnings: string[] = [];
  if (!schema || !isRecord(schema.properties) || Object.keys(schema.properties).length === 0) {
    return { submitUrl, params: undefined, warnings };
  }
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const params: SourceParam[] = [];
  for (const [name, property] of Object.entries(schema.properties)) {
    const param = toParam(doc, name, property, required.has(name));
    if (typeof param === "string") warnings.push(`${name}: ${param}`);
    else params.push(param);
  }
  return { submitUrl, params, warnings };
}
