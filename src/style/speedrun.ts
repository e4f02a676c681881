/**
 * A modded-nanogpt speedrun record log (KellerJordan/modded-nanogpt, train_gpt.py of January
 * 2025): rank 0's log file after the script's own source, i.e. a rule of 100 `=`, the Python and
 * PyTorch versions, nvidia-smi as the job starts and another rule; then `step:N/M val_loss:…` at
 * step 0 and every 125 steps and a `step:N/M train_time:…ms step_avg:…ms` line per step (the
 * timer of speedrun_clock.ts), and `peak memory allocated: … MiB reserved: … MiB` at the end.
 */
import type { DataEvent, LogEventOf } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { blank, defineStyle, forKeys, NCCL_KEYS } from "./define.ts";
import { startupNodes } from "./ranks.ts";
import { defaultTableOptions, smiTable } from "./nvidia_smi.ts";
import { afterStep, atValidation, type SpeedrunClock, startClock } from "./speedrun_clock.ts";
import { peakMemoryLine, RULE, torchBuild, versionLines } from "./speedrun_lines.ts";
import { agentSignal } from "./torch_crash.ts";
import { type CrashState, torchFaultLines } from "./torchrun_failure.ts";

const NAME = "speedrun";

/** What the writer keeps: the timer, and what a crash and relaunch have printed so far. */
interface SpeedrunState extends CrashState {
  clock: SpeedrunClock;
  /** How far the host runs ahead of the GPU, ms (drawn once per run). */
  leadMs: number;
  /** The relaunched job's header waits for its nvidia-smi before the closing rule. */
  ruleDue: boolean;
  /** nvidia-smi's table as the job started, printed inside the header once it comes. */
  startTable: string;
}

function init(cfg: RunConfig): SpeedrunState {
  const rng = createRng(cfg.seed, "style:speedrun:clock");
  const stepMs = (cfg.tokensPerStep / cfg.tokensPerSecond) * 1000;
  const leadMs = stepMs * rng.range(0.55, 0.92);
  return {
    clock: startClock(cfg.resumeStep, leadMs),
    leadMs,
    relaunches: 0,
    ruleDue: false,
    startTable: "",
    crash: null,
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
 * taken as the job starts is kept for the header; a relaunched job's comes as it is read.
 */
function smi(ev: Extract<DataEvent, { type: "gpu" }>, cfg: RunConfig, st: SpeedrunState): string {
  if (ev.data.node !== 0) return "";
  const table = `${smiTable(ev, cfg, defaultTableOptions(cfg))}\n`;
  if (ev.simMs === cfg.startMs) return (st.startTable = table), "";
  return ev.data.snapshot ? table : "";
}

/** The run as torch sees it: the PyTorch build the record script runs on (speedrun_lines.ts). */
function withTorch(cfg: RunConfig): RunConfig {
  return { ...cfg, cluster: { ...cfg.cluster, torchVersion: torchBuild(cfg).version } };
}

/** How a GPU fault reads in a record run (torchrun_failure.ts), on the script's PyTorch. */
const FAULTS = torchFaultLines({
  style: NAME,
  scriptName: "train_gpt.py",
  scriptPath,
  frame: { line: 598, code: "model(input_seq, target_seq, sw_num_blks(window_size)).backward()" },
  torch: withTorch,
  plainSingleProcess: false,
});

/** The job started again from the checkpoint: a new log file's header and a fresh timer. */
function relaunch(ev: LogEventOf<"fault.resume">, cfg: RunConfig, st: SpeedrunState): string {
  st.relaunches += 1;
  st.crash = null;
  st.ruleDue = true;
  st.clock = startClock(ev.data.step, st.leadMs);
  return [RULE, ...versionLines(cfg)].join("\n");
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
    ...blank("fault.oom", "fault.recovered", "fault.kernel", "fault.node", "fault.nccl"),
    ...blank("fault.load", "interrupt.shutdown", "interrupt.resume", "node.fail", "node.recover"),
    ...forKeys(NCCL_KEYS, () => ""),
    "gpu.driver": (_ev, cfg, st) => [RULE, ...versionLines(cfg), st.startTable].join("\n"),
    "model.arch": () => RULE,
    "epoch.start": closingRule,
    ...FAULTS,
    "fault.resume": relaunch,
    interrupt: (ev, cfg) =>
      agentSignal(withTorch(cfg), ev.data.signal, ev.simMs, startupNodes(cfg)).join("\n"),
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
    fault: "",
    gpu: smi,
  },
});
