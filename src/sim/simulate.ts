/** One whole run as a stream of events on the simulated clock, from launch to summary. */
import type { SimEvent } from "./events.ts";
import { createRng } from "./rng.ts";
import type { RunConfig } from "./run_config.ts";
import { createTimeline, setCadence, type TickCadence } from "./timeline.ts";
import { launchPhase } from "./phases/launch.ts";
import { setupPhase } from "./phases/setup.ts";
import { allReduceProbe, trainPhase } from "./phases/train.ts";
import { exportPhase, summaryPhase } from "./phases/finish.ts";
import { runData } from "./run_data.ts";
import { resumePhase } from "./phases/resume.ts";
import { initialProgress, observeEvent } from "./progress.ts";
import { interruptPhase, type StopSignalName } from "./phases/interrupt.ts";

/** A run being read: its events, and the ending it tells if a signal cuts it short. */
export interface Simulation {
  /** Every event of the run in simulated-time order. */
  readonly events: Generator<SimEvent>;
  /** The closing events after `signal`, from the last event the consumer finished handling. */
  interrupt(signal: StopSignalName): Generator<SimEvent>;
}

/** Starts a run whose progress is tracked, so a stop by signal can end it believably. */
export function startRun(cfg: RunConfig, cadence: TickCadence): Simulation {
  const progress = initialProgress(cfg);
  function* tracked(): Generator<SimEvent> {
    for (const ev of simulateRun(cfg, cadence)) {
      yield ev;
      // Reached only when the consumer asks for the next event, i.e. once it handled this one.
      observeEvent(progress, ev);
    }
  }
  return { events: tracked(), interrupt: (signal) => interruptPhase(cfg, progress, signal) };
}

/** Yields every event of the run in simulated-time order. */
export function* simulateRun(cfg: RunConfig, cadence: TickCadence): Generator<SimEvent> {
  const t = createTimeline(cfg, cadence);
  yield { type: "phase", simMs: t.simMs, phase: "init", epoch: 0 };
  const launchRng = createRng(cfg.seed, "launch");
  yield* launchPhase(t, launchRng);
  yield { type: "run", simMs: t.simMs, level: "info", msg: "", data: runData(cfg) };
  yield* setupPhase(t, createRng(cfg.seed, "setup"));
  yield* resumePhase(t);
  yield allReduceProbe(t, 0);
  setCadence(t, cadence.trainMs);
  const state = yield* trainPhase(t);
  yield* exportPhase(t, state, createRng(cfg.seed, "export"));
  yield* summaryPhase(t, state);
}
