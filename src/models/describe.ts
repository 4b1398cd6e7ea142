/** Short, key-free descriptions of input values for validation messages. */

/** `"abc"`, `42`, `NaN`, `null`, `an array`, `a Blob`, `an object` ... (long strings cut at 40 characters). */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value === "object") {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    if (typeof name !== "string" || name === "Object" || name === "") return "an object";
    return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
  }
  return `a ${typeof value}`;
}

/** `"a", "b" or "c"`: a list of literals for a message. */
export function describeChoices(values: readonly (string | number)[]): string {
  const shown = values.map((value) => (typeof value === "string" ? JSON.stringify(value) : String(value)));
  return shown.length <= 1 ? (shown[0] ?? "") : `${shown.slice(0, -1).join(", ")} or ${shown.at(-1)}`;
}
