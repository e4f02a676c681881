/**
 * A fine-tune's optimizer recipe as people write them in SFT scripts: a peak learning rate of
 * the usual full-parameter values, and warm-up as a ratio of the run (0.03, 0.05, 0.1: the
 * Trainer's ceil(steps × ratio)) or, in some scripts, a round number of steps.
 */
import { createRng } from "./rng.ts";

/** A fine-tune's learning rate and warm-up. */
export interface FinetuneRecipe {
  lrMax: number;
  warmupSteps: number;
  /** The ratio the warm-up came from, or 0 when the script gives steps. */
  warmupRatio: number;
}

const LRS = [2e-5, 1e-5, 5e-6, 3e-5, 7e-6, 1e-6];
const LR_WEIGHTS = [34, 26, 16, 10, 8, 6];
const RATIOS = [0.03, 0.1, 0.05];
const RATIO_WEIGHTS = [50, 30, 20];
const ROUND_STEPS = [10, 20, 50, 100, 200, 500];

/** Draws the recipe of a fine-tune of `totalSteps` optimizer steps (its own stream). */
export function finetuneRecipe(seed: number, totalSteps: number): FinetuneRecipe {
  const rng = createRng(seed, "recipe");
  const lrMax = rng.weighted(LRS, LR_WEIGHTS);
  const round = ROUND_STEPS.filter((s) => s <= totalSteps / 8);
  if (round.length > 0 && rng.chance(0.25)) {
    return { lrMax, warmupSteps: rng.pick(round.slice(0, 3)), warmupRatio: 0 };
  }
  const warmupRatio = rng.weighted(RATIOS, RATIO_WEIGHTS);
  return { lrMax, warmupSteps: Math.ceil(totalSteps * warmupRatio), warmupRatio };
}
