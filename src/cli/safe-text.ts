/**
 * Text from the server (task messages, model descriptions, file names, even
 * task ids) is printed to a terminal: it must not be able to move the cursor,
 * rewrite earlier lines, set the window title, hide text or reorder it.
 */

/** Escape sequences: CSI (`ESC [ ... final`, or the one-byte C1 CSI), OSC (`ESC ] ... BEL | ESC \`), DCS/SOS/PM/APC strings, and two-byte `ESC x`. */
const ESCAPE_SEQUENCE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /\u001b\[[0-?]*[ -/]*[@-~]?|\u009b[0-?]*[ -/]*[@-~]?|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d-\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[ -~]?/g;
/** Characters a terminal acts on, and the bidirectional overrides that reorder what is shown. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * A server string made safe for one line of terminal output: escape sequences
 * are removed, line breaks and tabs become spaces, other control and
 * bidirectional-override characters are dropped, and the text is cut at
 * `maxLength` characters.
 */
export function safeText(value: unknown, maxLength = 2000): string {
  const text = typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
  const clean = text.replace(ESCAPE_SEQUENCE, "").replace(CONTROL, (character) => (/[\t\n\r\u2028\u2029]/.test(character) ? " " : ""));
  return clean.length > maxLength ? `${clean.slice(0, maxLength)}…` : clean;
}

/**
 * `JSON.stringify(value, null, 2)` whose output is safe on a terminal too:
 * JSON already escapes C0 controls; this also escapes DEL, the C1 controls and
 * the bidirectional overrides as `\uXXXX`, which parses back to the same data.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
