/**
 * The step bar's rate, smoothed as tqdm smooths its own: an exponential moving average of the
 * seconds each optimizer step took, weighted by time, so the rate shown over a stretch of steady
 * training is the rate at which the step counter moves rather than the last step's wobble, and a
 * slow first step (compilation, warm-up) has faded within seconds.
 */

/** Seconds over which a step's weight in the average falls to 1/e. */
export const STEP_RATE_TAU_S = 5;

/** The running average; fold steps in with updateStepRate(). */
export interface StepRate {
  /** The average of step seconds, biased towards 0 by the weight not gathered yet. */
  biasedMeanS: number;
  /** Weight gathered so far, 0 to 1 (the bias correction, as tqdm's EMA has). */
  weight: number;
}

/** An average with no step in it yet. */
export function createStepRate(): StepRate {
  return { biasedMeanS: 0, weight: 0 };
}

/**
 * Folds in a step that took `stepS` seconds and returns the smoothed seconds per step (the
 * first step's own time, then the average); a step without a positive finite time changes
 * nothing (NaN until a step had one).
 */
export function updateStepRate(r: StepRate, stepS: number): number {
  if (stepS > 0 && Number.isFinite(stepS)) {
    // A step's weight grows with its length: a minute-long step counts as much as a minute of
    // fast ones, so the average is over time, as the step counter's rate is.
    const alpha = 1 - Math.exp(-stepS / STEP_RATE_TAU_S);
    r.biasedMeanS += alpha * (stepS - r.biasedMeanS);
    r.weight += alpha * (1 - r.weight);
  }
  return r.weight > 0 ? r.biasedMeanS / r.weight : NaN;
}
