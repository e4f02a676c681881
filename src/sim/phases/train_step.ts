/**
 * One optimizer step as events: the step line with its numbers, the ticks it crosses, the fault
 * lines it brings, and for a logged step its all-reduce probe and now and then a warning.
 */
import type { SimEvent, StepData } from "../events.ts";
import type { RunConfig } from "../run_config.ts";
import { advance, logLine, moveClock, type Timeline } from "../timeline.ts";
import {
  domainLosses,
  etaSeconds,
  nextStep,
  type StepNumbers,
  type TrainState,
} from "./train_state.ts";
import { tflopsPerGpu } from "../model/throughput.ts";
import { allReduceAlgo } from "../model/comm.ts";
import { warningFact } from "./warnings.ts";
import { disturbanceAt } from "../disturbance.ts";
import { type ChaosRun, stepFaults } from "./faults.ts";

/** Logged steps between two all-reduce timing lines. */
const ALLREDUCE_EVERY_LOGS = 5;
/** At most about this many all-reduce lines per run, however dense the logging. */
const MAX_ALLREDUCE_LINES = 240;

/** Steps between all-reduce timing lines: every 5th logged step, at most ~240 per run. */
export function allReduceEverySteps(cfg: RunConfig): number {
  const logs = Math.ceil(cfg.totalSteps / (MAX_ALLREDUCE_LINES * cfg.logInterval));
  return cfg.logInterval * Math.max(ALLREDUCE_EVERY_LOGS, logs);
}
/** Chance that a logged step is followed by a warning (keeps warnings well under 5% of lines). */
const WARNING_CHANCE = 0.006;

/**
 * The events of the next step, in order: ticks it crosses, fault lines, the step itself, then
 * for a logged step its all-reduce probe and any warning. Built as a plain array, `out` (emptied
 * first, and reused from step to step by the caller once it has read the last step's events): a
 * generator per step cost more than the step's arithmetic.
 */
export function stepEvents(
  t: Timeline,
  s: TrainState,
  epoch: number,
  chaos: ChaosRun,
  allReduceEvery: number,
  out: SimEvent[] = [],
): SimEvent[] {
  const cfg = t.cfg;
  const disturbance = disturbanceAt(chaos.plan, s.step + 1, chaos.fired);
  const n = nextStep(cfg, s, disturbance);
  // Emptied by popping: `out.length = 0` would drop the array's storage, and every step's first
  // push would allocate it again.
  while (out.length > 0) out.pop();
  // Most steps cross no telemetry tick: only then does the clock need a generator to advance.
  if (!moveClock(t, n.stepS * 1000)) out.push(...advance(t, n.stepS * 1000, "train"));
  // A batch a fault made the run skip is always logged, so its skip shows next to the fault.
  const logged = s.step === 1 || (s.step - cfg.pacing.logOffset) % cfg.logInterval === 0 ||
    s.step === cfg.totalSteps || disturbance.skip || disturbance.overflow;
  const data = stepData(t, s, epoch, n);
  // A planned fault's overflow is told by its own `fault` event.
  if (n.overflow && !disturbance.overflow && !disturbance.skip) {
    const fact = {
      step: s.step,
      loss_scale: s.lossScale,
      attempted: n.attemptedScale,
      hysteresis: n.hysteresisBefore,
    };
    out.push(logLine(t, "fp16.overflow", fact, "warn"));
  }
  const faults = stepFaults(t, s, chaos, n);
  if (faults.length > 0) out.push(...faults);
  out.push({ type: "step", simMs: t.simMs, level: "info", msg: "", data, logged });
  if (!logged) return out;
  if (s.step === 1 || s.step % allReduceEvery === 0) {
    out.push(allReduceProbe(t, s.step));
  }
  if (s.step > 1 && s.rngEvents.chance(WARNING_CHANCE)) {
    out.push(logLine(t, "warning", warningFact(cfg, s, s.rngEvents), "warn"));
  }
  return out;
}

/** The fields of the step just taken. */
function stepData(t: Timeline, s: TrainState, epoch: number, n: StepNumbers): StepData {
  const cfg = t.cfg;
  const tokensPerS = cfg.tokensPerStep / n.stepS;
  const tflops = tflopsPerGpu(tokensPerS, cfg.flopsPerToken, cfg.worldSize);
  const data: StepData = {
    epoch,
    epochs: cfg.epochs,
    epoch_step: s.step - (epoch - 1) * cfg.stepsPerEpoch,
    steps_per_epoch: cfg.stepsPerEpoch,
    step: s.step,
    total_steps: cfg.totalSteps,
    loss: n.loss,
    ppl: Math.exp(n.loss),
    lr: n.lr,
    grad_norm: n.gradNorm,
    loss_scale: s.lossScale,
    step_time_s: n.stepS,
    tokens_per_s: tokensPerS,
    samples_per_s: cfg.globalBatch / n.stepS,
    tflops_per_gpu: tflops,
    mfu: tflops / cfg.peakTflops,
    elapsed_s: (t.simMs - s.trainStartMs) / 1000,
    eta_s: etaSeconds(cfg, s, n.stepS),
    tokens_seen: s.step * cfg.tokensPerStep,
  };
  // Assigned rather than spread in: an object literal with spreads is built slowly, every step.
  if (n.skipped) data.skipped = true;
  if (cfg.dataset.domains.length > 1) data.domain_losses = domainLosses(cfg, s, n.loss);
  return data;
}

/** A tick that asks every node to time the gradient all-reduce of `step`. */
export function allReduceProbe(t: Timeline, step: number): SimEvent {
  const cfg = t.cfg;
  const p = cfg.plan;
  const ranks = p.dp > 1 ? p.dp : cfg.worldSize;
  const tick = { activity: "train" as const, intensity: 0.85, memGiB: t.memGiB, loadFraction: 1 };
  // A single rank has no gradients to all-reduce: the tick only samples telemetry.
  if (ranks <= 1) return { type: "tick", simMs: t.simMs, report: false, tick };
  return {
    type: "tick",
    simMs: t.simMs,
    report: false,
    allreduceStep: step,
    algo: allReduceAlgo(cfg.gpu, cfg.nodes),
    tick: { ...tick, allreduce: { bytes: gradientBytes(cfg), ranks, busbwGBps: cfg.busbwGBps } },
  };
}

/** Bytes of one rank's gradients all-reduced per step (bf16, fp32 under Megatron's main grads). */
export function gradientBytes(cfg: RunConfig): number {
  const perParam = cfg.plan.strategy === "megatron" ? 4 : 2;
  return Math.round((cfg.model.params / (cfg.plan.tp * cfg.plan.pp)) * perParam);
}
