/** The training loop: epochs of steps, checkpoints and validation. */
import type { SimEvent, ValData } from "../events.ts";
import type { RunConfig } from "../run_config.ts";
import { logLine, progress, type Timeline } from "../timeline.ts";
import { hashUnit } from "../rng.ts";
import {
  initialTrainState,
  jitteredSeconds,
  markCheckpoint,
  noiseSpread,
  steadyStepSeconds,
  type TrainState,
} from "./train_state.ts";
import { checkpointBytes, storageBandwidthGBps, writeSeconds } from "../model/storage.ts";
import {
  expectedLoss,
  hellaswagAccuracy,
  tokenAccuracy,
  uniformLoss,
  validationLoss,
} from "../model/loss.ts";
import { drawChaosPlan } from "../chaos.ts";
import { interruptAt, startChaos } from "./faults.ts";
import type { CheckpointRead } from "./gpu_fault.ts";
import { jobFailure } from "./job_failure.ts";
import { allReduceEverySteps, stepEvents } from "./train_step.ts";

export { allReduceEverySteps, allReduceProbe, gradientBytes } from "./train_step.ts";

/** Examples in the HellaSwag validation split. */
export const HELLASWAG_EXAMPLES = 10042;

/**
 * Runs every step left (all of them, or those after `--resume`'s checkpoint) and returns the
 * final state for the summary. A fault that kills the job (a GPU fault, an out-of-memory) ends
 * with the job launched again: the step counter goes back to the last checkpoint, and the loop
 * carries on from there.
 */
export function* trainPhase(t: Timeline): Generator<SimEvent, TrainState> {
  const cfg = t.cfg;
  const s = initialTrainState(cfg, t.simMs);
  const chaos = startChaos(drawChaosPlan(cfg), cfg.resumeStep);
  const allReduceEvery = allReduceEverySteps(cfg);
  const stepOut: SimEvent[] = [];
  let announced = 0;
  let launched = false;
  while (s.step < cfg.totalSteps) {
    const epoch = Math.floor(s.step / cfg.stepsPerEpoch) + 1;
    if (epoch !== announced) {
      yield* announceEpoch(t, s, epoch, chaos.restarts);
      announced = epoch;
    }
    // A script that evaluates when it starts does so again after every relaunch.
    if (!launched && cfg.pacing.evalAtLaunch) yield* validate(t, s, epoch);
    launched = true;
    let failure = interruptAt(chaos, s.step + 1);
    if (!failure) {
      stepEvents(t, s, epoch, chaos, allReduceEvery, stepOut);
      // Indexed, not `yield*` over the array: its iterator makes a result object per event.
      for (let i = 0; i < stepOut.length; i++) yield stepOut[i];
      // Validation before the save, as every framework's loop orders them on a shared step.
      if (s.step % cfg.stepsPerEpoch === 0 || onEvalInterval(cfg, s.step)) {
        yield* validate(t, s, epoch);
      }
      if (s.step % cfg.ckptInterval === 0 && s.step !== cfg.totalSteps) {
        failure = interruptAt(chaos, s.step, true);
        yield* failure ? saveStart(t, s, epoch) : checkpoint(t, s, epoch);
      }
    }
    if (failure) {
      yield* jobFailure(t, s, failure, {
        launch: chaos.restarts,
        startStep: chaos.launchStartStep,
      });
      chaos.restarts += 1;
      chaos.launchStartStep = s.step;
      announced = 0;
      launched = false;
    }
  }
  yield* checkpoint(t, s, cfg.epochs);
  return s;
}

/** Whether the script's own evaluation interval falls on `step`. */
function onEvalInterval(cfg: RunConfig, step: number): boolean {
  const every = cfg.pacing.evalInterval;
  return every > 0 && step % every === 0;
}

function* announceEpoch(
  t: Timeline,
  s: TrainState,
  epoch: number,
  restart: number,
): Generator<SimEvent> {
  const cfg = t.cfg;
  const done = s.step - (epoch - 1) * cfg.stepsPerEpoch;
  yield { type: "phase", simMs: t.simMs, phase: "train", epoch };
  yield logLine(t, "epoch.start", { epoch, done, ...(restart > 0 ? { restart } : {}) });
}

/** A save begins: the checkpoint phase and its first line (the save that fails stops here). */
function* saveStart(t: Timeline, s: TrainState, epoch: number): Generator<SimEvent> {
  const cfg = t.cfg, dir = `${cfg.outputDir}/checkpoint-${s.step}`;
  yield { type: "phase", simMs: t.simMs, phase: "ckpt", epoch };
  const bytes = checkpointPlan(cfg).bytes;
  yield logLine(t, "ckpt.start", { step: s.step, path: dir, bytes, emergency: false });
}

function* checkpoint(t: Timeline, s: TrainState, epoch: number): Generator<SimEvent> {
  const cfg = t.cfg;
  yield* saveStart(t, s, epoch);
  const dir = `${cfg.outputDir}/checkpoint-${s.step}`;
  const plan = checkpointPlan(cfg);
  const { bytes, shards } = plan;
  const seconds = jitteredSeconds(s, plan.seconds, 0.08);
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
  const plan = validationPlan(cfg);
  const { samples, batches } = plan;
  const seconds = jitteredSeconds(s, plan.seconds, 0.03);
  yield logLine(t, "val.start", { epoch, samples, batches });
  yield* progress(t, "val", "Validation", batches, "it", seconds * 1000, "val");
  const spread = noiseSpread(s.curve, expectedLoss(s.curve, Math.max(1, s.step)));
  const noise = spread * cfg.pacing.evalNoise * s.rngEvents.normal();
  const loss = s.step === 0 && cfg.pacing.zeroHead
    ? uniformLoss(cfg.model.vocab)
    : validationLoss(s.curve, s.step, epoch - 1, noise);
  s.bestValLoss = Math.min(s.bestValLoss, loss);
  s.resumePenalty = 1.02;
  const data: ValData = {
    epoch,
    step: s.step,
    loss,
    ppl: Math.exp(loss),
    accuracy: tokenAccuracy(loss),
    samples,
    time_s: seconds,
  };
  if (cfg.pacing.evalTrainLoss) {
    data.train_loss = s.step === 0 && cfg.pacing.zeroHead
      ? loss
      : expectedLoss(s.curve, Math.max(0, s.step)) + spread * 0.006 * s.rngEval.normal();
  }
  if (cfg.pacing.hellaswag) {
    // acc_norm over the 10,042 examples, with the binomial spread of a benchmark that size.
    const p = hellaswagAccuracy(loss);
    data.hellaswag = p + Math.sqrt((p * (1 - p)) / HELLASWAG_EXAMPLES) * s.rngEval.normal();
  }
  yield { type: "val", simMs: t.simMs, level: "info", msg: "", data };
  yield logLine(t, "val.time", { seconds, best: s.bestValLoss });
}

/**
 * How much longer than planned the save at `step` takes: shared file systems are busier at some
 * moments than others (a factor from 0.88 to 1.36, fixed per run and step).
 */
export function saveJitter(cfg: RunConfig, step: number): number {
  return 0.88 + 0.48 * hashUnit(cfg.seed, step, 37) ** 2;
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

/**
 * Iterations of a pre-training evaluation: the most of 100, 50, 20 or 10 global batches that
 * take at most half a minute (forward only: a third of a training step).
 */
export function evalIters(cfg: RunConfig): number {
  const batchS = cfg.tokensPerStep / cfg.tokensPerSecond / 3;
  return [100, 50, 20, 10].find((n) => n * batchS <= 30) ?? 5;
}

/**
 * Samples, batches (per data-parallel rank) and expected seconds of one validation pass:
 * `evalIters` global batches in pre-training, a held-out split of about 5% of an epoch's
 * samples in fine-tuning (forward only: a third of the FLOPs).
 */
export function validationPlan(
  cfg: RunConfig,
): { samples: number; batches: number; seconds: number } {
  // A script with its own evaluation budget (nanoGPT's eval_iters, a speedrun's val tokens).
  const own = cfg.pacing.evalTokens / cfg.seqLen;
  if (own > 0) {
    const perBatch = cfg.plan.microBatch * 2 * cfg.plan.dp;
    const batches = Math.max(1, Math.round(own / perBatch));
    const samples = batches * perBatch;
    const seconds = (samples * cfg.seqLen) / (cfg.tokensPerSecond * 3) + cfg.pacing.evalSetupS;
    return { samples, batches, seconds };
  }
  if (cfg.task === "pretrain") {
    const iters = evalIters(cfg);
    const samples = iters * cfg.globalBatch;
    const seconds = (samples * cfg.seqLen) / (cfg.tokensPerSecond * 3) + cfg.pacing.evalSetupS;
    return { samples, batches: iters * cfg.gradAccum, seconds };
  }
  const perBatch = cfg.plan.microBatch * 2 * cfg.plan.dp;
  const wanted = Math.min(20000, Math.max(128, cfg.stepsPerEpoch * cfg.globalBatch * 0.05));
  const batches = Math.max(1, Math.round(wanted / perBatch));
  const samples = batches * perBatch;
  const seconds = (samples * cfg.seqLen) / (cfg.tokensPerSecond * 3) + cfg.pacing.evalSetupS;
  return { samples, batches, seconds };
}

/** Simulated seconds of the training phase, for pacing (steps, validations, checkpoints left). */
export function estimateTrainSeconds(cfg: RunConfig): number {
  const r = cfg.resumeStep;
  const steps = (cfg.totalSteps - r) * steadyStepSeconds(cfg);
  const saves = Math.floor(cfg.totalSteps / cfg.ckptInterval) - Math.floor(r / cfg.ckptInterval) +
    1;
  const every = cfg.pacing.evalInterval;
  const vals = cfg.epochs - Math.floor(r / cfg.stepsPerEpoch) + (cfg.pacing.evalAtLaunch ? 1 : 0) +
    (every > 0 ? Math.floor(cfg.totalSteps / every) - Math.floor(r / every) : 0);
  return steps + vals * validationPlan(cfg).seconds + saves * checkpointPlan(cfg).seconds;
}
