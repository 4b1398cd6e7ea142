/** Timing helpers: variants run interleaved in small chunks, so background load hits them alike. */
import { median } from "./stats.js";

/** Per-operation cost of one variant. */
export interface Cost {
  /** CPU time (user + system) of this process per operation, µs. */
  cpuUs: number;
  /** Elapsed time per operation, µs. */
  wallUs: number;
}

/** An operation to time; awaited when it returns a promise. */
export type Operation = () => unknown;

/**
 * Runs every variant `ops` times, alternating between them every `chunk`
 * operations (rotating which goes first), and returns each one's cost per operation.
 */
export async function interleave<K extends string>(variants: Record<K, Operation>, ops: number, chunk: number): Promise<Record<K, Cost>> {
  const names = Object.keys(variants) as K[];
  const totals = Object.fromEntries(names.map((name) => [name, { cpu: 0, wall: 0 }])) as Record<K, { cpu: number; wall: number }>;
  for (let done = 0, turn = 0; done < ops; done += chunk, turn++) {
    const count = Math.min(chunk, ops - done);
    for (let index = 0; index < names.length; index++) {
      const name = names[(index + turn) % names.length] as K;
      const operation = variants[name];
      const cpu = process.cpuUsage();
      const start = performance.now();
      for (let i = 0; i < count; i++) {
        const result = operation();
        if (result instanceof Promise) await result;
      }
      totals[name].wall += (performance.now() - start) * 1000;
      const used = process.cpuUsage(cpu);
      totals[name].cpu += used.user + used.system;
    }
  }
  return Object.fromEntries(names.map((name) => [name, { cpuUs: totals[name].cpu / ops, wallUs: totals[name].wall / ops }])) as Record<K, Cost>;
}

/** {@link interleave} run `rounds` times; each variant's cost is the median over the rounds (for noisy, socket-bound variants). */
export async function interleaveRounds<K extends string>(
  variants: Record<K, Operation>,
  rounds: number,
  ops: number,
  chunk: number,
): Promise<Record<K, Cost>> {
  const results: Array<Record<K, Cost>> = [];
  for (let index = 0; index < rounds; index++) results.push(await interleave(variants, ops, chunk));
  const names = Object.keys(variants) as K[];
  const pick = (name: K, key: keyof Cost) => median(results.map((result) => result[name][key]));
  return Object.fromEntries(names.map((name) => [name, { cpuUs: pick(name, "cpuUs"), wallUs: pick(name, "wallUs") }])) as Record<K, Cost>;
}
