/**
 * The speedrun record script's timer. Until January 2025 the clock restarts when the loop
 * reaches step 10, so steps 1–10 carry torch.compile; step_avg divides by the steps since then
 * and reads `nan` up to step 12. Later records compile on untimed warm-up steps before the loop
 * and divide by the step itself (step 0 by 1). Validation stops the clock after a CUDA
 * synchronize, so its train_time runs ahead of the step line before it, while the step lines read
 * the host's clock, which runs a little under a step ahead of the GPU's work.
 */

/** The step at which the script restarts its clock (`if step == 10`). */
export const CLOCK_RESET_STEP = 10;

/** One run's timer, in milliseconds. */
export interface SpeedrunClock {
  /** training_time_ms: the time banked at the last synchronised stop. */
  bankedMs: number;
  /** GPU work queued since the last synchronised stop. */
  gpuMs: number;
  /** How far the host runs ahead of the GPU once it is in stride. */
  leadMs: number;
  /** The step the current process started after (0, or the checkpoint it resumed from). */
  launchStep: number;
  /** Whether the clock restarts at step 10 (records until January 2025). */
  resets: boolean;
}

/**
 * A clock for a process starting after `launchStep`, the host `leadMs` ahead of the GPU; `resets`
 * for the scripts that restart it at step 10, else `startMs` is what the clock holds at step 0
 * (the few hundredths of a millisecond between its start and the first synchronize).
 */
export function startClock(
  launchStep: number,
  leadMs: number,
  resets = true,
  startMs = 0,
): SpeedrunClock {
  return { bankedMs: resets ? 0 : startMs, gpuMs: 0, leadMs, launchStep, resets };
}

/** Python's `f"{x:.2f}"` of a step average, `nan` while the divisor is NaN. */
function avg(ms: number, steps: number): string {
  return Number.isNaN(steps) ? "nan" : (ms / steps).toFixed(2);
}

/** Steps the average divides by when the step line for step `n` prints (`timed_steps`). */
function timedSteps(c: SpeedrunClock, n: number): number {
  const local = n - c.launchStep;
  if (!c.resets) return Math.max(1, local);
  return local <= CLOCK_RESET_STEP + 2 ? NaN : local - CLOCK_RESET_STEP;
}

/**
 * The train line's `train_time:…ms step_avg:…ms` after step `n` took `stepMs` on the GPU: the
 * host's clock, at most `leadMs` (and never more than the step less launch time) short of it.
 */
export function afterStep(c: SpeedrunClock, n: number, stepMs: number): string {
  // The restart happens at the top of loop step 10 without a synchronize: the work still queued
  // then (the host's lead) is counted in the new clock.
  if (c.resets && n - c.launchStep === CLOCK_RESET_STEP + 1) {
    c.bankedMs = 0;
    c.gpuMs = Math.min(c.leadMs, c.gpuMs);
  }
  c.gpuMs += stepMs;
  const lead = Math.min(c.leadMs, Math.max(0, c.gpuMs - 8));
  const ms = c.bankedMs + c.gpuMs - lead;
  return `train_time:${ms.toFixed(0)}ms step_avg:${avg(ms, timedSteps(c, n))}ms`;
}

/** The validation line's clock at step `n`: synchronised, then banked until the next step. */
export function atValidation(c: SpeedrunClock, n: number): string {
  c.bankedMs += c.gpuMs;
  c.gpuMs = 0;
  const local = n - c.launchStep;
  const steps = !c.resets
    ? Math.max(1, local)
    : local <= CLOCK_RESET_STEP + 1
    ? NaN
    : local - CLOCK_RESET_STEP;
  return `train_time:${c.bankedMs.toFixed(0)}ms step_avg:${avg(c.bankedMs, steps)}ms`;
}
