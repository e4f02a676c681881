/** The training loop: epochs of steps, checkpoints and validation. */
import type { SimEvent } from "../events.ts";
import type { RunConfig } from "../run_config.ts";
import { hashUnit } from "../rng.ts";
import { logLine, progress, type Timeline } from "../timeline.ts";
import {
  initialTrainState,
  markCheckpoint,
  steadyStepSeconds,
  type TrainState,
} from "./train_state.ts";
import { checkpointBytes, storageBandwidthGBps, writeSeconds } from "../model/storage.ts";
import { tokenAccuracy, validationLoss } from "../model/loss.ts";
import { drawChaosPlan } from "../chaos.ts";
import { interruptAt, startChaos } from "./faults.ts";
import type { CheckpointRead } from "./gpu_fault.ts";
import { jobFailure } from "./job_failure.ts";
import { allReduceEverySteps, stepEvents } from "./train_step.ts";

export { allReduceEverySteps, allReduceProbe, gradientBytes } from "./train_step.ts";

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
  while (s.step < cfg.totalSteps) {
    const epoch = Math.floor(s.step / cfg.stepsPerEpoch) + 1;
    if (epoch !== announced) {
      yield* announceEpoch(t, s, epoch, chaos.restarts);
      announced = epoch;
    }
    const failure = interruptAt(chaos, s.step + 1);
    if (failure) {
      yield* jobFailure(t, s, failure, {
        launch: chaos.restarts,
        startStep: chaos.launchStartStep,
      });
      chaos.restarts += 1;
      chaos.launchStartStep = s.step;
      announced = 0;
      continue;
    }
    stepEvents(t, s, epoch, chaos, allReduceEvery, stepOut);
    // Indexed, not `yield*` over the array: its iterator makes a result object per event.
    for (let i = 0; i < stepOut.length; i++) yield stepOut[i];
    if (s.step % cfg.ckptInterval === 0 && s.step !== cfg.totalSteps) {
      yield* checkpoint(t, s, epoch);
    }
    if (s.step % cfg.stepsPerEpoch === 0) yield* validate(t, s, epoch);
  }
  yield* checkpoint(t, s, cfg.epochs);
  return s;
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

function* checkpoint(t: Timeline, s: TrainState, epoch: number): Generator<SimEvent> {
  const cfg = t.cfg;
  yield { type: "phase", simMs: t.simMs, phase: "ckpt", epoch };
  const dir = `${cfg.outputDir}/checkpoint-${s.step}`;
  const { bytes, shards, seconds: planned } = checkpointPlan(cfg);
  // The file system is shared: each save's time varies with everyone else's load.
  const seconds = planned * (0.9 + 0.22 * hashUnit(cfg.seed, s.step, 77));
  yield logLine(t, "ckpt.start", { step: s.step, path: dir, bytes, emergency: false });
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
  const seconds = plan.seconds * (0.96 + 0.09 * hashUnit(cfg.seed, s.step, 78));
  yield logLine(t, "val.start", { epoch, samples, batches });
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
  yield logLine(t, "val.time", { seconds, best: s.bestValLoss });
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
