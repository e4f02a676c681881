/**
 * PyTorch Lightning 2.x as the first node's log of a job shows it: seeds and the Trainer's
 * report, every local rank joining, the banner, the model summary, the sanity check, tqdm bars
 * refreshed twice per refresh with Lightning's padded metrics, the validation bar, the
 * ModelCheckpoint messages and the end of fit. The processes' writes go to one stream (a tqdm
 * refresh has no newline, so a log line written after it continues its line), and each event's
 * message is the lines that stream completed by then.
 */
import type { DataEvent, LogEvent, OutputEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { captureFlush, captureTake } from "../format/capture.ts";
import type { Style } from "./apply.ts";
import {
  createLightningState,
  type LightningState,
  nodeRanks,
  seconds,
  write,
} from "./lightning_state.ts";
import { fitSetup, processJoin, processStart } from "./lightning_launch.ts";
import {
  epochEnd,
  epochStart,
  loadProgress,
  loadStart,
  sanityCheck,
  trainEnd,
  trainStart,
  trainStep,
  validationEnd,
  validationProgress,
  validationStart,
} from "./lightning_bars.ts";
import {
  earlierCheckpoint,
  fitStopped,
  interruptText,
  monitorCheckpoint,
  periodicSave,
  restoredLine,
  restoringLine,
} from "./lightning_ckpt.ts";
import { failingRankLines, survivorsText } from "./lightning_faults.ts";
import { midEpochWarning } from "./lightning_setup.ts";
import { launchOf } from "./ranks.ts";
import { wandbId } from "./lightning_profile.ts";

type GpuEvent = Extract<DataEvent, { type: "gpu" }>;

/**
 * GPU telemetry in this style's text. A monitoring tool started beside the job (nvidia-smi
 * dmon, `--query-gpu ... -l N`) would print its lines here; none is wired in, so a `gpu` event
 * prints nothing. A monitor module returns its lines for the event (they do not enter the
 * job's own stream: the tool writes to its own file descriptor at its own cadence).
 */
export function gpuMonitorLines(_ev: GpuEvent, _cfg: RunConfig): string {
  return "";
}

/** Telemetry comes in its own order and never touches the job's stream. */
function isTelemetry(ev: OutputEvent): boolean {
  return ev.type === "gpu" || ev.type === "allreduce" ||
    (ev.type === "log" && (ev.key === "node.fail" || ev.key === "node.recover"));
}

/** Whether the output modes print this event's message (steps not logged and bars in flight
 * do not). */
function printable(ev: OutputEvent): boolean {
  if (ev.type === "step") return ev.logged;
  return !(ev.type === "log" && ev.bar && ev.bar.done < ev.bar.total);
}

/** The process died: its bars and logged metrics go with it, ModelCheckpoint's scores stay. */
function processLost(st: LightningState): void {
  st.train = null;
  st.val = null;
  st.loading = null;
  st.trainStarted = false;
  st.inFit = false;
  st.metrics.clear();
}

/** The job launched again after a fault: new processes, a new attempt of the job. */
function startAttempt(st: LightningState): void {
  processLost(st);
  st.chainShown = false;
  st.attempt += 1;
  // The relaunched script makes a new logger: the next version_N, or a new W&B run.
  st.version = typeof st.version === "number" ? st.version + 1 : wandbId(st.rng);
}

function restorePath(st: LightningState, step: number): string {
  return st.ckptPaths.get(step) ?? earlierCheckpoint(st, step, st.p.resumedVersion);
}

function onFault(st: LightningState, ev: LogEvent): void {
  const cfg = st.cfg;
  if (ev.key === "fault.cuda" && ev.data.rank < cfg.gpusPerNode) {
    write(st, failingRankLines(cfg, ev.data, ev.simMs, st.attempt));
  } else if (ev.key === "fault.watchdog" && ev.data.rank >= 0 && !st.chainShown) {
    st.chainShown = true;
    const ranks = nodeRanks(cfg).filter((r) => r !== st.failedRank);
    write(st, survivorsText(cfg, ranks, ev.data, ev.simMs, st.rng, st.attempt));
    processLost(st);
  }
}

function onLog(st: LightningState, ev: LogEvent): void {
  const cfg = st.cfg;
  const now = seconds(ev.simMs);
  switch (ev.key) {
    case "launch":
      return launchOf(ev) > 0 ? startAttempt(st) : undefined;
    case "torchrun.start":
      return processStart(st);
    case "dist.init":
      return processJoin(st);
    case "model.load":
      // transformers shows the bar only for a sharded checkpoint.
      return ev.data.shards > 1 ? loadStart(st, ev.data.shards, now, cfg.gpusPerNode) : undefined;
    case "load.progress":
      return loadProgress(st, ev.bar!.done, ev.bar!.elapsed_s);
    case "model.wrap":
      return fitSetup(st, cfg.resumeStep > 0 || st.attempt > 0, ev.simMs);
    case "resume.load":
      return write(st, restoringLine(restorePath(st, ev.data.step)));
    case "resume.data":
      return write(st, restoredLine(restorePath(st, ev.data.step)));
    case "epoch.start":
      if (!st.trainStarted) sanityCheck(st, now), trainStart(st, now);
      epochStart(st, ev.data.epoch, now);
      return write(st, ev.data.done > 0 ? midEpochWarning(st.p) : "");
    case "val.start":
      return validationStart(st, ev.data.batches, now);
    case "val.progress":
      return validationProgress(st, ev.bar!.done);
    case "warning":
      // Only a dataset that tokenizes as it reads meets the long sample during training.
      if (ev.data.kind !== "truncated" || !st.p.r.tokenizesLive) return;
      if (st.warned.has("truncated")) return;
      st.warned.add("truncated");
      return write(
        st,
        "Token indices sequence length is longer than the specified maximum sequence length " +
          `for this model (${ev.data.length} > ${cfg.seqLen}). Running this sequence through the ` +
          "model will result in indexing errors\n",
      );
    case "interrupt":
      return write(st, interruptText(st, ev.data.signal, ev.simMs));
    default:
      if (ev.key.startsWith("fault.")) onFault(st, ev);
  }
}

function onData(st: LightningState, ev: DataEvent): void {
  const now = seconds(ev.simMs);
  if (ev.type === "step") return trainStep(st, ev.data, now);
  if (ev.type === "fault" && ev.data.kind === "gpu_fault") st.failedRank = ev.data.rank;
  if (ev.type === "ckpt" && !ev.data.emergency) {
    st.ckptPaths.set(ev.data.step, periodicSave(st, ev.data.step));
  }
  if (ev.type !== "val") return;
  for (const key of st.p.r.valKeys) {
    st.metrics.set(key, Math.fround(key.endsWith("loss") ? ev.data.loss : ev.data.ppl));
  }
  const end = validationEnd(st, now);
  write(st, monitorCheckpoint(st, ev.data));
  // A validation inside the epoch (val_check_interval) ends no epoch: no epoch-level metrics yet.
  const last = ev.data.step >= st.cfg.totalSteps;
  if (last || ev.data.step % st.cfg.stepsPerEpoch === 0) {
    epochEnd(st, end + st.rng.range(0.002, 0.05));
  }
  if (!last) return;
  write(st, fitStopped(st));
  trainEnd(st, end + st.rng.range(0.05, 0.4));
}

/** The message of one event: the lines the job's output completed with it. */
function lightningMessage(st: LightningState, ev: OutputEvent): string {
  if (ev.type === "gpu") return gpuMonitorLines(ev, st.cfg);
  if (isTelemetry(ev)) return "";
  if (ev.type === "log") onLog(st, ev);
  else onData(st, ev);
  if (!printable(ev)) return "";
  const lines = ev.type === "summary" ? captureFlush(st.out) : captureTake(st.out);
  // A lone empty line would read as "no message": it waits for the next lines.
  if (lines.length === 1 && lines[0] === "") {
    st.out.lines.push("");
    return "";
  }
  return lines.join("\n");
}

/** PyTorch Lightning's look. */
export const LIGHTNING_STYLE: Style = {
  name: "lightning",
  open(cfg: RunConfig) {
    const st = createLightningState(cfg);
    return { unloggedSteps: true, message: (ev: OutputEvent) => lightningMessage(st, ev) };
  },
};
