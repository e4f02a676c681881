/**
 * The chaos plan as it plays out in the training loop: which faults are due at a step, and
 * the `fault` events of those that show only in the numbers (spikes, skips, stragglers).
 */
import type { FaultData, Level, SimEvent } from "../events.ts";
import type { ChaosPlan, JobKiller, PlannedFault } from "../fault_plan.ts";
import { hostName } from "../names.ts";
import type { RunConfig } from "../run_config.ts";
import { expectedGradNorm, expectedLoss } from "../model/loss.ts";
import { logLine, type Timeline } from "../timeline.ts";
import type { StepNumbers, TrainState } from "./train_state.ts";

/**
 * A plan in flight: faults already struck, relaunches so far (the current launch's number),
 * the step the current launch started after, and the peak grad norm of a spike.
 */
export interface ChaosRun {
  plan: ChaosPlan;
  fired: Set<PlannedFault>;
  restarts: number;
  launchStartStep: number;
  spikeGradMax: number;
}

/** A plan before its first fault, for a run whose first launch starts after `startStep`. */
export function startChaos(plan: ChaosPlan, startStep = 0): ChaosRun {
  return { plan, fired: new Set(), restarts: 0, launchStartStep: startStep, spikeGradMax: 0 };
}

/** Rank, node, host and GPU index of a global rank. */
export function rankPlace(
  cfg: RunConfig,
  rank: number,
): Pick<FaultData, "rank" | "node" | "host" | "gpu"> {
  const node = Math.floor(rank / cfg.gpusPerNode);
  return { rank, node, host: hostName(cfg.cluster, node), gpu: rank % cfg.gpusPerNode };
}

const NO_RANK = { rank: null, node: null, host: null, gpu: null } as const;

/** A `fault` event now; counts it on the state. */
export function faultEvent(t: Timeline, s: TrainState, level: Level, data: FaultData): SimEvent {
  s.faults += 1;
  return { type: "fault", simMs: t.simMs, level, msg: "", data };
}

/**
 * The fault that kills the job in step `step` (a GPU fault, an OOM, a crash), if any; with
 * `save`, the one that kills it in the save of checkpoint `step`.
 */
export function interruptAt(run: ChaosRun, step: number, save = false): JobKiller | undefined {
  // Indexed: these loops run at every step, and for-of makes an iterator each time.
  for (let i = 0; i < run.plan.faults.length; i++) {
    const f = run.plan.faults[i];
    if (f.step !== step || run.fired.has(f) || !kills(f) || (f.site === "save") !== save) {
      continue;
    }
    run.fired.add(f);
    return f;
  }
  return undefined;
}

function kills(f: PlannedFault): f is JobKiller {
  return f.kind === "gpu_fault" || f.kind === "oom" || f.kind === "crash";
}

/** Nothing happened: the common case, shared so that a quiet step allocates nothing. */
const NONE: readonly SimEvent[] = Object.freeze([]);

/** Lines of faults that strike during step `n` (already computed), before its step line. */
export function stepFaults(
  t: Timeline,
  s: TrainState,
  run: ChaosRun,
  n: StepNumbers,
): readonly SimEvent[] {
  let out: SimEvent[] | null = null;
  // Indexed: these loops run at every step, and for-of makes an iterator each time.
  for (let i = 0; i < run.plan.faults.length; i++) {
    const f = run.plan.faults[i];
    if (f.kind === "loss_spike" && s.step >= f.startStep && s.step <= f.step) {
      run.spikeGradMax = Math.max(run.spikeGradMax, n.gradNorm);
    }
    if (f.kind === "loss_spike" && !f.skip && s.step === f.recoveredStep) {
      (out ??= []).push(
        logLine(t, "fault.recovered", { step: s.step, loss: n.loss, spike_step: f.step }),
      );
    }
    // A job killer fires through interruptAt(), a failed save after this step's events.
    if (f.step !== s.step || run.fired.has(f) || kills(f)) continue;
    run.fired.add(f);
    const data = faultData(t.cfg, s, run, f, n);
    if (data && n.overflow) {
      data.attempted_scale = n.attemptedScale;
      data.hysteresis = n.hysteresisBefore;
    }
    if (data) (out ??= []).push(faultEvent(t, s, "warn", data));
  }
  return out ?? NONE;
}

function faultData(
  cfg: RunConfig,
  s: TrainState,
  run: ChaosRun,
  f: PlannedFault,
  n: StepNumbers,
): FaultData | null {
  const step = s.step;
  switch (f.kind) {
    case "loss_spike": {
      const peak = run.spikeGradMax;
      run.spikeGradMax = 0;
      if (f.skip) {
        const mean = expectedGradNorm(s.gradCurve, step);
        const cause = `${(n.gradNorm / mean).toFixed(0)}× its running mean of ${mean.toFixed(3)}`;
        return { kind: f.kind, step, ...NO_RANK, recovery: "skip_batch", cause, grad_norm: peak };
      }
      const ratio = n.loss / expectedLoss(s.curve, step);
      return {
        kind: f.kind,
        step,
        ...NO_RANK,
        recovery: "continue",
        cause: `${ratio.toFixed(2)}× the running loss`,
        loss: n.loss,
        grad_norm: peak,
      };
    }
    case "fp16_overflow":
      return {
        kind: f.kind,
        step,
        ...rankPlace(cfg, f.rank),
        recovery: "skip_step",
        cause: "inf in the fp16 gradients",
        loss_scale: s.lossScale,
      };
    case "nan":
      return {
        kind: f.kind,
        step,
        ...rankPlace(cfg, f.rank),
        recovery: "skip_batch",
        cause: "grad_norm is nan",
        loss: n.loss,
      };
    case "straggler":
      return {
        kind: f.kind,
        step,
        ...rankPlace(cfg, f.rank),
        recovery: "gpu_reset",
        cause: f.cause,
        since_step: f.sinceStep,
        slowdown_pct: f.slowdown * 100,
      };
    default:
      return null;
  }
}
