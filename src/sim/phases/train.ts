/** The training loop: epochs of steps, all-reduce probes, warnings, checkpoints and validation. */
import type { SimEvent, StepData } from "../events.ts";
import type { RunConfig } from "../run_config.ts";
import { advance, logLine, moveClock, progress, type Timeline } from "../timeline.ts";
import {
  domainLosses,
  etaSeconds,
  initialTrainState,
  markCheckpoint,
  nextStep,
  steadyStepSeconds,
  type StepNumbers,
  type TrainState,
} from "./train_state.ts";
import { tflopsPerGpu } from "../model/throughput.ts";
import { allReduceAlgo } from "../model/comm.ts";
import { checkpointBytes, storageBandwidthGBps, writeSeconds } from "../model/storage.ts";
import { tokenAccuracy, validationLoss } from "../model/loss.ts";
import { formatBytes, formatSeconds } from "../../style/units.ts";
import { warningLine } from "./warnings.ts";
import { drawChaosPlan } from "../chaos.ts";
import { disturbanceAt } from "../disturbance.ts";
import { type ChaosRun, interruptAt, oomRetry, startChaos, stepFaults } from "./faults.ts";
import { type CheckpointRead, gpuOutage } from "./gpu_fault.ts";
import type { PlannedFault } from "../fault_plan.ts";

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
 * Runs every step left (all of them, or those after `--resume`'s checkpoint) and returns the
 * final state for the summary. A GPU fault rolls the step counter back to the last checkpoint,
 * and the loop carries on from there.
 */
export function* trainPhase(t: Timeline): Generator<SimEvent, TrainState> {
  const cfg = t.cfg;
  const s = initialTrainState(cfg, t.simMs);
  const chaos = startChaos(drawChaosPlan(cfg));
  const allReduceEvery = allReduceEverySteps(cfg);
  let announced = 0;
  while (s.step < cfg.totalSteps) {
    const epoch = Math.floor(s.step / cfg.stepsPerEpoch) + 1;
    if (epoch !== announced) {
      yield* announceEpoch(t, s, epoch);
      announced = epoch;
    }
    const interrupt = interruptAt(chaos, s.step + 1);
    if (interrupt && !(yield* interrupted(t, s, chaos, interrupt))) {
      announced = 0;
      continue;
    }
    yield* stepEvents(t, s, epoch, chaos, allReduceEvery);
    if (s.step % cfg.ckptInterval === 0 && s.step !== cfg.totalSteps) {
      yield* checkpoint(t, s, epoch);
    }
    if (s.step % cfg.stepsPerEpoch === 0) yield* validate(t, s, epoch);
  }
  yield* checkpoint(t, s, cfg.epochs);
  return s;
}

function* announceEpoch(t: Timeline, s: TrainState, epoch: number): Generator<SimEvent> {
  const cfg = t.cfg;
  const done = s.step - (epoch - 1) * cfg.stepsPerEpoch;
  yield { type: "phase", simMs: t.simMs, phase: "train", epoch };
  yield logLine(
    t,
    "epoch.start",
    done === 0
      ? `Epoch ${epoch}/${cfg.epochs}: ${cfg.stepsPerEpoch} steps`
      : `Epoch ${epoch}/${cfg.epochs}: resuming at step ${done}/${cfg.stepsPerEpoch}`,
  );
}

/**
 * Acts out a fault that interrupts the next step before it finishes: false after a GPU fault
 * (the counter went back to the last checkpoint), true after an out-of-memory retry.
 */
function* interrupted(
  t: Timeline,
  s: TrainState,
  chaos: ChaosRun,
  interrupt: PlannedFault,
): Generator<SimEvent, boolean> {
  if (interrupt.kind === "gpu_fault") {
    chaos.restarts += 1;
    yield* gpuOutage(t, s, interrupt, chaos.restarts, checkpointRead(t.cfg));
    return false;
  }
  if (interrupt.kind === "oom") yield* oomRetry(t, s, interrupt);
  return true;
}

/**
 * The events of the next step, in order: ticks it crosses, fault lines, the step itself, then
 * for a logged step its all-reduce probe and any warning. Built as a plain array: a generator
 * per step cost more than the step's arithmetic.
 */
function stepEvents(
  t: Timeline,
  s: TrainState,
  epoch: number,
  chaos: ChaosRun,
  allReduceEvery: number,
): SimEvent[] {
  const cfg = t.cfg;
  const disturbance = disturbanceAt(chaos.plan, s.step + 1);
  const n = nextStep(cfg, s, disturbance);
  const out: SimEvent[] = [];
  // Most steps cross no telemetry tick: only then does the clock need a generator to advance.
  if (!moveClock(t, n.stepS * 1000)) out.push(...advance(t, n.stepS * 1000, "train"));
  // A batch a fault made the run skip is always logged, so its skip shows next to the fault.
  const logged = s.step === 1 || s.step % cfg.logInterval === 0 || s.step === cfg.totalSteps ||
    disturbance.skip || disturbance.overflow;
  const data = stepData(t, s, epoch, n);
  if (n.overflow && !disturbance.overflow) {
    out.push(logLine(
      t,
      "fp16.overflow",
      `Gradient overflow at step ${s.step}: skipping update, loss scale reduced to ${s.lossScale}`,
      "warn",
    ));
  }
  const faults = stepFaults(t, s, chaos, n);
  if (faults.length > 0) out.push(...faults);
  out.push({ type: "step", simMs: t.simMs, level: "info", msg: "", data, logged });
  if (!logged) return out;
  if (s.step === 1 || s.step % allReduceEvery === 0) {
    out.push(allReduceProbe(t, s.step));
  }
  if (s.step > 1 && s.rngEvents.chance(WARNING_CHANCE)) {
    out.push(logLine(t, "warning", warningLine(cfg, s, s.rngEvents), "warn"));
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

function* checkpoint(t: Timeline, s: TrainState, epoch: number): Generator<SimEvent> {
  const cfg = t.cfg;
  yield { type: "phase", simMs: t.simMs, phase: "ckpt", epoch };
  const dir = `${cfg.outputDir}/checkpoint-${s.step}`;
  const { bytes, shards, seconds } = checkpointPlan(cfg);
  yield logLine(
    t,
    "ckpt.start",
    `Saving checkpoint at step ${s.step} to ${dir} (${formatBytes(bytes)})`,
  );
  yield* progress(t, "ckpt", "Writing shards", shards, "shard", seconds * 1000, "ckpt", 8);
  s.checkpoints += 1;
  markCheckpoint(s, t.simMs);
  s.resumePenalty = 1.03;
  yield {
    type: "ckpt",
    simMs: t.simMs,
    level: "info",
    msg: "",
    data: { epoch, step: s.step, path: dir, bytes, shards, time_s: seconds },
  };
}

function* validate(t: Timeline, s: TrainState, epoch: number): Generator<SimEvent> {
  const cfg = t.cfg;
  yield { type: "phase", simMs: t.simMs, phase: "val", epoch };
  const { samples, batches, seconds } = validationPlan(cfg);
  yield logLine(
    t,
    "val.start",
    `Running validation after epoch ${epoch}: ${samples} samples, ${batches} batches`,
  );
  yield* progress(t, "val", "Validation", batches, "it", seconds * 1000, "val");
  const loss = validationLoss(s.curve, s.step, epoch - 1, 0.006 * s.rngEvents.normal());
  s.bestValLoss = Math.min(s.bestValLoss, loss);
  s.resumePenalty = 1.02;
  yield {
    type: "val",
    simMs: t.simMs,
    level: "info",
    msg: "",
    data: {
      epoch,
      step: s.step,
      loss,
      ppl: Math.exp(loss),
      accuracy: tokenAccuracy(loss),
      samples,
      time_s: seconds,
    },
  };
  yield logLine(
    t,
    "val.time",
    `Validation took ${formatSeconds(seconds)}; best val loss ${s.bestValLoss.toFixed(4)}`,
  );
}

/** Size, shard count and write time of one checkpoint. */
export function checkpointPlan(cfg: RunConfig): { bytes: number; shards: number; seconds: number } {
  const bytes = checkpointBytes(cfg.model.params);
  const shardCount = cfg.plan.strategy === "ddp" ? 1 : cfg.plan.tp * cfg.plan.pp * cfg.plan.dp;
  const bw = storageBandwidthGBps(cfg.nodes, cfg.storagePerNodeGBps, cfg.storageCapGBps);
  return {
    bytes,
    shards: Math.max(4, Math.min(shardCount, 512)),
    seconds: writeSeconds(bytes, bw),
  };
}

/** Reading a checkpoint back after a restart or for `--resume`: reads run faster than writes. */
export function checkpointRead(cfg: RunConfig): CheckpointRead {
  const { bytes, shards } = checkpointPlan(cfg);
  const bw = storageBandwidthGBps(cfg.nodes, cfg.storagePerNodeGBps, cfg.storageCapGBps) * 1.5;
  return { bytes, shards, seconds: writeSeconds(bytes, bw) };
}

/** Samples, batches and seconds of one validation pass (forward only: a third of the FLOPs). */
export function validationPlan(
  cfg: RunConfig,
): { samples: number; batches: number; seconds: number } {
  const perBatch = cfg.plan.microBatch * 2 * cfg.plan.dp;
  const wanted = Math.min(20000, cfg.stepsPerEpoch * cfg.globalBatch * 0.005);
  const batches = Math.max(1, Math.round(wanted / perBatch));
  const samples = batches * perBatch;
  return { samples, batches, seconds: (samples * cfg.seqLen) / (cfg.tokensPerSecond * 3) + 1.5 };
}

/** Simulated seconds of the training phase, for pacing (steps, validations, checkpoints left). */
export function estimateTrainSeconds(cfg: RunConfig): number {
  const r = cfg.resumeStep;
  const steps = (cfg.totalSteps - r) * steadyStepSeconds(cfg);
  const saves = Math.floor(cfg.totalSteps / cfg.ckptInterval) - Math.floor(r / cfg.ckptInterval) +
    1;
  const vals = cfg.epochs - Math.floor(r / cfg.stepsPerEpoch);
  return steps + vals * validationPlan(cfg).seconds + saves * checkpointPlan(cfg).seconds;
}
