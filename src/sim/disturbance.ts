/** What the faults in flight do to one step: its loss, grad norm, time, and whether it is skipped. */
import type { ChaosPlan, PlannedFault, SpikeFault } from "./fault_plan.ts";
import { CALM, type StepDisturbance } from "./phases/train_state.ts";

/** Units the loss lags behind the grad norm. */
export const SPIKE_LAG_UNITS = 1;
/** e-folding time of the loss's recovery, in units. */
export const SPIKE_HEAL_UNITS = 5;

/** Factors on the grad norm and loss `x` units into a spike. */
export function spikeFactors(f: SpikeFault, x: number): { grad: number; loss: number } {
  if (f.skip) return { grad: x <= 2 ? f.gradPeak ** (x / 2) : 1, loss: 1 };
  const grad = x <= 3 ? f.gradPeak ** (x / 3) : 1 + (f.gradPeak - 1) * Math.exp(-(x - 3) / 1.5);
  const y = x - SPIKE_LAG_UNITS;
  const shape = y < 0 ? 0 : y <= 3 ? (y / 3) ** 2 : Math.exp(-(y - 3) / SPIKE_HEAL_UNITS);
  return { grad, loss: 1 + f.lossAmp * shape };
}

/**
 * What the plan's faults do to `step` (CALM when nothing is in flight); `fired` holds the faults
 * that already struck (an out-of-memory slows every step of the job relaunched after it). Runs
 * every step: the disturbance is made only when a fault is in flight, without a closure per call.
 */
export function disturbanceAt(
  plan: ChaosPlan,
  step: number,
  fired?: ReadonlySet<PlannedFault>,
): StepDisturbance {
  let d: StepDisturbance | null = null;
  // Indexed: these loops run at every step, and for-of makes an iterator each time.
  for (let i = 0; i < plan.faults.length; i++) {
    const f = plan.faults[i];
    if (f.kind === "loss_spike") {
      const x = (step - f.startStep) / f.unitSteps;
      if (x < 0 || step > f.endStep) continue;
      const k = spikeFactors(f, x);
      d ??= { ...CALM };
      d.gradFactor *= k.grad;
      d.lossFactor *= k.loss;
      if (f.skip && step === f.step) d.skip = true;
    } else if (f.kind === "straggler" && step >= f.sinceStep && step <= f.step) {
      d ??= { ...CALM };
      d.speedFactor *= 1 + f.slowdown;
    } else if (f.kind === "oom" && fired?.has(f)) {
      d ??= { ...CALM };
      d.speedFactor *= 1 + f.slowdown;
    } else if (f.kind === "fp16_overflow" && step === f.step) {
      d ??= { ...CALM };
      d.overflow = true;
    } else if (f.kind === "nan" && step === f.step) {
      d ??= { ...CALM };
      d.skip = true;
    }
  }
  return d ?? CALM;
}
