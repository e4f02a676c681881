/**
 * DeepSpeed's training-time records on rank 0: every `steps_per_print` optimizer steps the
 * engine's `step=N, skipped=K, lr=[...], mom=[...]` and the ThroughputTimer's line; fp16's
 * loss-scaler overflows; and with `wall_clock_breakdown` the per-step timer lines. The
 * timer's arithmetic is DeepSpeed's: it counts the steps of the current process, times only
 * forward-to-step (from the third step on), and averages samples per second over those steps.
 */
import type { DataEvent, FaultData } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { learningRate } from "../sim/model/schedule.ts";
import { scheduleOf } from "../sim/phases/train_state.ts";
import { pyFloat } from "../format/python_repr.ts";
import { styleInterval } from "./define.ts";
import { lineRng } from "./ranks.ts";
import { nodeRecord, printed, rank0 } from "./deepspeed_log.ts";
import { microSeconds, throughputLine } from "./deepspeed_dschat.ts";
import type { DsState } from "./deepspeed_state.ts";
import { gib2 } from "./deepspeed_engine.ts";
import { dsStage } from "./deepspeed_script.ts";

type StepEvent = Extract<DataEvent, { type: "step" }>;

/** ThroughputTimer's start_step: the first two steps of a process are not timed. */
const TIMER_START_STEP = 2;
/** ThroughputTimer's guard against a zero duration, seconds. */
const TIME_EPSILON = 1e-6;

/** DeepSpeed's `steps_per_print`: 10, or the run's own log interval when that is coarser. */
export function dsStepsPerPrint(cfg: RunConfig): number {
  return styleInterval(cfg, 10);
}

/** A step the timer does not time (a process's first two) weighs this many steady steps. */
const WARM_STEPS_COST = [4, 1];

/**
 * Adds the steps since the last logged one to the timer's sums: their time is the clock's
 * advance less the pauses between (evaluation, checkpoints), less the untimed first two steps
 * of the process (the first is its own logged step when it is logged, else an estimate).
 */
export function sampleStep(st: DsState, step: number, stepS: number, simMs: number): void {
  const lastLocal = st.lastSample - st.procStartStep, local = step - st.procStartStep;
  let untimedS = 0, untimed = 0;
  for (let i = lastLocal + 1; i <= Math.min(local, TIMER_START_STEP); i++) {
    untimed += 1;
    untimedS += i === local ? stepS : WARM_STEPS_COST[i - 1] * stepS;
  }
  const spanS = (simMs - st.lastSampleMs - st.pauseMs) / 1000 - untimedS;
  const timed = step - st.lastSample - untimed;
  if (timed > 0) {
    st.busyS += Math.max(spanS, timed * stepS * 0.5) * st.traits.busyFraction;
    st.busySteps += timed;
  }
  st.lastSample = step;
  st.lastSampleMs = simMs;
  st.pauseMs = 0;
}

/** The ThroughputTimer's samples per second: running average and the last step's. */
export function throughput(cfg: RunConfig, st: DsState, stepS: number): [number, number] {
  const avg = cfg.globalBatch / (st.busyS / st.busySteps);
  return [avg, cfg.globalBatch / (stepS * st.traits.busyFraction + TIME_EPSILON)];
}

/** GiB the allocator holds after a step, and the peak within it (activations included). */
export function allocated(cfg: RunConfig, st: DsState): [number, number] {
  const m = cfg.plan.memory, t = st.traits;
  const resident = (m.weightsGiB + m.gradsGiB + m.optimizerGiB) * t.stateFactor + t.bufferGiB;
  const cap = (cfg.gpu.memMiB / 1024) * 0.97;
  return [resident, Math.min(cap, resident + m.activationsGiB * t.peakFactor)];
}

/** The learning rate the scheduler holds: it does not step on skipped steps. */
function lrRepr(cfg: RunConfig, st: DsState, step: number): string {
  const lr = pyFloat(learningRate(scheduleOf(cfg), Math.max(0, step - st.skipped)));
  return `[${lr}, ${lr}]`;
}

/** The engine's report of step `step`. */
export function progressLine(cfg: RunConfig, st: DsState, ms: number, step: number): string {
  const msg = `step=${step}, skipped=${st.skipped}, lr=${lrRepr(cfg, st, step)}, ` +
    "mom=[(0.9, 0.95), (0.9, 0.95)]";
  return rank0(cfg, st.release.sites, ms, msg);
}

/** The ThroughputTimer's line after step `step`, or "" off its report boundary. */
export function timerLine(
  cfg: RunConfig,
  st: DsState,
  ms: number,
  step: number,
  stepS: number,
): string {
  const local = step - st.procStartStep;
  if (local <= TIMER_START_STEP || local % dsStepsPerPrint(cfg) !== 0 || st.busySteps === 0) {
    return "";
  }
  const [avg, curr] = throughput(cfg, st, stepS);
  const [mem, peak] = allocated(cfg, st);
  const micro = (step - st.epochStartStep) * cfg.gradAccum;
  const msg = `epoch=${st.timerEpoch}/micro_step=${micro}/global_step=${local}, ` +
    `RunningAvgSamplesPerSec=${pyFloat(avg)}, CurrSamplesPerSec=${pyFloat(curr)}, ` +
    `MemAllocated=${gib2(mem)}GB, MaxMemAllocated=${gib2(peak)}GB`;
  return nodeRecord(cfg, 0, ms, st.release.sites.throughput, msg);
}

/** `time (ms) | a: 1.00 | b: 2.00`, a SynchronizedWallClockTimer.log record. */
function timersLine(
  cfg: RunConfig,
  st: DsState,
  ms: number,
  parts: Array<[string, number]>,
): string {
  return rank0(
    cfg,
    st.release.sites,
    ms,
    `time (ms)${parts.map(([k, v]) => ` | ${k}: ${v.toFixed(2)}`).join("")}`,
  );
}

/** wall_clock_breakdown's records around one optimizer step: [before the report, after it]. */
function wallClock(cfg: RunConfig, st: DsState, ev: StepEvent): [string[], string[]] {
  const rng = lineRng(cfg, "deepspeed", ev), gas = cfg.gradAccum, ms = ev.simMs;
  const totalMs = ev.data.step_time_s * 1000 * st.traits.busyFraction;
  const stepMs = totalMs * rng.range(0.02, 0.06);
  const compute = (totalMs - stepMs) / gas;
  const micro = Array.from({ length: gas }, (_, i) => {
    // Micro-batches differ: their own lengths of text, the allocator, the reduction's wait.
    const c = compute * Math.exp(0.025 * rng.normal()), fwd = c * rng.range(0.29, 0.34);
    const reduce = (c - fwd) * rng.range(0.03, 0.09);
    return {
      fwd,
      bwd: c - fwd,
      inner: c - fwd - reduce,
      reduce,
      step: i === gas - 1 ? stepMs : rng.range(0.02, 0.09),
      // The loop's own work between one micro step's timers and the next (data, loss, hooks).
      gap: rng.range(0.3, 2.5),
    };
  });
  const line = (at: number, m: typeof micro[0]) =>
    timersLine(cfg, st, at, [
      ["fwd_microstep", m.fwd],
      ["bwd_microstep", m.bwd],
      ["bwd_inner_microstep", m.inner],
      ["bwd_allreduce_microstep", m.reduce],
      ["step_microstep", m.step],
    ]);
  // Each micro step's record at its end: the last one's after the optimizer step it includes;
  // going back from it, each earlier record is one micro step's own work (and the loop's) sooner.
  const ends: number[] = [];
  let at = ms;
  for (let i = gas - 1; i >= 0; i--) {
    ends[i] = at;
    const m = micro[i];
    at -= m.fwd + m.bwd + m.step + m.gap;
  }
  const before = micro.slice(0, -1).map((m, i) => line(ends[i], m));
  const opt: Array<[string, number]> = dsStage(cfg) === 3
    ? [["optimizer_step", stepMs * 0.9]]
    : [["optimizer_allgather", stepMs * rng.range(0.3, 0.6)], [
      "optimizer_gradients",
      stepMs * rng.range(0.01, 0.05),
    ], ["optimizer_step", stepMs * rng.range(0.1, 0.3)]];
  // On an overflow the ZeRO optimizer returns before it logs its own timers.
  const overflowed = cfg.precision === "fp16" && ev.data.skipped === true;
  if (!overflowed) before.push(timersLine(cfg, st, ms - st.traits.timerGapMs * 1.3, opt));
  // The step's timers span the same intervals as the micro steps' (a few 10 µs of sync apart).
  const sum = (k: "fwd" | "inner" | "reduce" | "step", jitter: number) =>
    micro.reduce((a, m) => a + m[k], 0) + rng.range(-jitter, jitter);
  const inner = sum("inner", 0.02), reduce = sum("reduce", 0.02);
  const after = [
    line(ms, micro[gas - 1]),
    timersLine(cfg, st, ms + 1, [
      ["fwd", sum("fwd", 0.09)],
      ["bwd", inner + reduce + rng.range(-0.02, 0.02)],
      ["bwd_inner", inner],
      ["bwd_allreduce", reduce],
      ["step", sum("step", 0.01)],
    ]),
  ];
  return [before, after];
}

/**
 * The script's `print_throughput` lines of a step's micro batches, rank 0's `print`s: the
 * ones before the optimizer's step, and the last one, printed after the engine's records.
 */
export function throughputLines(
  cfg: RunConfig,
  st: DsState,
  ev: StepEvent,
): [string[], string[]] {
  if (!st.dschat.throughput) return [[], []];
  const stepS = ev.data.step_time_s * st.traits.busyFraction;
  const rng = lineRng(cfg, "deepspeed:micro", ev);
  const lines = microSeconds(cfg, stepS, st.traits.optShare, rng).map((s) =>
    printed(cfg, 0, throughputLine(cfg, s))
  );
  return [lines.slice(0, -1), lines.slice(-1)];
}

/**
 * What a step the run does not log prints: the script's throughput lines, around the loss
 * scaler's record when the step overflowed.
 */
export function unloggedRecords(ev: StepEvent, cfg: RunConfig, st: DsState): string {
  if (!st.dschat.throughput) return "";
  const [before, after] = throughputLines(cfg, st, ev);
  const overflow = st.pendingOverflow;
  st.pendingOverflow = "";
  return [...before, overflow, ...after].filter((l) => l !== "").join("\n");
}

/** Every record a logged step brings (most steps: none). */
export function stepRecords(ev: StepEvent, cfg: RunConfig, st: DsState): string {
  const d = ev.data;
  sampleStep(st, d.step, d.step_time_s, ev.simMs);
  const [before, after] = st.traits.wallClock
    ? wallClock(cfg, st, ev)
    : throughputLines(cfg, st, ev);
  const report = d.step % dsStepsPerPrint(cfg) === 0;
  const gap = st.traits.timerGapMs * lineRng(cfg, "deepspeed:gap", ev).range(0.85, 1.15);
  // The loss scaler logs inside the optimizer step: after the micro steps, before the report.
  const overflow = st.pendingOverflow;
  st.pendingOverflow = "";
  const lines = [
    ...before,
    overflow,
    report ? progressLine(cfg, st, ev.simMs - gap, d.step) : "",
    timerLine(cfg, st, ev.simMs, d.step, d.step_time_s),
    ...after,
  ];
  return lines.filter((l) => l !== "").join("\n");
}

/** The loss scaler's record of an overflow (fp16 only), counting the skipped step. */
export function overflowLine(
  cfg: RunConfig,
  st: DsState,
  ms: number,
  attempted: number,
  hysteresis: number,
  after: number,
): string {
  const s = st.release.sites;
  st.skipped += 1;
  const head = `[deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: ${
    Math.trunc(attempted)
  }`;
  return hysteresis > 1
    ? nodeRecord(
      cfg,
      0,
      ms,
      s.overflowHysteresis,
      `${head}, but hysteresis is ${hysteresis}. Reducing hysteresis to ${hysteresis - 1}`,
    )
    : nodeRecord(cfg, 0, ms, s.overflowHalved, `${head}, reducing to ${Math.trunc(after)}`);
}

/** A fault's overflow record when it overflowed an fp16 step, else "". */
export function faultOverflow(cfg: RunConfig, st: DsState, ms: number, d: FaultData): string {
  if (cfg.precision !== "fp16" || d.attempted_scale === undefined || d.hysteresis === undefined) {
    return "";
  }
  const after = d.hysteresis > 1 ? d.attempted_scale : Math.max(1, d.attempted_scale / 2);
  return overflowLine(cfg, st, ms, d.attempted_scale, d.hysteresis, after);
}
