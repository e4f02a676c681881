/**
 * A modded-nanogpt speedrun record log (KellerJordan/modded-nanogpt, train_gpt.py of January
 * 2025): rank 0's log file after the script's own source, i.e. a rule of 100 `=`, the Python and
 * PyTorch versions, nvidia-smi as the job starts and another rule; then `step:N/M val_loss:…` at
 * step 0 and every 125 steps and a `step:N/M train_time:…ms step_avg:…ms` line per step (the
 * timer of speedrun_clock.ts), and `peak memory allocated: … MiB reserved: … MiB` at the end.
 * A crash shows as torch and torchrun print it (fault_lines.ts) on the script's PyTorch build.
 */
import type { DataEvent, LogEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { blank, defineStyle, forKeys, NCCL_KEYS } from "./define.ts";
import { launchOf } from "./ranks.ts";
import { defaultTableOptions, smiTable } from "./nvidia_smi.ts";
import { afterStep, atValidation, type SpeedrunClock, startClock } from "./speedrun_clock.ts";
import { peakMemoryLine, RULE, torchBuild, versionLines } from "./speedrun_lines.ts";
import { faultFactLines, type FaultStyle } from "./fault_lines.ts";
import { backwardFrames, frame } from "./torch_frames.ts";
import { callSpan } from "./tracebacks.ts";

const NAME = "speedrun";

/** What the writer keeps: the timer, and what a crash and relaunch have printed so far. */
interface SpeedrunState {
  clock: SpeedrunClock;
  /** How far the host runs ahead of the GPU, ms (drawn once per run). */
  leadMs: number;
  /** The relaunched job's header waits for its nvidia-smi before the closing rule. */
  ruleDue: boolean;
  /** nvidia-smi's table as the job started, printed inside the header once it comes. */
  startTable: string;
  /** The checkpoint a job relaunched after a fault resumes from (none before a fault). */
  relaunchStep?: number;
}

function init(cfg: RunConfig): SpeedrunState {
  const rng = createRng(cfg.seed, "style:speedrun:clock");
  const stepMs = (cfg.tokensPerStep / cfg.tokensPerSecond) * 1000;
  const leadMs = stepMs * rng.range(0.55, 0.92);
  return {
    clock: startClock(cfg.resumeStep, leadMs),
    leadMs,
    ruleDue: false,
    startTable: "",
  };
}

/** Where the record script lives on this machine. */
function scriptPath(cfg: RunConfig): string {
  return cfg.cluster.user === "root" ? "/root/modded-nanogpt/train_gpt.py" : (
    `/home/${cfg.cluster.user}/modded-nanogpt/train_gpt.py`
  );
}

function stepLine(ev: Extract<DataEvent, { type: "step" }>, cfg: RunConfig, st: SpeedrunState) {
  const d = ev.data;
  return `step:${d.step}/${cfg.totalSteps} ${afterStep(st.clock, d.step, d.step_time_s * 1000)}`;
}

function valLine(ev: Extract<DataEvent, { type: "val" }>, cfg: RunConfig, st: SpeedrunState) {
  const d = ev.data;
  if (d.step % cfg.pacing.evalInterval !== 0 && d.step !== cfg.totalSteps) return "";
  return `step:${d.step}/${cfg.totalSteps} val_loss:${d.loss.toFixed(4)} ` +
    atValidation(st.clock, d.step);
}

/**
 * nvidia-smi's table as the script prints it (with the blank line print() adds): the reading
 * each launch takes as it starts is kept for that launch's header.
 */
function smi(ev: Extract<DataEvent, { type: "gpu" }>, cfg: RunConfig, st: SpeedrunState): string {
  if (ev.data.node !== 0 || ev.data.snapshot !== "start") return "";
  st.startTable = `${smiTable(ev, cfg, defaultTableOptions(cfg))}\n`;
  return "";
}

/** The run as torch sees it: the PyTorch build the record script runs on (speedrun_lines.ts). */
function withTorch(cfg: RunConfig): RunConfig {
  return { ...cfg, cluster: { ...cfg.cluster, torchVersion: torchBuild(cfg).version } };
}

/** The record script's workers under `torchrun --standalone` (no `--tee`), its frames. */
const FAULTS: FaultStyle = {
  style: NAME,
  view: {
    tee: () => "",
    shows: () => true,
    frames: (cfg) => {
      const code = "model(input_seq, target_seq, sw_num_blks(window_size)).backward()";
      return [
        { ...frame(scriptPath(cfg), 598, "<module>", code), caret: callSpan(code, "model(") },
        ...backwardFrames(cfg),
      ];
    },
  },
  agent: { entrypoint: "train_gpt.py" },
};

/** A fault's lines as torch and torchrun print them, on the script's PyTorch. */
function faultLines(ev: LogEvent, cfg: RunConfig): string {
  // A single node's `torchrun --standalone` runs outside srun.
  return ev.key === "fault.srun" ? "" : faultFactLines(ev, withTorch(cfg), FAULTS);
}

/** The job started again from the checkpoint: a new log file's header and a fresh timer. */
function relaunch(cfg: RunConfig, st: SpeedrunState): string {
  st.ruleDue = true;
  st.clock = startClock(st.relaunchStep ?? cfg.resumeStep, st.leadMs);
  return [RULE, ...versionLines(cfg), st.startTable].join("\n");
}

/** The second rule of a relaunched job's header, after its nvidia-smi. */
function closingRule(_ev: unknown, _cfg: RunConfig, st: SpeedrunState): string {
  if (!st.ruleDue) return "";
  st.ruleDue = false;
  return RULE;
}

/** The speedrun record's look. */
export const SPEEDRUN_STYLE = defineStyle<SpeedrunState>({
  name: NAME,
  init,
  logs: {
    ...blank("launch", "launch.job", "torchrun.omp", "torchrun.rdzv", "torchrun.start"),
    ...blank("dist.init", "dist.versions", "gpu.detect", "gpu.node", "model.init", "model.load"),
    ...blank("model.wrap", "model.memory", "tokenizer", "dataset.open", "dataset.mixture"),
    ...blank("dataset.epoch", "config.header", "config", "seed", "ckpt.plan", "fp16.overflow"),
    ...blank("warning", "val.start", "val.progress", "val.time", "ckpt.start", "ckpt.progress"),
    ...blank("load.progress", "resume.load", "resume.state", "resume.data", "summary.size"),
    ...blank("export.start", "export.format", "export.index", "export.extra", "export.progress"),
    ...blank("interrupt.resume", "node.fail", "node.recover"),
    ...forKeys(NCCL_KEYS, () => ""),
    ...forKeys(
      ["fault.cuda", "fault.oom", "fault.watchdog", "fault.exit", "fault.srun", "interrupt"],
      faultLines,
    ),
    "interrupt.shutdown": faultLines,
    "gpu.driver": (ev, cfg, st) =>
      launchOf(ev) > 0 ? relaunch(cfg, st) : [RULE, ...versionLines(cfg), st.startTable].join("\n"),
    "model.arch": (ev) => (launchOf(ev) > 0 ? "" : RULE),
    "epoch.start": closingRule,
  },
  otherLog: () => "",
  data: {
    run: "",
    step: stepLine,
    val: valLine,
    ckpt: "",
    export: "",
    summary: (ev, cfg) => (ev.data.signal ? "" : peakMemoryLine(cfg)),
    allreduce: "",
    fault: (ev, _cfg, st) => {
      if (ev.data.resume_step !== undefined) st.relaunchStep = ev.data.resume_step;
      return "";
    },
    gpu: smi,
  },
});
