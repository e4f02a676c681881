/**
 * llm.c's train_gpt2cu (karpathy/llm.c master, late 2024), launched with mpirun: the parameter
 * table and allocations, `val loss` at step 0 and every `-v` steps, HellaSwag after it when
 * asked for, a line per step with llm.c's own arithmetic (z-scores from a 128-step window,
 * MFU against its GPU table, tok/s as a bias-corrected EMA), checkpoint lines every `-n` steps
 * and the average iteration time at the end. A crash is the CUDA error and mpirun's abort; the
 * job starts again with `-y 1` and resumes from the last checkpoint.
 */
import type { DataEvent, LogEvent, LogEventOf } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { hostName } from "../sim/names.ts";
import { decimal, formatExp } from "../format/units.ts";
import { blank, defineStyle, forKeys, NCCL_KEYS } from "./define.ts";
import { launchOf, lineRng } from "./ranks.ts";
import { onSlurm, timeLimitLine } from "./slurm_lines.ts";
import {
  cFixed,
  flopsPerToken,
  llmcLearningRate,
  llmcMfu,
  type LlmcSchedule,
  newDetector,
  type OutlierDetector,
  promisedTflops,
  signed2,
  type TokMeter,
  tokPerSecond,
  updateDetector,
} from "./llmc_numbers.ts";
import { allocationLines, type LlmcRun, llmcRun, paramTable } from "./llmc_setup.ts";
import { llmcValEvery } from "./pacing.ts";
import { checkpointLines, hellaswagLines, mpirunAbort } from "./llmc_lines.ts";

const NAME = "llmc";
const f = Math.fround;

type StepEvent = Extract<DataEvent, { type: "step" }>;
type ValEvent = Extract<DataEvent, { type: "val" }>;

/** What one process of train_gpt2cu keeps between lines, and what its job has done. */
interface LlmcState {
  run: LlmcRun;
  lossZ: OutlierDetector;
  gradZ: OutlierDetector;
  meter: TokMeter;
  /** Seconds of the steps timed by this process after its first (for the closing average). */
  timedS: number;
  /** Checkpoint lines held back until the evaluation of the same step has printed. */
  heldCkpt: { step: number; text: string } | null;
  lastValStep: number;
  /** Launches of the job so far (a relaunch after a crash is the second). */
  launches: number;
  /** The batch the relaunched job runs with (`-b` halved after an out-of-memory). */
  batch: { microBatch: number; gradAccum: number };
}

function init(cfg: RunConfig): LlmcState {
  return {
    run: llmcRun(cfg),
    lossZ: newDetector(),
    gradZ: newDetector(),
    meter: { ema: 0 },
    timedS: 0,
    heldCkpt: null,
    lastValStep: -1,
    launches: 1,
    batch: { microBatch: cfg.plan.microBatch, gradAccum: cfg.gradAccum },
  };
}

/** The run as the current launch's command line gives it (its `-b` after an out-of-memory). */
function launched(cfg: RunConfig, st: LlmcState): RunConfig {
  const { microBatch, gradAccum } = st.batch;
  if (microBatch === cfg.plan.microBatch) return cfg;
  return { ...cfg, plan: { ...cfg.plan, microBatch }, gradAccum };
}

/** The scheduler as the run's command line sets it up (the table reports the same flags). */
export function llmcSchedule(cfg: RunConfig): LlmcSchedule {
  return {
    kind: cfg.schedule,
    lr: cfg.lrMax,
    warmup: cfg.warmupSteps,
    trainBatches: cfg.totalSteps,
    finalFrac: cfg.lrMax > 0 ? cfg.lrMin / cfg.lrMax : 0,
  };
}

/** The step line llm.c prints after loop step `k` = the simulation's step - 1. */
function stepLine(ev: StepEvent, cfg: RunConfig, st: LlmcState): string {
  const d = ev.data, k = d.step - 1, run = st.run;
  const loss = f(d.loss), norm = f(d.grad_norm);
  // llm.c's own schedule, in float: a step the simulation skipped still shows its rate.
  const lr = llmcLearningRate(llmcSchedule(cfg), k);
  const zLoss = f(updateDetector(st.lossZ, loss));
  const zGrad = f(updateDetector(st.gradZ, norm));
  const ms = f(d.step_time_s * 1000);
  const tokens = cfg.tokensPerStep;
  const tps = tokPerSecond(st.meter, tokens, ms, k);
  if (k > 0) st.timedS += f(ms / 1000);
  const perGpu = cfg.plan.microBatch * cfg.seqLen * cfg.gradAccum;
  const fpt = flopsPerToken(run.shape, run.params, cfg.seqLen);
  const mfu = llmcMfu(fpt, perGpu, ms, promisedTflops(cfg.gpu.name));
  return `step ${decimal(d.step).padStart(4)}/${cfg.totalSteps} | loss ${cFixed(loss, 6)} ` +
    `(${signed2(zLoss)}z)| norm ${cFixed(norm, 4)} (${signed2(zGrad)}z)| lr ` +
    `${formatExp(lr, 2)} | ${ms.toFixed(2)} ms | ${f(100 * mfu).toFixed(1)}% bf16 MFU | ` +
    `${tps.toFixed(0)} tok/s`;
}

/** Whether llm.c evaluates at loop step `k` (every `-v` steps and the last). */
function evaluates(cfg: RunConfig, k: number): boolean {
  return k % llmcValEvery(cfg) === 0 || k === cfg.totalSteps;
}

/** `val loss`, HellaSwag after step 0, then any checkpoint of the same step. */
function valLines(ev: ValEvent, cfg: RunConfig, st: LlmcState): string {
  const d = ev.data;
  if (!evaluates(cfg, d.step)) return "";
  st.lastValStep = d.step;
  const out = [`val loss ${f(d.loss).toFixed(6)}`];
  if (st.run.hellaswag && d.step > 0 && d.hellaswag !== undefined) {
    out.push(...hellaswagLines(cfg, d.hellaswag));
  }
  if (st.heldCkpt?.step === d.step) out.push(st.heldCkpt.text);
  st.heldCkpt = null;
  return out.join("\n");
}

/** A checkpoint's lines, held back when llm.c would print them after this step's evaluation. */
function ckptLines(ev: Extract<DataEvent, { type: "ckpt" }>, cfg: RunConfig, st: LlmcState) {
  const d = ev.data;
  if (d.emergency) return "";
  const text = checkpointLines(cfg, st.run.logDir, d.step, lineRng(cfg, NAME, ev));
  if (evaluates(cfg, d.step) && st.lastValStep !== d.step) {
    st.heldCkpt = { step: d.step, text };
    return "";
  }
  return text;
}

/** The start of a launch: the single-GPU build's notice and the parameter table. */
function table(cfg: RunConfig, st: LlmcState, resuming: boolean): string[] {
  const note = st.run.singleGpuBuild ? ["Multi-GPU support is disabled. Using a single GPU."] : [];
  return [...note, ...paramTable(cfg, st.run, resuming)];
}

/** The parameter table, in the relaunched job (`-y 1` finds the checkpoint) with fresh meters. */
function started(ev: LogEvent, cfg: RunConfig, st: LlmcState): string {
  if (launchOf(ev) === 0) return table(cfg, st, cfg.resumeStep > 0).join("\n");
  // The job is submitted again with `-y 1`, so that it picks up its checkpoint.
  st.run = { ...st.run, resumeFlag: true };
  st.launches += 1;
  st.lossZ = newDetector();
  st.gradZ = newDetector();
  st.meter = { ema: 0 };
  st.timedS = 0;
  return table(launched(cfg, st), st, true).join("\n");
}

/** cudaCheck's report in the failing process, then mpirun ending the job. */
function cudaFailure(cfg: RunConfig, st: LlmcState, rank: number, error: string, ev: LogEvent) {
  const rng = lineRng(cfg, NAME, ev);
  const line = rng.pick([960, 967, 1858]);
  return [
    `[CUDA ERROR] at file train_gpt2.cu:${line}:`,
    error,
    ...mpirunAbort(cfg, rank, st.launches, rng),
  ].join("\n");
}

/** The failing process's CUDA error and mpirun ending the job. */
function cudaError(ev: LogEventOf<"fault.cuda">, cfg: RunConfig, st: LlmcState): string {
  const error = ev.data.ecc ? "uncorrectable ECC error encountered" : "unspecified launch failure";
  return cudaFailure(cfg, st, ev.data.rank, error, ev);
}

/**
 * Slurm ending the job: at its time limit, or cancelled by the user's SIGTERM (mpirun passes
 * Ctrl-C on silently).
 */
function interrupted(ev: LogEventOf<"interrupt">, cfg: RunConfig): string {
  if (ev.data.cause === "time_limit" && onSlurm(cfg)) return timeLimitLine(cfg, ev.simMs, "JOB");
  if (ev.data.signal !== "SIGTERM") return "";
  const at = new Date(ev.simMs).toISOString().slice(0, 19);
  return `slurmstepd: error: *** JOB ${cfg.cluster.jobId} ON ${hostName(cfg.cluster, 0)} ` +
    `CANCELLED AT ${at} ***`;
}

/** llm.c's look. */
export const LLMC_STYLE = defineStyle<LlmcState>({
  name: NAME,
  init,
  logs: {
    ...blank("launch", "launch.job", "torchrun.omp", "torchrun.rdzv", "torchrun.start"),
    ...blank("dist.init", "gpu.detect", "gpu.node", "gpu.driver", "model.arch", "model.init"),
    ...blank("model.load", "model.wrap", "tokenizer", "dataset.open", "dataset.mixture"),
    ...blank("dataset.epoch", "config.header", "config", "seed", "ckpt.plan", "epoch.start"),
    ...blank("fp16.overflow", "warning", "val.start", "val.progress", "val.time", "ckpt.start"),
    ...blank("ckpt.progress", "load.progress", "resume.load", "resume.state", "resume.data"),
    ...blank("summary.size", "export.start", "export.format", "export.index", "export.extra"),
    ...blank("export.progress", "fault.recovered", "fault.kernel", "fault.watchdog"),
    // mpirun's abort is the job's whole report: no torchrun, and Slurm's step ends quietly.
    ...blank("fault.exit", "fault.srun", "interrupt.shutdown"),
    ...blank("interrupt.resume", "node.fail", "node.recover"),
    ...forKeys(NCCL_KEYS, () => ""),
    "dist.versions": started,
    "model.memory": (ev, cfg, st) =>
      allocationLines(launched(cfg, st), st.run, cfg.resumeStep === 0 && launchOf(ev) === 0)
        .join("\n"),
    "fault.cuda": cudaError,
    "fault.oom": (ev, cfg, st) => cudaFailure(cfg, st, ev.data.rank, "out of memory", ev),
    interrupt: interrupted,
  },
  otherLog: () => "",
  data: {
    run: "",
    step: stepLine,
    val: valLines,
    ckpt: ckptLines,
    export: "",
    summary: (ev, cfg, st) =>
      ev.data.signal
        ? ""
        : `total average iteration time: ${
          (st.timedS / (cfg.totalSteps - 1) * 1000).toFixed(6)
        } ms`,
    allreduce: "",
    fault: (ev, _cfg, st) => {
      if (ev.data.micro_batch) {
        st.batch = { microBatch: ev.data.micro_batch, gradAccum: ev.data.grad_accum ?? 1 };
      }
      return "";
    },
    gpu: "",
  },
});
