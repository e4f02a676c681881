/**
 * torchtitan, PyTorch's FSDP pre-training framework, launched by torchrun: on one node with
 * run_train.sh's `--local-ranks-filter 0 --role rank --tee 3` (local rank 0's `[rank0]:[titan]`
 * lines), on many by the Slurm script's `srun torchrun` (every rank's lines, no prefix). Each
 * node's agent prints its banner; the logger gives start-up, a metrics line every log_freq
 * steps, GC and checkpoints; a fault shows as torch, torchrun and Slurm print it. Follows torchtitan v0.1 (torch ≤ 2.7) and v0.2 (torch 2.8+) wording.
 * A Llama fine-tune runs llama-recipes' script instead (recipes.ts).
 */
import type { DataEvent, LogEvent, LogKey } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { hashUnit } from "../sim/rng.ts";
import { defineStyle, forKeys, type LogFormatter, NCCL_KEYS } from "./define.ts";
import { ncclLines } from "./nccl_lines.ts";
import { ncclLib } from "./nccl_version.ts";
import { ompBanner } from "./torchrun_lines.ts";
import { gcLine, metricsLine } from "./titan_lines.ts";
import {
  fromRanks,
  initTitan,
  loggingRanks,
  NAME,
  peakReserved,
  type Said,
  type TitanState,
  titanTee,
} from "./titan_state.ts";
import {
  jobStart,
  launchTrace,
  modelBuild,
  modelMemory,
  parallelize,
  stepDir,
  trainerReady,
} from "./titan_startup.ts";
import { titanFrames } from "./titan_frames.ts";
import { faultFactLines, type FaultStyle } from "./fault_lines.ts";
import { pyTraceback } from "./tracebacks.ts";
import { pythonMinor } from "./torch_source.ts";
import { cudaException, oomMessage } from "./torch_faults.ts";
import type { Style } from "./apply.ts";
import { RECIPES_STYLE, runsRecipes } from "./recipes.ts";

function say(
  lines: (cfg: RunConfig, st: TitanState) => Said[],
  level = "INFO",
): LogFormatter<LogKey, TitanState> {
  return (ev, cfg, st) => fromRanks(ev, cfg, st, () => lines(cfg, st), level);
}

/** NCCL's lines as NCCL_DEBUG lets them through: all of INFO, only the version for WARN. */
const nccl: LogFormatter<LogKey, TitanState> = (e, cfg, st) => {
  const tee = (rank: number) => titanTee(st.job, rank, cfg);
  if (st.job.ncclDebug === "INFO") {
    const ranks = loggingRanks(cfg, st.job);
    return ncclLines(e, cfg, NAME, tee, { ranks, channelsShown: 2 });
  }
  if (st.job.ncclDebug === "WARN" && e.key === "nccl.version") {
    return `${tee(0)}${ncclLib(cfg)} version ${cfg.cluster.ncclVersion}`;
  }
  return "";
};

type StepEvent = Extract<DataEvent, { type: "step" }>;

/** The metrics line of a step on torchtitan's log_freq, from each shown node's rank 0. */
function titanStep(ev: StepEvent, cfg: RunConfig, st: TitanState): string {
  const d = ev.data;
  if (!(d.step === 1 || d.step % st.job.logFreq === 0)) return "";
  // Tokens per device since the last line over the wall time since: pauses count.
  const tokens = ((d.step - st.lastLogStep) * cfg.tokensPerStep) / cfg.worldSize;
  const tps = tokens / Math.max(0.001, (ev.simMs - st.lastLogMs) / 1000);
  const mem = peakReserved(cfg, st);
  const gc = st.job.gcFreq > 0 && d.step > 1 && d.step % st.job.gcFreq === 0;
  // The collection runs before the step, the profiler's dump after it.
  const stepMs = d.step_time_s * 1000;
  const out = fromRanks({ ...ev, simMs: ev.simMs - (gc ? stepMs : 0) }, cfg, st, (node, local) => [
    ...(gc ? [gcLine(st.job, "periodic", 0.04 + 0.05 * hashUnit(node, local, d.step))] : []),
    {
      atMs: gc ? stepMs : 0,
      // Loss and norm are reduced over all ranks; each rank times its own steps and has its
      // own allocator peak (the last FSDP shard and NCCL's buffers differ a little).
      text: metricsLine(st.job, {
        step: d.step,
        loss: d.loss,
        gradNorm: d.grad_norm,
        memGiB: mem + (local === 0 ? 0 : 0.02 * Math.floor(4 * hashUnit(node, local, 11))),
        tps: tps * (1 + 3e-4 * (hashUnit(node, local, d.step, 7) - 0.5)),
      }),
    },
    ...(d.step === 1
      ? ["Synchronizing and adjusting timeout for all ProcessGroups to 0:10:00"]
      : []),
    ...(d.step % st.job.profileFreq === 0 ? profilerDump(node, d.step) : []),
  ]);
  st.lastLogMs = ev.simMs;
  st.lastLogStep = d.step;
  st.fresh = false;
  return out;
}

/** The profiler's trace dump after a step on its frequency. */
function profilerDump(node: number, step: number): Said[] {
  const seconds = 0.15 + 0.2 * hashUnit(node, step, 8);
  return [
    { atMs: 380 + 120 * hashUnit(node, step, 9), text: `Dumping profiler traces at step ${step}` },
    {
      atMs: seconds * 1000,
      text: `Finished dumping profiler traces in ${seconds.toFixed(2)} seconds`,
    },
  ];
}

/** The trainer is built: its lines, and the metrics window starts over (a new launch). */
const trainerBuilt: LogFormatter<"config", TitanState> = (ev, cfg, st) => {
  if (ev.data.item !== 4) return "";
  st.lastLogMs = ev.simMs;
  st.fresh = true;
  return fromRanks(ev, cfg, st, () => trainerReady(cfg, st.job, st.microBatch, st.gradAccum));
};

/** `Training starts at step N` at the first epoch of a launch, the dataset re-looping later. */
const epochStart: LogFormatter<"epoch.start", TitanState> = (ev, cfg, st) => {
  const step = (ev.data.epoch - 1) * cfg.stepsPerEpoch + ev.data.done;
  if (ev.data.done === 0 && ev.data.epoch > 1 && !st.fresh) {
    return fromRanks(ev, cfg, st, () => [
      { level: "WARNING", text: `Dataset ${cfg.dataset.id} is being re-looped` },
    ]);
  }
  st.lastLogStep = step;
  return fromRanks(ev, cfg, st, () => [
    `Training starts at step ${step + 1}${st.job.v2 ? "" : "."}`,
    `Profiling active. Traces will be saved at ${cfg.outputDir}/profile_trace`,
  ]);
};

/** Prints a worker's own exception and keeps its traceback for the launcher's error file. */
function remember(ev: LogEvent, cfg: RunConfig, st: TitanState): string {
  if (ev.key === "fault.oom") {
    st.lastError = pyTraceback(
      titanFrames(cfg, ev.data.site ?? "forward"),
      oomMessage(cfg, ev.data),
      pythonMinor(cfg) >= 11,
    );
  } else if (ev.key === "fault.cuda" && ev.data.error !== "net_ib") {
    st.lastError = pyTraceback(
      titanFrames(cfg, ev.data.site ?? "backward"),
      cudaException(cfg, ev.data),
      pythonMinor(cfg) >= 11,
    );
  }
  return faultFactLines(ev, cfg, titanFaults(cfg, st));
}

/** How this launcher shows faults: through the filter or every rank, torchtitan's frames. */
function titanFaults(cfg: RunConfig, st: TitanState): FaultStyle {
  return {
    style: NAME,
    view: {
      tee: (rank) => titanTee(st.job, rank, cfg),
      shows: (rank) => !st.job.filtered || rank % cfg.gpusPerNode === 0,
      frames: (c, site) => titanFrames(c, site),
    },
    // torchtitan's train() is wrapped in `@record`: a worker's own exception goes to its error file.
    agent: {
      entrypoint: "torchtitan.train",
      recorded: (w) =>
        w.cause === "cuda" || w.cause === "oom" || w.crash_raised ? st.lastError : null,
    },
  };
}

/** torchtitan under torchrun. */
const TITAN_STYLE = defineStyle<TitanState>({
  name: NAME,
  init: initTitan,
  faults: titanFaults,
  logs: {
    launch: (_ev, cfg, st) => launchTrace(cfg, st.job).join("\n"),
    "torchrun.omp": (ev, cfg) => ompBanner(ev, cfg, NAME),
    "dist.init": say((cfg, st) => jobStart(cfg, st.job)),
    ...forKeys(NCCL_KEYS, nccl),
    "fault.cuda": (ev, cfg, st) => remember(ev, cfg, st),
    "fault.oom": (ev, cfg, st) => remember(ev, cfg, st),
    "gpu.detect": say((_cfg, st) => [gcLine(st.job, "initial", 0)]),
    "model.arch": say((cfg, st) => modelBuild(cfg, st.job)),
    "model.wrap": say((cfg) => parallelize(cfg)),
    "model.memory": say((cfg, st) => modelMemory(cfg, st.job)),
    config: trainerBuilt,
    "resume.load": (ev, cfg, st) =>
      fromRanks(ev, cfg, st, () => [`Loading the checkpoint from ${stepDir(cfg, ev.data.step)}.`]),
    "resume.state": (ev, cfg, st) =>
      fromRanks(ev, cfg, st, (node) => [
        gcLine(st.job, "load", 0.01 + 0.03 * hashUnit(node, ev.simMs)),
        `Finished loading the checkpoint in ${
          ((ev.simMs - st.lastLogMs) / 1000).toFixed(2)
        } seconds.`,
      ]),
    "epoch.start": epochStart,
    "ckpt.start": (ev, cfg, st) =>
      ev.data.emergency ? "" : fromRanks(ev, cfg, st, () => [
        "Saving the checkpoint (or staging if async is enabled).",
        ...(ev.data.step === cfg.totalSteps
          ? [`Saving a full checkpoint at last step, step ${ev.data.step}.`]
          : []),
      ]),
    // The trainer sleeps two seconds before it says it completed, at the fact's instant.
    "export.start": (ev, cfg, st) =>
      fromRanks(
        { ...ev, simMs: ev.simMs - 2004 },
        cfg,
        st,
        () => ["Sleeping 2 seconds for other ranks to complete"],
      ) + "\n" +
      fromRanks(ev, cfg, st, () => [
        "Training completed",
        ...(st.job.v2 ? ["Destroying the purge thread."] : []),
        `Process group destroyed${st.job.v2 ? "" : "."}`,
      ]),
  },
  otherLog: () => "",
  data: {
    run: "",
    step: titanStep,
    val: (ev, cfg, st) => {
      const tps = (ev.data.samples * cfg.seqLen) / cfg.worldSize / Math.max(1, ev.data.time_s);
      return fromRanks(ev, cfg, st, () => [
        `validate step: ${String(ev.data.step).padStart(2)}  loss: ${
          ev.data.loss.toFixed(4).padStart(7)
        }  ` +
        `memory: ${peakReserved(cfg, st).toFixed(2).padStart(5)}GiB(${
          ((100 * peakReserved(cfg, st)) / st.job.capacityGiB).toFixed(2)
        }%)  ` +
        `tps: ${Math.round(tps).toLocaleString("en-US")}`,
      ]);
    },
    ckpt: (ev, cfg, st) =>
      ev.data.emergency || ev.data.step === cfg.totalSteps ? "" : fromRanks(ev, cfg, st, (node) => [
        gcLine(st.job, "checkpoint", 0.01 * hashUnit(node, ev.data.step)),
        `Finished saving the checkpoint (or staging if async is enabled)in ${
          ev.data.time_s.toFixed(2)
        } seconds.`,
      ]),
    export: "",
    summary: "",
    allreduce: "",
    gpu: "",
    fault: (ev, _cfg, st) => {
      // A relaunch after an out-of-memory runs with the smaller micro batch.
      if (ev.data.kind === "oom" && ev.data.micro_batch) {
        st.microBatch = ev.data.micro_batch;
        st.gradAccum = ev.data.grad_accum ?? st.gradAccum;
      }
      return "";
    },
  },
});

/**
 * The torchrun style: torchtitan pre-training, or llama-recipes' FSDP fine-tuning for a Llama
 * fine-tune (src/style/recipes.ts).
 */
export const TORCHRUN_STYLE: Style = {
  name: NAME,
  open: (cfg) => runsRecipes(cfg) ? RECIPES_STYLE.open(cfg) : TITAN_STYLE.open(cfg),
};
