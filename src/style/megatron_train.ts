/**
 * Megatron's training log at each `--log-interval`: the iteration line with the interval's mean
 * time, the throughput from its own FLOPs formula and the scheduler's learning rate after the
 * applied updates; the memory reports after the first interval; the per-interval timers.
 */
import type { DataEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { learningRate } from "../sim/model/schedule.ts";
import { scheduleOf } from "../sim/phases/train_state.ts";
import { loadBalancingLoss, numZeros, paramsNorm } from "../sim/model/norms.ts";
import { dateTime } from "../format/clock.ts";
import { sciUpper } from "../format/python_repr.ts";
import { lineRng, perRank, prefixLines } from "./ranks.ts";
import { flopsPerBatch, paramsOnStage } from "./megatron_model.ts";
import { cudaMemory, memoryLine, theoreticalLines } from "./megatron_memory.ts";
import { type MegatronState, nextInterval } from "./megatron_state.ts";
import { intervalTimers } from "./megatron_timers.ts";
import { lastRank, modelParallelRanks, rank0, workerPrefix } from "./megatron_ranks.ts";

type StepEvent = Extract<DataEvent, { type: "step" }>;

function pad(n: number, width: number): string {
  return String(n).padStart(width);
}

/** The numbers of one iteration line, from the step and the interval's tally. */
export interface IterationNumbers {
  iterations: number;
  elapsedMs: number;
  tflops: number;
  lr: number;
  /** Iterations of the interval whose update was applied (the loss averages over these). */
  applied: number;
}

/** Mean time per iteration over the interval: its timer ran through steps only. */
export function iterationNumbers(
  ev: StepEvent,
  cfg: RunConfig,
  st: MegatronState,
): IterationNumbers {
  const t = st.tally, step = ev.data.step;
  const iterations = step - t.fromStep;
  const elapsedMs = (ev.simMs - t.startMs - t.pausedMs) / iterations;
  const flops = flopsPerBatch(cfg, st.arch, st.profile.later);
  return {
    iterations,
    elapsedMs,
    tflops: flops / ((elapsedMs / 1000) * 1e12 * cfg.worldSize),
    lr: learningRate(scheduleOf(cfg), step - st.skippedTotal),
    applied: iterations - t.skipped,
  };
}

/** The iteration line (without its rank prefix). */
export function iterationLine(ev: StepEvent, cfg: RunConfig, st: MegatronState): string {
  const d = ev.data, p = st.profile, n = iterationNumbers(ev, cfg, st);
  const rng = lineRng(cfg, "megatron", ev);
  let line = ` [${dateTime(ev.simMs)}] iteration ${pad(d.step, 8)}/${pad(d.total_steps, 8)} |` +
    ` consumed samples: ${pad(d.step * cfg.globalBatch, 12)} |` +
    ` elapsed time per iteration (ms): ${n.elapsedMs.toFixed(1)} |` +
    ` throughput per GPU (TFLOP/s/GPU): ${n.tflops.toFixed(1)} |` +
    ` learning rate: ${sciUpper(n.lr, 6)} | global batch size: ${pad(cfg.globalBatch, 5)} |`;
  if (n.applied > 0) {
    line += ` lm loss: ${sciUpper(d.loss, 6)} |`;
    if (cfg.model.moe) {
      line += ` load_balancing_loss: ${sciUpper(loadBalancingLoss(d.step, rng.normal()), 6)} |`;
    }
  }
  line += ` loss scale: ${d.loss_scale.toFixed(1)} |`;
  if (!d.skipped) line += ` grad norm: ${d.grad_norm.toFixed(3)} |`;
  if (p.logNumZeros && !d.skipped) {
    line += ` num zeros: ${numZeros(cfg, d.step, st.arch.paddedVocab, rng.next()).toFixed(1)} |`;
  }
  if (p.logParamsNorm) line += ` params norm: ${paramsNorm(cfg, d.step).toFixed(3)} |`;
  return line + ` number of skipped iterations: ${pad(st.tally.skipped, 3)} |` +
    ` number of nan iterations: ${pad(0, 3)} |`;
}

/** Rank 0's theoretical footprint, then each data-parallel-rank-0 rank's memory counters. */
function memoryReport(ev: StepEvent, cfg: RunConfig, st: MegatronState): string {
  const p = cfg.plan, prof = st.profile;
  const flags = {
    distributedOptimizer: prof.distributedOptimizer,
    sequenceParallel: p.tp > 1,
    selectiveRecompute: p.recompute === "selective",
    blockFormula: prof.later,
  };
  const rng = lineRng(cfg, "megatron:memory", ev);
  const layout = {
    fp16: cfg.precision === "fp16",
    distributedOptimizer: prof.distributedOptimizer,
    fsdp: prof.fsdp,
  };
  const stages = Array.from(
    { length: p.pp },
    (_, pp) => cudaMemory(cfg, layout, paramsOnStage(cfg, st.arch, pp), pp, rng),
  );
  const counters = perRank(modelParallelRanks(cfg), rng, (rank) => {
    const pp = Math.floor(rank / (p.tp * p.dp));
    return [workerPrefix(cfg, rank) + memoryLine(rank, ev.data.step, stages[pp])];
  });
  return rank0(cfg, theoreticalLines(cfg, st.arch, flags)) + "\n" + counters;
}

/**
 * Everything a logged iteration on the interval prints: the iteration line from the last rank,
 * the memory reports the first time the learning rate is above zero (from the first interval
 * in the 2025 release), and the interval's timers when timing is logged.
 */
export function iterationBlock(ev: StepEvent, cfg: RunConfig, st: MegatronState): string {
  const out = [prefixLines(lastRank(cfg), iterationLine(ev, cfg, st))];
  const n = iterationNumbers(ev, cfg, st);
  if (st.memoryPending && (st.profile.later || n.lr > 0)) {
    st.memoryPending = false;
    const report = memoryReport(ev, cfg, st);
    if (st.profile.memoryFirst) out.unshift(report);
    else out.push(report);
  }
  if (st.profile.timingLevel > 0) {
    const timers = intervalTimers(cfg, st, n, lineRng(cfg, "megatron:timers", ev));
    out.push(prefixLines(lastRank(cfg), timers.join("\n")));
  }
  nextInterval(st, ev.simMs, ev.data.step);
  return out.join("\n");
}
