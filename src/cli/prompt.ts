import { UserAbortError } from "../core/errors.js";
import type { CliIO } from "./io.js";

/**
 * Asks for a secret on a terminal without echoing it: the question goes to
 * stderr, standard input is read in raw mode up to Enter. Backspace edits,
 * Ctrl-C and Ctrl-D give up (`UserAbortError`).
 */
export async function promptSecret(io: CliIO, question: string): Promise<string> {
  const { stdin } = io;
  if (!stdin?.isTTY || !stdin.setRawMode) throw new UserAbortError("No terminal to ask on.");
  io.stderr.write(question);
  stdin.setRawMode(true);
  let answer = "";
  try {
    for await (const chunk of stdin) {
      for (const character of typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8")) {
        if (character === "\r" || character === "\n") return answer;
        if (character === "\u0003" || character === "\u0004") throw new UserAbortError("Cancelled.");
        if (character === "\u007f" || character === "\b") answer = answer.slice(0, -1);
        else if (character >= " ") answer += character;
      }
    }
    return answer;
  } finally {
    stdin.setRawMode(false);
    io.stderr.write("\n");
  }
}
