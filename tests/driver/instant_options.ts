/** Driver options for an --instant run in native style, with what a test sets itself. */
import type { DriverOptions } from "../../src/driver/driver.ts";
import { StopSignal } from "../../src/driver/pacer.ts";
import { NATIVE_STYLE } from "../../src/style/apply.ts";

/** An --instant run of one epoch, every step logged, on `nodes` nodes and `workers` workers. */
export function instantOptions(
  o: Pick<DriverOptions, "makeRenderer" | "live"> & {
    seed: number;
    nodes: number;
    workers: number;
    /** More fixed choices (e.g. a dataset, for a long run). */
    more?: Partial<DriverOptions["choices"]>;
  },
): DriverOptions {
  return {
    choices: {
      seed: o.seed,
      startMs: Date.UTC(2026, 10, 24, 9),
      nodes: o.nodes,
      logInterval: 1,
      epochs: 1,
      ...o.more,
    },
    instant: true,
    speed: null,
    loop: false,
    exitAfterMs: null,
    workers: () => o.workers,
    live: o.live,
    makeRenderer: o.makeRenderer,
    style: () => NATIVE_STYLE,
    stop: new StopSignal(),
    now: () => performance.now(),
  };
}
