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
