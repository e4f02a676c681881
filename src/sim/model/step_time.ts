/**
 * How long each optimizer step takes around its steady mean, as real clusters vary it: a tight
 * core that wanders slowly (clocks, other jobs on the network), rare stalls (a data-loader wait,
 * a Python garbage collection, a slow all-reduce), a periodic extra cost some scripts pay every
 * few hundred steps (gc.collect, a synchronising metric), and in some recipes an alternation
 * between even and odd steps. Each run draws its own character once.
 */
import type { Rng } from "../rng.ts";
import { ar1 } from "./loss.ts";

/** A run's step-time character. */
export interface StepTimeModel {
  /** Relative size of the step-to-step core noise (log-space standard deviation). */
  core: number;
  /** Relative size of the slow wander, and its memory per step. */
  drift: number;
  driftRho: number;
  /** Chance a step stalls, and the median and spread of a stall's extra share. */
  stallP: number;
  stallMedian: number;
  stallSpread: number;
  /** Steps between periodic extra costs (0: none), and their extra share. */
  every: number;
  everyCost: number;
  /** Extra share of even steps over odd ones (0: none). */
  alternation: number;
}

/** What the script's pacing asks of the model (Pacing.stepJitter, .stepAlternation, .stepStalls). */
export interface StepTimeRequest {
  core?: [number, number];
  alternation?: [number, number];
  stalls?: boolean;
}

/** Draws a run's step-time character; bigger jobs are noisier (more ranks to wait for). */
export function drawStepTimeModel(
  rng: Rng,
  nodes: number,
  req: StepTimeRequest = {},
): StepTimeModel {
  const scale = 1 + 0.25 * Math.log2(Math.max(1, nodes));
  const core = req.core ? rng.range(req.core[0], req.core[1]) : rng.range(0.0008, 0.005) * scale;
  const stalls = req.stalls ?? true;
  return {
    core,
    drift: rng.range(0.001, 0.006),
    driftRho: rng.range(0.97, 0.995),
    stallP: stalls ? rng.range(0.002, 0.02) * scale : 0,
    stallMedian: rng.range(0.08, 0.35),
    stallSpread: rng.range(0.4, 0.9),
    every: stalls && rng.chance(0.3) ? rng.pick([50, 100, 200, 250, 500, 1000]) : 0,
    everyCost: rng.range(0.05, 0.6),
    alternation: req.alternation ? rng.range(req.alternation[0], req.alternation[1]) : 0,
  };
}

/** The wandering parts a run carries from step to step. */
export interface StepTimeState {
  core: number;
  drift: number;
}

/** The factor on the steady step time of `step`, advancing `st` (uses `rng` a fixed 4 times). */
export function stepTimeFactor(
  m: StepTimeModel,
  st: StepTimeState,
  step: number,
  rng: Rng,
): number {
  st.core = ar1(st.core, 0.3, m.core, rng.normal());
  st.drift = ar1(st.drift, m.driftRho, m.drift, rng.normal());
  const u = rng.next(), z = rng.normal();
  const stall = u < m.stallP ? Math.min(2, m.stallMedian * Math.exp(m.stallSpread * z)) : 0;
  const periodic = m.every > 0 && step % m.every === 0 ? m.everyCost : 0;
  const alternate = m.alternation > 0 && step % 2 === 0 ? m.alternation : 0;
  return Math.exp(st.core + st.drift) * (1 + stall + periodic + alternate);
}
