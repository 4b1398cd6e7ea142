/**
 * Virtual time for simulated runs: replaces `setTimeout`, `clearTimeout`,
 * `setInterval`, `clearInterval`, `Date.now` and `performance.now` in this process with a clock that
 * jumps straight to the next due timer whenever the process is idle. Hours of
 * polling then take seconds, and every wait is exact. Install it only in a
 * process of its own (the benchmark runner starts one per benchmark).
 */
import type { FakeClock } from "../../src/testing/index.js";

/** A controllable clock driving every timer of the process. */
export interface VirtualTime {
  /** The virtual now, in ms since the epoch. */
  now(): number;
  /** The same clock as a `FakeClock` for `FakeModellix`. */
  readonly clock: FakeClock;
  /** Runs timers in time order until `work` settles, then returns its value. */
  run<T>(work: Promise<T>): Promise<T>;
  /** The real `performance.now()`, for timing the simulation itself. */
  realNow(): number;
  /** Puts the real timers, `Date.now` and `performance.now` back. */
  restore(): void;
}

class VirtualTimer {
  cancelled = false;
  constructor(
    readonly at: number,
    readonly seq: number,
    readonly callback: () => void,
    readonly repeatMs: number | undefined,
  ) {}
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  hasRef(): boolean {
    return true;
  }
  [Symbol.toPrimitive](): number {
    return this.seq;
  }
}

/**
 * Replaces the process's timers, `Date` (`Date.now()` and `new Date()` with no
 * argument) and `performance.now` with a virtual clock starting at `startMs`
 * (`performance.now` goes on from its real value, at the virtual pace).
 */
export function installVirtualTime(startMs: number): VirtualTime {
  const real = {
    setTimeout: globalThis.setTimeout,
    clearTimeout: globalThis.clearTimeout,
    setInterval: globalThis.setInterval,
    clearInterval: globalThis.clearInterval,
    dateNow: Date.now,
    Date: globalThis.Date,
    performanceNow: performance.now.bind(performance),
  };
  const performanceAtStart = real.performanceNow();
  const queue = new TimerQueue();
  const bySeq = new Map<number, VirtualTimer>();
  let now = startMs;
  let seq = 0;
  let activity = 0;

  const schedule = (callback: () => void, ms: number | undefined, repeat: boolean): VirtualTimer => {
    activity += 1;
    const delay = Math.max(0, Number(ms) || 0);
    const timer = new VirtualTimer(now + delay, ++seq, callback, repeat ? Math.max(1, delay) : undefined);
    queue.push(timer);
    bySeq.set(timer.seq, timer);
    return timer;
  };
  const cancel = (handle: unknown): void => {
    activity += 1;
    const timer = handle instanceof VirtualTimer ? handle : bySeq.get(Number(handle));
    if (!timer) return;
    timer.cancelled = true;
    bySeq.delete(timer.seq);
  };
  const patch = globalThis as unknown as Record<string, unknown>;
  patch.setTimeout = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) =>
    schedule(() => callback(...args), ms, false);
  patch.setInterval = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) =>
    schedule(() => callback(...args), ms, true);
  patch.clearTimeout = cancel;
  patch.clearInterval = cancel;
  Date.now = () => now;
  const RealDate = real.Date;
  // `new Date()` reads the virtual clock too (the SDK stamps a task's creation with it).
  globalThis.Date = class extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(now);
      else super(...(args as [string]));
    }
  } as DateConstructor;
  performance.now = () => performanceAtStart + (now - startMs);

  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  /** Waits until two event-loop turns pass without any timer being set or cleared. */
  const idle = async () => {
    for (let quiet = 0; quiet < 2; ) {
      const before = activity;
      await turn();
      quiet = activity === before ? quiet + 1 : 0;
    }
  };

  return {
    now: () => now,
    clock: { now: () => now },
    realNow: real.performanceNow,
    async run<T>(work: Promise<T>): Promise<T> {
      let settled = false;
      const watched = work.finally(() => {
        settled = true;
      });
      for (;;) {
        await idle();
        if (settled) return watched;
        const timer = queue.pop();
        if (!timer) throw new Error("virtual time: nothing is scheduled, but the work has not settled");
        bySeq.delete(timer.seq);
        now = Math.max(now, timer.at);
        if (timer.repeatMs !== undefined) {
          const next = new VirtualTimer(now + timer.repeatMs, timer.seq, timer.callback, timer.repeatMs);
          queue.push(next);
          bySeq.set(next.seq, next);
        }
        timer.callback();
      }
    },
    restore() {
      Object.assign(globalThis, {
        setTimeout: real.setTimeout,
        clearTimeout: real.clearTimeout,
        setInterval: real.setInterval,
        clearInterval: real.clearInterval,
      });
      Date.now = real.dateNow;
      globalThis.Date = real.Date;
      performance.now = real.performanceNow;
    },
  };
}

/** A binary min-heap of timers by due time, then creation order; cancelled timers are skipped on pop. */
class TimerQueue {
  readonly #heap: VirtualTimer[] = [];

  push(timer: VirtualTimer): void {
    const heap = this.#heap;
    heap.push(timer);
    for (let index = heap.length - 1; index > 0; ) {
      const parent = (index - 1) >> 1;
      if (!before(heap[index] as VirtualTimer, heap[parent] as VirtualTimer)) break;
      [heap[index], heap[parent]] = [heap[parent] as VirtualTimer, heap[index] as VirtualTimer];
      index = parent;
    }
  }

  pop(): VirtualTimer | undefined {
    for (;;) {
      const top = this.#take();
      if (!top?.cancelled) return top;
    }
  }

  #take(): VirtualTimer | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || !last) return top;
    heap[0] = last;
    for (let index = 0; ; ) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && before(heap[left] as VirtualTimer, heap[smallest] as VirtualTimer)) smallest = left;
      if (right < heap.length && before(heap[right] as VirtualTimer, heap[smallest] as VirtualTimer)) smallest = right;
      if (smallest === index) break;
      [heap[index], heap[smallest]] = [heap[smallest] as VirtualTimer, heap[index] as VirtualTimer];
      index = smallest;
    }
    return top;
  }
}

function before(a: VirtualTimer, b: VirtualTimer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
