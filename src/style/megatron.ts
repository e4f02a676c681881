/**
 * Megatron-LM (Megatron-Core 0.9.0, or 0.12.0 on PyTorch 2.6+) launched by torchrun with
 * `--tee 3`: every worker line behind its `[defaultN]:` prefix; rank 0 prints the set-up, the
 * last rank the iteration lines, validations and timers.
 */
import { drawChaosPlan } from "../sim/chaos.ts";
import type { LogKey } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { initialLossScale, initialTrainState } from "../sim/phases/train_state.ts";
import { blank, defineStyle, forKeys, type LogFormatter, NCCL_KEYS } from "./define.ts";
import { ncclLines } from "./nccl_lines.ts";
import { lineRng, nodeOf } from "./ranks.ts";
import { ompBanner } from "./torchrun_lines.ts";
import {
  countSkip,
  initialMegatronState,
  type MegatronState,
  startTraining,
} from "./megatron_state.ts";
import { buildLines, initializedLines, initializedMilestone, initLines } from "./megatron_setup.ts";
import {
  builtLines,
  loadDoneLines,
  type LoadFrom,
  loadStartLines,
  optimizerLines,
  setupDoneLines,
  trainingStartLines,
} from "./megatron_data.ts";
import { datasetLines } from "./megatron_datasets.ts";
import { iterationBlock } from "./megatron_train.ts";
import { endOfTraining, savedLines, saveStartLines, validationLines } from "./megatron_eval.ts";
import { firstStepWarnings } from "./megatron_warnings.ts";
import { exitWarnings } from "./megatron_exit.ts";
import { monitorLines } from "./megatron_monitor.ts";
import { launchLine } from "./megatron_launch.ts";
import { releaseDefaults } from "./megatron_args.ts";
import { rank0, shownRanks, workerPrefix } from "./megatron_ranks.ts";
import { megatronFrames } from "./megatron_frames.ts";
import { faultFactLines, type FaultStyle } from "./fault_lines.ts";
import { dateTime } from "../format/clock.ts";

const NAME = "megatron";
type Fmt<K extends Parameters<typeof blank>[0]> = LogFormatter<K, MegatronState>;

/** The checkpoint the current launch loads: `--resume`'s, or a relaunch's after a fault. */
function resumeStep(cfg: RunConfig, st: MegatronState): number {
  return st.relaunchStep ?? cfg.resumeStep;
}

/** What the job loads before training: its own checkpoint, pretrained weights, or nothing. */
function loadFrom(cfg: RunConfig, st: MegatronState): LoadFrom {
  const step = resumeStep(cfg, st);
  if (step > 0) return { kind: "iteration", dir: cfg.outputDir, step };
  return st.profile.pretrained ? { kind: "release", dir: st.profile.pretrained } : { kind: "none" };
}

/** Skipped iterations before a resumed checkpoint: fp16's start-up burst down to its scale. */
function skippedBefore(cfg: RunConfig): number {
  if (cfg.precision !== "fp16" || cfg.resumeStep === 0) return 0;
  const floor = initialTrainState(cfg, cfg.startMs).lossScaleFloor;
  return Math.log2(initialLossScale(cfg) / floor) + 1;
}

/**
 * The optimizer and the checkpoint load's start; the load's end and the milestone when the
 * simulation's read is done (a resumed or relaunched job), else at once.
 */
const built: Fmt<"model.wrap"> = (ev, cfg, st) => {
  const rng = lineRng(cfg, NAME, ev), from = loadFrom(cfg, st);
  st.skippedTotal = st.relaunchStep === undefined
    ? skippedBefore(cfg)
    : st.skippedAtSave.get(st.relaunchStep) ?? st.skippedTotal;
  const start = rank0(cfg, [...optimizerLines(cfg, st, rng), ...loadStartLines(from, cfg)]);
  if (from.kind === "iteration") {
    st.loading = { sinceMs: ev.simMs, held: [] };
    return start;
  }
  // Pretrained weights were read while the model was built.
  const loadMs = from.kind === "release"
    ? Math.max(0.4, ev.simMs - st.initializedMs - rng.range(400, 3000))
    : rng.range(0.4, 3);
  st.builtMs = ev.simMs;
  const done = rank0(cfg, loadDoneLines(from, cfg, st));
  return [start, done, builtLines(cfg, loadMs, st.builtMs, rng)].filter((l) => l !== "").join(
    "\n",
  );
};

/** Lines printed now, or held until a checkpoint load in flight has ended. */
function afterLoad(st: MegatronState, lines: (atMs: number) => string, nowMs: number): string {
  if (!st.loading) return lines(nowMs);
  st.loading.held.push(lines);
  return "";
}

/** End of set-up; a resumed run's training starts when its checkpoint is read. */
const setupDone: Fmt<"ckpt.plan"> = (ev, cfg, st) => {
  const rng = lineRng(cfg, NAME, ev);
  if (resumeStep(cfg, st) > 0) {
    return afterLoad(st, (at) => setupDoneLines(cfg, st, at, rng), ev.simMs);
  }
  startTraining(st, ev.simMs, 0);
  return `${setupDoneLines(cfg, st, ev.simMs, rng)}\n${trainingStartLines(cfg, st, 0, ev.simMs)}`;
};

/** The checkpoint is read: the load's end, the milestone, then the set-up held behind it. */
const loaded: Fmt<"resume.state"> = (ev, cfg, st) => {
  const load = st.loading;
  if (!load) return "";
  st.loading = undefined;
  const rng = lineRng(cfg, NAME, ev), from = loadFrom(cfg, st);
  // Cached dataset indices and the iterators take a second or two after the load.
  // (A load quicker than that leaves them at least half its time: the timer never goes negative.)
  st.builtMs = ev.simMs - Math.min(rng.range(600, 2200), 0.5 * (ev.simMs - load.sinceMs));
  const out = [
    rank0(cfg, loadDoneLines(from, cfg, st)),
    builtLines(cfg, st.builtMs - load.sinceMs, st.builtMs, rng),
    ...load.held.map((lines) => lines(ev.simMs)),
  ];
  return out.filter((l) => l !== "").join("\n");
};

const resumed: Fmt<"resume.data"> = (ev, cfg, st) => {
  startTraining(st, ev.simMs, ev.data.step);
  return trainingStartLines(cfg, st, ev.data.step, ev.simMs);
};

const nccl: LogFormatter<LogKey, MegatronState> = (ev, cfg) =>
  ncclLines(ev, cfg, NAME, (r) => workerPrefix(cfg, r));

/**
 * How torchrun `--tee 3` shows a fault: every worker's lines behind `[defaultN]:`, Megatron's
 * frames in the failing rank's traceback, pretrain_gpt.py as torchrun's entry point.
 */
function megatronFaults(cfg: RunConfig, st: MegatronState): FaultStyle {
  // The log holds the first and last nodes' workers, and those of a node whose worker kills the
  // job: its launcher's failure report is there, so is what the worker printed before it died.
  const failing = drawChaosPlan(cfg).faults.flatMap((f) =>
    f.kind === "gpu_fault" || f.kind === "oom" || f.kind === "crash"
      ? Array.from({ length: cfg.gpusPerNode }, (_, i) => nodeOf(cfg, f.rank) * cfg.gpusPerNode + i)
      : []
  );
  const shown = new Set([...shownRanks(cfg), ...failing]);
  return {
    style: NAME,
    view: {
      tee: (rank) => workerPrefix(cfg, rank),
      shows: (rank) => shown.has(rank),
      frames: (c, site) => megatronFrames(c, st.profile, site),
    },
    agent: { entrypoint: "pretrain_gpt.py" },
  };
}

/** Megatron-LM's look. */
export const MEGATRON_STYLE = defineStyle<MegatronState>({
  name: NAME,
  init: initialMegatronState,
  faults: megatronFaults,
  logs: {
    ...blank("launch.job", "torchrun.rdzv", "dist.versions", "gpu.node", "gpu.driver"),
    launch: (_ev, cfg, st) => launchLine(cfg, st.arch, st.profile, releaseDefaults(st.profile)),
    ...blank("model.arch", "load.progress", "model.memory", "dataset.mixture", "dataset.epoch"),
    ...blank("config.header", "config", "seed", "summary.size", "tokenizer", "warning"),
    ...blank("val.start", "val.progress", "val.time", "ckpt.progress", "fault.recovered"),
    ...blank("export.format", "export.progress", "export.index", "export.extra"),
    ...blank("resume.load", "interrupt.resume"),
    // A user's SIGTERM ends in the exit handler's save; Slurm's time limit leaves no time for it.
    interrupt: (ev, cfg, st) =>
      ev.data.cause === "time_limit" ? faultFactLines(ev, cfg, megatronFaults(cfg, st)) : "",
    ...blank("node.fail", "node.recover"),
    "torchrun.omp": (ev, cfg) => ompBanner(ev, cfg, NAME),
    "torchrun.start": (ev, _cfg, st) => ((st.processStartMs = ev.simMs), ""),
    "dist.init": initLines,
    ...forKeys(NCCL_KEYS, nccl),
    "nccl.done": (ev, cfg, st) => `${nccl(ev, cfg, st)}\n${initializedLines(ev, cfg, st)}`,
    "gpu.detect": (ev, cfg, st) => {
      st.initializedMs = ev.simMs;
      return rank0(cfg, initializedMilestone(ev.simMs, st));
    },
    "model.init": buildLines,
    "model.load": buildLines,
    "model.wrap": built,
    "dataset.open": (ev, cfg, st) => {
      const rng = lineRng(cfg, NAME, ev);
      const fresh = resumeStep(cfg, st) === 0 && rng.chance(0.5);
      return afterLoad(st, () => datasetLines(cfg, st, fresh, rng), ev.simMs);
    },
    "ckpt.plan": setupDone,
    "resume.state": loaded,
    "resume.data": resumed,
    "epoch.start": (ev, cfg, st) => {
      if (!st.warningsPending) return "";
      st.warningsPending = false;
      return firstStepWarnings(cfg, st, lineRng(cfg, NAME, ev));
    },
    "fp16.overflow": (ev, _cfg, st) => (countSkip(st, ev.data.step), ""),
    "ckpt.start": (ev, cfg, st) => saveStartLines(cfg, st, ev.data.step, ev.simMs),
    "export.start": (ev, cfg, st) => endOfTraining(ev.simMs, cfg, st, lineRng(cfg, NAME, ev)),
  },
  otherLog: () => "",
  data: {
    run: "",
    step: (ev, cfg, st) => {
      // Megatron skips an update only when its fp16 grad scaler finds inf/NaN; a bf16 run has no
      // scaler, so its optimizer steps on (and its counter stays where it was).
      if (ev.data.skipped && cfg.precision === "fp16") countSkip(st, ev.data.step);
      return ev.data.step % st.profile.logInterval === 0 ? iterationBlock(ev, cfg, st) : "";
    },
    val: (ev, cfg, st) => validationLines(ev, cfg, st, lineRng(cfg, NAME, ev)),
    ckpt: (ev, cfg, st) => {
      const rng = lineRng(cfg, NAME, ev), saved = savedLines(ev, cfg, st, rng);
      if (!ev.data.emergency) return saved;
      const exit = rank0(
        cfg,
        `[exiting program after receiving SIGTERM.] datetime: ${dateTime(ev.simMs)} `,
      );
      st.exited = true;
      return [saved, exit, exitWarnings(cfg, ev.simMs, rng)].filter((s) => s !== "").join("\n");
    },
    export: "",
    summary: (
      ev,
      cfg,
      st,
    ) => (st.exited || ev.data.signal ? "" : exitWarnings(cfg, ev.simMs, lineRng(cfg, NAME, ev))),
    allreduce: "",
    // The relaunched job loads the checkpoint the fault rolled back to.
    fault: (ev, _cfg, st) => {
      if (ev.data.resume_step !== undefined) st.relaunchStep = ev.data.resume_step;
      return "";
    },
    gpu: monitorLines,
  },
});
