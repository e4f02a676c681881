/**
 * A modded-nanogpt speedrun record log (KellerJordan/modded-nanogpt train_gpt.py, the record the
 * seed replays: speedrun_eras.ts): rank 0's log file after the script's own source, i.e. a rule
 * of 100 `=`, the Python, PyTorch (and Triton) versions, nvidia-smi as the job starts and another
 * rule, the data loaders or warm-up announcements of some scripts; then `step:N/M val_loss:…` at step 0 and
 * every val_loss_every steps and a `step:N/M train_time:…ms step_avg:…ms` line per step (the
 * timer of speedrun_clock.ts), and the peak memory (`consumption`, or `allocated` and `reserved`).
 * A crash shows as torch and torchrun print it (fault_lines.ts) on the script's PyTorch build.
 */
import type { DataEvent, LogEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { blank, defineStyle, forKeys, NCCL_KEYS } from "./define.ts";
import { launchOf } from "./ranks.ts";
import { defaultTableOptions, smiTable } from "./nvidia_smi.ts";
import { afterStep, atValidation, type SpeedrunClock, startClock } from "./speedrun_clock.ts";
import {
  afterHeaderLines,
  peakMemoryLine,
  RULE,
  torchBuild,
  versionLines,
} from "./speedrun_lines.ts";
import { eraGpu, headExcess, type SpeedrunEra, speedrunEra } from "./speedrun_eras.ts";
import { faultFactLines, type FaultStyle } from "./fault_lines.ts";
import { backwardFrames, frame } from "./torch_frames.ts";
import { callSpan } from "./tracebacks.ts";

const NAME = "speedrun";

/** nvidia-smi's note for a GPU with no processes at all. */
const NO_PROCESSES = /^\| +No running processes found +\|$/;

/** What the writer keeps: the record replayed, the timer, and where a relaunch resumes. */
interface SpeedrunState {
  era: SpeedrunEra;
  clock: SpeedrunClock;
  /** How far the host runs ahead of the GPU, ms (drawn once per run). */
  leadMs: number;
  /** The checkpoint a job relaunched after a fault resumes from (none before a fault). */
  relaunchStep?: number;
}

/** A launch's clock: the later scripts' clock holds a few hundredths of a ms at step 0. */
function launchClock(cfg: RunConfig, era: SpeedrunEra, launchStep: number, leadMs: number) {
  const rng = createRng(cfg.seed, `style:speedrun:clock:${launchStep}`);
  return startClock(launchStep, leadMs, era.clockReset, rng.range(0.016, 0.054));
}

function init(cfg: RunConfig): SpeedrunState {
  const rng = createRng(cfg.seed, "style:speedrun:clock");
  const era = speedrunEra(cfg);
  const stepMs = (cfg.tokensPerStep / cfg.tokensPerSecond) * 1000;
  const leadMs = stepMs * rng.range(0.55, 0.92);
  return { era, clock: launchClock(cfg, era, cfg.resumeStep, leadMs), leadMs };
}

/** Where the record script lives on this machine. */
function scriptPath(cfg: RunConfig): string {
  return `${cfg.cluster.home}/modded-nanogpt/train_gpt.py`;
}

function stepLine(ev: Extract<DataEvent, { type: "step" }>, cfg: RunConfig, st: SpeedrunState) {
  const d = ev.data;
  // Scripts that warm up before the loop compiled there: the timed first step is plain work.
  const first = d.step === st.clock.launchStep + 1 && !st.era.clockReset;
  const ms = (d.step_time_s - (first ? cfg.pacing.compileS : 0)) * 1000;
  return `step:${d.step}/${cfg.totalSteps} ${afterStep(st.clock, d.step, ms)}`;
}

function valLine(ev: Extract<DataEvent, { type: "val" }>, cfg: RunConfig, st: SpeedrunState) {
  const d = ev.data;
  if (d.step % cfg.pacing.evalInterval !== 0 && d.step !== cfg.totalSteps) return "";
  const loss = d.step === 0 ? d.loss + headExcess(cfg) : d.loss;
  return `step:${d.step}/${cfg.totalSteps} val_loss:${loss.toFixed(4)} ` +
    atValidation(st.clock, d.step);
}

/**
 * The script runs nvidia-smi from inside its ranks, once CUDA is up and the model is on the GPUs:
 * every GPU holds the same few GiB (one or two a little more or less), idles at a few per cent
 * and draws a sixth to a fifth of its cap, a few degrees warmer; the ranks' processes are listed.
 */
function inProcess(ev: Extract<DataEvent, { type: "gpu" }>, cfg: RunConfig) {
  const rng = createRng(cfg.seed, `style:speedrun:smi:${ev.simMs}`);
  const held = rng.range(1.4, 5.8), tdp = cfg.gpu.tdpW;
  const odd = new Set([rng.int(0, 7), rng.int(0, 7)]);
  const gpus = ev.data.gpus.map((g, i) => ({
    ...g,
    mem_used_gib: held + (odd.has(i) ? rng.range(-0.25, 0.05) : 0),
    util_pct: rng.int(0, 6),
    temp_c: g.temp_c + rng.range(2, 9),
    power_w: Math.max(g.power_w, tdp * rng.range(0.155, 0.215)),
  }));
  return { ...ev, data: { ...ev.data, gpus } };
}

/**
 * The header each launch's log starts with, at the reading the script's nvidia-smi took as it
 * started: the rule, the versions, nvidia-smi's table (with the blank line print() adds), the
 * closing rule and what the record's script prints next (its data loaders in December 2024, the
 * warm-up announcements in 2026).
 */
function header(ev: Extract<DataEvent, { type: "gpu" }>, cfg: RunConfig): string {
  if (ev.data.node !== 0 || ev.data.snapshot !== "start") return "";
  const machine = { ...cfg, gpu: eraGpu(cfg) };
  const hidden = !speedrunEra(cfg).smiProcesses;
  const options = { ...defaultTableOptions(machine), container: hidden };
  const table = smiTable(inProcess(ev, cfg), machine, options).split("\n");
  // Inside the earlier records' containers the ranks' processes are hidden, not absent: the
  // process table ends under its header, without the note nvidia-smi prints when none exist.
  const shown = hidden ? table.filter((l) => !NO_PROCESSES.test(l)) : table;
  return [RULE, ...versionLines(cfg), ...shown, "", RULE, ...afterHeaderLines(cfg)].join("\n");
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

/** The job started again from the checkpoint: a fresh timer (its header comes with its smi). */
function relaunch(cfg: RunConfig, st: SpeedrunState): string {
  st.clock = launchClock(cfg, st.era, st.relaunchStep ?? cfg.resumeStep, st.leadMs);
  return "";
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
    "gpu.driver": (ev, cfg, st) => (launchOf(ev) > 0 ? relaunch(cfg, st) : ""),
    ...blank("model.arch", "epoch.start"),
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
    gpu: header,
  },
});
