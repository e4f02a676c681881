/** Learning-rate schedules: linear warmup, then cosine or warmup-stable-decay to a floor. */
import type { RunConfig } from "../run_config.ts";

/** Shape of the decay after warmup. */
export type ScheduleKind = "cosine" | "wsd";

/** Inputs of a schedule; steps count from 1. */
export interface Schedule {
  kind: ScheduleKind;
  lrMax: number;
  lrMin: number;
  warmupSteps: number;
  totalSteps: number;
}

/** Learning rate at optimizer step `step` (1-based): linear warmup, then decay to lrMin. */
export function learningRate(s: Schedule, step: number): number {
  if (step <= s.warmupSteps) return (s.lrMax * step) / Math.max(1, s.warmupSteps);
  const span = Math.max(1, s.totalSteps - s.warmupSteps);
  const t = Math.min(1, (step - s.warmupSteps) / span);
  if (s.kind === "cosine") {
    return s.lrMin + 0.5 * (s.lrMax - s.lrMin) * (1 + Math.cos(Math.PI * t));
  }
  // Warmup-stable-decay: flat at the peak, then a linear cool-down over the last 20%.
  const decayFrom = 0.8;
  if (t <= decayFrom) return s.lrMax;
  return s.lrMax - (s.lrMax - s.lrMin) * ((t - decayFrom) / (1 - decayFrom));
}

/** The run's learning-rate schedule. */
export function scheduleOf(cfg: RunConfig): Schedule {
  return {
    kind: cfg.schedule,
    lrMax: cfg.lrMax,
    lrMin: cfg.lrMin,
    warmupSteps: cfg.warmupSteps,
    totalSteps: cfg.totalSteps,
  };
}
