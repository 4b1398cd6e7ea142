/** Where progress goes: the process's stderr, or a test's stand-in. */
export interface ProgressStream {
  write(text: string): unknown;
  /** A terminal gets a spinner; anything else gets one plain line per change. */
  isTTY?: boolean | undefined;
}

/** Shows what a long operation is doing. */
export interface Progress {
  /** The current state, e.g. `task-1 processing`. */
  update(text: string): void;
  /** Fast-changing detail after the state, such as bytes received: drawn on a terminal, never printed as lines. */
  detail(text: string): void;
  /** A line that stays, e.g. the id of a submitted task. */
  note(text: string): void;
  /** Runs `write` (which prints a result line on stdout) with the spinner's line cleared first and drawn again after. */
  above(write: () => void): void;
  /** Stops the spinner and clears its line. */
  stop(): void;
}

const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const clearLine = "\r\x1b[2K";

/** A spinner with the elapsed time on a terminal, plain lines when piped, nothing at all when `enabled` is false. */
export function createProgress(stream: ProgressStream, enabled: boolean): Progress {
  if (!enabled) return { update: () => {}, detail: () => {}, note: () => {}, above: (write) => write(), stop: () => {} };
  return stream.isTTY ? spinner(stream) : plainLines(stream);
}

function plainLines(stream: ProgressStream): Progress {
  let last: string | undefined;
  return {
    update(text) {
      if (text === last) return;
      last = text;
      stream.write(`${text}\n`);
    },
    detail() {},
    note(text) {
      stream.write(`${text}\n`);
    },
    above(write) {
      write();
    },
    stop() {},
  };
}

function spinner(stream: ProgressStream): Progress {
  const startedAt = Date.now();
  let text = "";
  let suffix = "";
  let frame = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  const draw = () => {
    const seconds = Math.floor((Date.now() - startedAt) / 1000);
    stream.write(`${clearLine}${frames[frame++ % frames.length]} ${text}${suffix} ${seconds}s`);
  };
  return {
    update(next) {
      text = next;
      suffix = "";
      timer ??= setInterval(draw, 100);
      timer.unref?.();
      draw();
    },
    detail(next) {
      suffix = ` ${next}`;
    },
    note(line) {
      stream.write(`${clearLine}${line}\n`);
      if (timer !== undefined) draw();
    },
    above(write) {
      if (timer !== undefined) stream.write(clearLine);
      write();
      if (timer !== undefined) draw();
    },
    stop() {
      if (timer === undefined) return;
      clearInterval(timer);
      timer = undefined;
      stream.write(clearLine);
    },
  };
}
