/**
 * DeepSpeed through its `deepspeed` launcher (pdsh across nodes): the runner and each node's
 * launch.py, every rank joining, rank 0's engine initialisation and config dump for the run's
 * ZeRO stage, `step=`/throughput records every `steps_per_print`, fp16 overflows, ZeRO
 * checkpoints written by every data-parallel rank, and a DeepSpeed-Chat style training script's
 * own prints (epochs, perplexity). Lines follow the run's DeepSpeed release (see deepspeed_release.ts).
 */
import type { DataEvent, LogEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { barDone, blank, defineStyle, forKeys, type LogFormatter, NCCL_KEYS } from "./define.ts";
import { ggufDone, ggufStart, isGgufLine } from "./export_lines.ts";
import { ncclLines } from "./nccl_lines.ts";
import { scriptGpuLines } from "./job_script.ts";
import { launchOf, nodeOf } from "./ranks.ts";
import { byTime, dsRecord, hostPrefix, printed, shownRanks } from "./deepspeed_log.ts";
import { type DsState, initialState, relaunch } from "./deepspeed_state.ts";
import { jobCommand, launcherLines, rankInitLines, runnerLines } from "./deepspeed_launch.ts";
import { exitLines, signalLines } from "./deepspeed_exit.ts";
import { engineInit, zeroInitLine } from "./deepspeed_engine.ts";
import { configDump } from "./deepspeed_config.ts";
import {
  dsStepsPerPrint,
  faultOverflow,
  overflowLine,
  stepRecords,
  unloggedRecords,
} from "./deepspeed_steps.ts";
import { loadDone, loadStart, saveDone, saveStart } from "./deepspeed_ckpt.ts";
import {
  consolidation,
  doneBar,
  epochBanner,
  evalBanner,
  fp32Shards,
  savesCheckpoints,
} from "./deepspeed_script.ts";
import { evalLine } from "./deepspeed_dschat.ts";
import { launcherExit, pdshExit, torchrunFault, workerFault } from "./deepspeed_faults.ts";
import { ompBanner } from "./torchrun_lines.ts";
import { dsLauncher } from "./deepspeed_launcher.ts";
import { onSlurm, timeLimitLine } from "./slurm_lines.ts";

const NAME = "deepspeed";

type Fmt<K extends LogEvent["key"]> = LogFormatter<K, DsState>;
type GpuEvent = Extract<DataEvent, { type: "gpu" }>;

/** `deepspeed.initialize()`'s records and config dump when it starts at `ms`. */
function engineRecords(cfg: RunConfig, st: DsState, ms: number): Array<[number, string]> {
  const [init, end] = engineInit(cfg, st, ms);
  return [...init, ...configDump(cfg, st, end, dsStepsPerPrint(cfg))];
}

/**
 * `deepspeed.initialize()`: (ZeRO-3's zero.Init close,) the engine records, the config dump,
 * the last of them by `ms` (the instant the simulation has the model wrapped).
 */
function engineLines(cfg: RunConfig, st: DsState, ms: number): string {
  const span = Math.max(...engineRecords(cfg, st, ms).map(([t]) => t)) - ms;
  // deepspeed.initialize() runs once every rank has joined (MPI discovery's allgather included).
  const start = Math.max(ms - Math.max(0, span), st.joinedMs + 400);
  // zero.Init wraps the model's construction, after the process group is up.
  const built = start - 2600 - (cfg.model.params / 1e9) * 40;
  const zeroInit = zeroInitLine(cfg, st, Math.min(start - 40, Math.max(built, st.joinedMs + 350)));
  return [zeroInit, byTime(engineRecords(cfg, st, start))].filter((l) => l !== "").join("\n");
}

/** HF's shard-loading bar as every shown rank prints it when the model is read. */
const modelShards: Fmt<"load.progress"> = (ev, cfg, st) => {
  if (!st.loadingModel || !barDone(ev) || !ev.bar!.label.startsWith("Loading checkpoint")) {
    return "";
  }
  // transformers shows the bar only for a sharded checkpoint: one file loads without a word.
  if (ev.bar!.total <= 1) return "";
  const rng = createRng(cfg.seed, "style:deepspeed:shards");
  return shownRanks(cfg).map((r) =>
    printed(
      cfg,
      nodeOf(cfg, r),
      doneBar(
        "Loading checkpoint shards",
        ev.bar!.total,
        ev.bar!.elapsed_s * rng.range(0.97, 1.03),
      ),
    )
  ).join("\n");
};

/** The first launch's engine, or a relaunch's ranks and engine after a fault. */
const wrap: Fmt<"model.wrap"> = (ev, cfg, st) => {
  st.loadingModel = false;
  return engineLines(cfg, st, ev.simMs);
};

/**
 * An epoch's banner (the processes' first also says training starts). A script that evaluates
 * first says so, and prints the first epoch's banner once that evaluation is done.
 */
const epochStart: Fmt<"epoch.start"> = (ev, cfg, st) => {
  const first = !st.trainingAnnounced;
  st.trainingAnnounced = true;
  // The processes' training loop starts here: the throughput timer's clock with it.
  if (first) (st.lastSampleMs = ev.simMs), (st.pauseMs = 0);
  const lines = epochBanner(cfg, ev.data.epoch, first).split("\n");
  if (first && cfg.pacing.evalAtLaunch) {
    st.launchEval = true;
    st.pendingBanner = lines.pop()!;
  }
  return lines.map((l) => printed(cfg, 0, l)).join("\n");
};

/** An evaluation's opening line: before the first epoch DeepSpeed-Chat calls it epoch 0. */
const valStart: Fmt<"val.start"> = (ev, cfg, st) => {
  st.pauseStartMs = ev.simMs;
  return printed(cfg, 0, evalBanner(cfg, st.launchEval ? 0 : ev.data.epoch));
};

/**
 * An evaluation's result; at an epoch's end the throughput timer counts the epoch, and after
 * the evaluation before the first epoch that epoch's banner follows.
 */
const valDone = (ev: Extract<DataEvent, { type: "val" }>, cfg: RunConfig, st: DsState) => {
  st.pauseMs += ev.simMs - st.pauseStartMs;
  const result = printed(cfg, 0, evalLine(st.dschat, ev.data.loss));
  if (st.launchEval) {
    st.launchEval = false;
    return [result, printed(cfg, 0, st.pendingBanner)].join("\n");
  }
  st.timerEpoch += 1;
  st.epochStartStep = ev.data.step;
  return result;
};

/**
 * An overflow record: at once, or with wall_clock_breakdown or the script's throughput lines
 * held for its step's record, where it lands between the micro steps' lines and the step report.
 */
function deferred(st: DsState, line: (ms: number) => string, ms: number): string {
  if (!st.traits.wallClock && !st.dschat.throughput) return line(ms);
  st.pendingOverflow = line(ms - st.traits.timerGapMs * 1.5);
  return "";
}

const overflow: Fmt<"fp16.overflow"> = (ev, cfg, st) =>
  deferred(
    st,
    (ms) => overflowLine(cfg, st, ms, ev.data.attempted, ev.data.hysteresis, ev.data.loss_scale),
    ev.simMs,
  );

/** The job's `deepspeed` command; run again after a fault, by new processes. */
const launch: Fmt<"launch"> = (ev, cfg, st) => {
  if (launchOf(ev) > 0) relaunch(st, st.resumeFrom);
  st.launchMs = ev.simMs;
  return jobCommand(cfg, st);
};

/** A checkpoint load's start (on resume or after a relaunch). */
function loading(ev: LogEvent, cfg: RunConfig, st: DsState, step: number): string {
  st.markMs = ev.simMs;
  return loadStart(cfg, st, ev.simMs, step);
}

function loaded(ev: LogEvent, cfg: RunConfig, st: DsState, step: number): string {
  const seconds = (ev.simMs - st.markMs) / 1000;
  return loadDone(cfg, st, ev.simMs, step, Math.max(0.5, seconds));
}

/** End of training: the script's final save, every process exiting; the job's consolidation. */
const trainingEnd: Fmt<"export.start"> = (ev, cfg, st) => {
  st.markMs = ev.simMs;
  st.exitPending = true;
  return printed(cfg, 0, "saving the final model ...");
};

/** The processes' exits after the final save, printed with the next fact (seconds later). */
function exits(cfg: RunConfig, st: DsState): string {
  if (!st.exitPending) return "";
  st.exitPending = false;
  return exitLines(cfg, st, st.markMs + 400);
}

const exportFormat: Fmt<"export.format"> = (ev, cfg, st) => {
  const exited = exits(cfg, st);
  if (isGgufLine(ev)) return [exited, ggufStart(cfg)].filter((l) => l !== "").join("\n");
  // Without DeepSpeed checkpoints the job has nothing for zero_to_fp32.py to consolidate.
  if (!savesCheckpoints(cfg)) return exited;
  const began = st.markMs + 7000;
  const seconds = Math.max(1, (ev.simMs - began) / 1000);
  return [
    exited,
    dsRecord(began, st.release.sites.accelerator, "Setting ds_accelerator to cuda (auto detect)"),
    ...consolidation(cfg, cfg.totalSteps, st.release.version, seconds),
  ].filter((l) => l !== "").join("\n");
};

const exportProgress: Fmt<"export.progress"> = (ev, cfg) =>
  barDone(ev) && !isGgufLine(ev) && savesCheckpoints(cfg)
    ? doneBar("Saving checkpoint shards", fp32Shards(cfg), ev.bar!.elapsed_s)
    : "";

/**
 * GPU readings: DeepSpeed prints nothing for them; the job log has the script's `nvidia-smi`
 * tables and its monitor's samples only when the script runs them (job_script.ts).
 */
export function deepspeedGpu(ev: GpuEvent, cfg: RunConfig, st: DsState): string {
  return scriptGpuLines(ev, cfg, st.script, st.monitor);
}

/** DeepSpeed's look. */
export const DEEPSPEED_STYLE = defineStyle<DsState>({
  name: NAME,
  init: initialState,
  logs: {
    // torchrun's agents warn that they set OMP_NUM_THREADS (where torchrun launched the ranks).
    "torchrun.omp": (ev, cfg) =>
      dsLauncher(cfg).kind === "torchrun" ? ompBanner(ev, cfg, NAME) : "",
    ...blank(
      "torchrun.start",
      "dist.versions",
      "gpu.detect",
      "gpu.node",
      "gpu.driver",
    ),
    ...blank(
      "model.arch",
      "model.init",
      "model.memory",
      "tokenizer",
      "dataset.open",
      "dataset.mixture",
    ),
    ...blank(
      "dataset.epoch",
      "config.header",
      "config",
      "seed",
      "ckpt.plan",
      "warning",
      "val.time",
    ),
    ...blank("val.progress", "ckpt.progress", "export.index", "export.extra", "summary.size"),
    ...blank("fault.recovered", "fault.kernel", "resume.data"),
    ...blank("interrupt.resume", "node.fail", "node.recover"),
    // Slurm ends the allocation pdsh runs in at its time limit (no job step of its own).
    interrupt: (ev, cfg) =>
      torchrunFault(ev, cfg) ??
        (ev.data.cause === "time_limit" && onSlurm(cfg) ? timeLimitLine(cfg, ev.simMs, "JOB") : ""),
    launch,
    "launch.job": (ev, cfg, st) => runnerLines(cfg, st, st.launchMs, ev.simMs),
    "torchrun.rdzv": (ev, cfg, st) => launcherLines(cfg, st, ev.simMs),
    "dist.init": (ev, cfg, st) => rankInitLines(cfg, st, ev.simMs),
    ...forKeys<DsState>(
      NCCL_KEYS,
      (ev, cfg) => ncclLines(ev, cfg, NAME, (r) => hostPrefix(cfg, nodeOf(cfg, r))),
    ),
    "model.load": (_ev, _cfg, st) => ((st.loadingModel = true), ""),
    "load.progress": modelShards,
    "model.wrap": wrap,
    "epoch.start": epochStart,
    "fp16.overflow": overflow,
    "val.start": valStart,
    "ckpt.start": (ev, cfg, st) => {
      st.pauseStartMs = ev.simMs;
      return savesCheckpoints(cfg) ? saveStart(cfg, st, ev.simMs, ev.data.step) : "";
    },
    ...forKeys<DsState>(
      ["fault.cuda", "fault.oom", "fault.watchdog"],
      (ev, cfg, st) => workerFault(ev, cfg, st),
    ),
    "fault.exit": (ev, cfg, st) => torchrunFault(ev, cfg) ?? launcherExit(ev, cfg, st),
    "fault.srun": (ev, cfg) => torchrunFault(ev, cfg) ?? pdshExit(ev, cfg),
    "resume.load": (ev, cfg, st) => loading(ev, cfg, st, ev.data.step),
    "resume.state": (ev, cfg, st) => loaded(ev, cfg, st, ev.data.step),
    "export.start": trainingEnd,
    "export.format": exportFormat,
    "export.progress": exportProgress,
    "interrupt.shutdown": (ev, cfg, st) =>
      torchrunFault(ev, cfg) ?? signalLines(cfg, st, ev.simMs, ev.data.signal),
  },
  otherLog: () => "",
  unlogged: unloggedRecords,
  data: {
    run: "",
    summary: (_ev, cfg, st) => exits(cfg, st),
    allreduce: "",
    step: stepRecords,
    val: valDone,
    ckpt: (ev, cfg, st) => {
      st.pauseMs += ev.simMs - st.pauseStartMs;
      if (!savesCheckpoints(cfg)) return "";
      return saveDone(cfg, st, ev.simMs, ev.data.step, ev.data.time_s);
    },
    export: (ev, cfg) => (ev.data.format === "gguf" ? ggufDone(ev, cfg) : ""),
    fault: (ev, cfg, st) => {
      if (ev.data.resume_step !== undefined) st.resumeFrom = ev.data.resume_step;
      return deferred(st, (ms) => faultOverflow(cfg, st, ms, ev.data), ev.simMs);
    },
    gpu: deepspeedGpu,
  },
});
