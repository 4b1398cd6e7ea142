/**
 * The task timeline behind the peers' simulated APIs (lib/replicate-api.ts,
 * lib/fal-api.ts): a task runs from its creation for a duration taken from its
 * input, on a given clock (virtual time in the benchmarks), and counts the
 * status reads it receives. Nothing advances by timers: a status is computed
 * from the clock when read, as in the SDK's own fake.
 */
import type { FakeClock } from "../../src/testing/index.js";

/** One simulated task. */
export interface SimulatedTask {
  readonly id: string;
  readonly input: Readonly<Record<string, unknown>>;
  /** When the server created it (ms on the clock). */
  readonly createdAt: number;
  /** When it ends (ms on the clock). */
  readonly endsAt: number;
  /** Status reads received so far. */
  reads: number;
}

/** The tasks of one simulated API. */
export class SimulatedTasks {
  readonly #clock: FakeClock;
  readonly #durationOf: (input: Readonly<Record<string, unknown>>) => number;
  readonly #tasks = new Map<string, SimulatedTask>();
  readonly #prefix: string;

  /** Tasks whose ids start with `prefix`, each lasting `durationOf(input)` ms on `clock`. */
  constructor(clock: FakeClock, durationOf: (input: Readonly<Record<string, unknown>>) => number, prefix: string) {
    this.#clock = clock;
    this.#durationOf = durationOf;
    this.#prefix = prefix;
  }

  /** Creates a task that starts now. */
  create(input: Readonly<Record<string, unknown>>): SimulatedTask {
    const createdAt = this.#clock.now();
    const task: SimulatedTask = { id: `${this.#prefix}${this.#tasks.size + 1}`, input, createdAt, endsAt: createdAt + this.#durationOf(input), reads: 0 };
    this.#tasks.set(task.id, task);
    return task;
  }

  /** The task with this id, counting the read; undefined for an unknown id. */
  read(id: string): SimulatedTask | undefined {
    const task = this.#tasks.get(id);
    if (task) task.reads += 1;
    return task;
  }

  /** The task with this id, without counting a read. */
  peek(id: string): SimulatedTask | undefined {
    return this.#tasks.get(id);
  }

  /** True once the task has ended. */
  done(task: SimulatedTask): boolean {
    return this.#clock.now() >= task.endsAt;
  }

  /** Every task created, oldest first. */
  list(): SimulatedTask[] {
    return [...this.#tasks.values()];
  }
}
