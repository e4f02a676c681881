/** One whole run as a stream of events on the simulated clock, from launch to summary. */
import type { InterruptCause, SimEvent } from "./events.ts";
import { createRng } from "./rng.ts";
import type { RunConfig } from "./run_config.ts";
import { createTimeline, setCadence, type TickCadence } from "./timeline.ts";
import { launchPhase } from "./phases/launch.ts";
import { setupPhase } from "./phases/setup.ts";
import { allReduceProbe, trainPhase } from "./phases/train.ts";
import { exportPhase, summaryPhase } from "./phases/finish.ts";
import { runData } from "./run_data.ts";
import { resumePhase } from "./phases/resume.ts";
import { initialProgress, observeEvent, type RunProgress } from "./progress.ts";
import { interruptPhase, type StopSignalName } from "./phases/interrupt.ts";
import { smiPlan } from "./smi_plan.ts";

/** A run being read: its events, and the ending it tells if a signal cuts it short. */
export interface Simulation {
  /** Every event of the run in simulated-time order. */
  readonly events: IterableIterator<SimEvent>;
  /**
   * The closing events after `signal`, from the last event the consumer finished handling;
   * `cause` "time_limit" when Slurm ends the job at its time limit (default: a user's signal).
   */
  interrupt(signal: StopSignalName, cause?: InterruptCause): Generator<SimEvent>;
}

/**
 * Hands on a run's events and folds each into the progress once the consumer asks for the next
 * one, i.e. once it handled it. A plain iterator: a generator layer cost more per event.
 */
class Tracked implements IterableIterator<SimEvent> {
  #inner: Iterator<SimEvent>;
  #progress: RunProgress;
  #last: SimEvent | null = null;

  constructor(inner: Iterator<SimEvent>, progress: RunProgress) {
    this.#inner = inner;
    this.#progress = progress;
  }

  next(): IteratorResult<SimEvent> {
    if (this.#last) observeEvent(this.#progress, this.#last);
    const r = this.#inner.next();
    this.#last = r.done ? null : r.value;
    return r;
  }

  return(): IteratorResult<SimEvent> {
    this.#last = null;
    this.#inner.return?.(undefined);
    return { done: true, value: undefined };
  }

  [Symbol.iterator](): IterableIterator<SimEvent> {
    return this;
  }
}

/**
 * Starts a run whose progress is tracked, so a stop by signal can end it believably. A consumer
 * that reads the run ahead of handling it passes `readAhead`, which wraps the raw events: the
 * progress still follows only the events handed on from it.
 */
export function startRun(
  cfg: RunConfig,
  cadence: TickCadence,
  readAhead: (events: Iterator<SimEvent>) => Iterator<SimEvent> = (events) => events,
): Simulation {
  const progress = initialProgress(cfg);
  const events = new Tracked(readAhead(simulateRun(cfg, cadence)), progress);
  return {
    events,
    interrupt: (signal, cause) => interruptPhase(cfg, progress, signal, cause),
  };
}

/**
 * Yields every event of the run in simulated-time order; a run with a time limit is ended by
 * the scheduler's SIGTERM at that instant, as a signal from outside would end it.
 */
export function* simulateRun(cfg: RunConfig, cadence: TickCadence): Generator<SimEvent> {
  const limitMs = cfg.timeLimitMs;
  if (limitMs === null) return yield* wholeRun(cfg, cadence);
  const progress = initialProgress(cfg);
  for (const ev of wholeRun(cfg, cadence)) {
    if (ev.simMs >= limitMs) {
      progress.simMs = limitMs;
      return yield* interruptPhase(cfg, progress, "SIGTERM", "time_limit");
    }
    observeEvent(progress, ev);
    yield ev;
  }
}

/** Every event of the run from launch to summary, with no time limit. */
function* wholeRun(cfg: RunConfig, cadence: TickCadence): Generator<SimEvent> {
  const t = createTimeline(cfg, cadence);
  const smi = smiPlan(cfg);
  t.smiDueMs = smi.laterS.map((s) => cfg.startMs + s * 1000);
  yield { type: "phase", simMs: t.simMs, phase: "init", epoch: 0 };
  const launchRng = createRng(cfg.seed, "launch");
  yield* launchPhase(t, launchRng, 0, smi.atLaunch || cfg.pacing.relaunchSnapshot);
  yield { type: "run", simMs: t.simMs, level: "info", msg: "", data: runData(cfg) };
  yield* setupPhase(t, createRng(cfg.seed, "setup"));
  yield* resumePhase(t);
  yield allReduceProbe(t, 0);
  setCadence(t, cadence.trainMs);
  const state = yield* trainPhase(t);
  if (cfg.pacing.exports) yield* exportPhase(t, state, createRng(cfg.seed, "export"));
  yield* summaryPhase(t, state);
}
