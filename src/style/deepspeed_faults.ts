/**
 * Faults as a `deepspeed` launch shows them. A lost GPU or an out-of-memory: its rank's traceback
 * (torch's `[rankN]: ` behind pdsh's `host: `, DeepSpeed's frames) and its node's launch.py
 * killing every local process; the other nodes' ranks hang until torch's NCCL watchdog fires,
 * and their launchers kill theirs too; pdsh reports each remote command that failed. Nothing
 * restarts by itself: the job runs `deepspeed` again and the new processes load the last
 * checkpoint.
 */
import type { LogEvent, LogEventOf } from "../sim/events.ts";
import { hostName } from "../sim/names.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { dsRelease, hostPrefix, shownNodes, shownRanks } from "./deepspeed_log.ts";
import type { DsFrames } from "./deepspeed_release.ts";
import type { DsState } from "./deepspeed_state.ts";
import { killLines } from "./deepspeed_exit.ts";
import { dsLauncher, mpirunAbort } from "./deepspeed_launcher.ts";
import { dsScriptName, dsStage, dsWorkDir } from "./deepspeed_script.ts";
import { faultFactLines, type FaultStyle } from "./fault_lines.ts";
import { backwardFrames, moduleCall } from "./torch_frames.ts";
import { type FrameSite, loaderFrames } from "./torch_sites.ts";
import { callSpan, type PyFrame } from "./tracebacks.ts";
import { pythonPaths } from "./torch_source.ts";

/** A traceback frame: file, line, function, source and the span Python ≥ 3.11 underlines. */
type Frame = readonly [string, number, string, string, string?];

/** The release's frame `key` under the environment's `site-packages/deepspeed`. */
function dsFrame(cfg: RunConfig, key: keyof DsFrames): Frame {
  const [path, ...rest] = dsRelease(cfg).frames[key];
  return [`${pythonPaths(cfg).site}/deepspeed/${path}`, ...rest];
}

/**
 * The optimizer step's frames down to the gradient norm, where the CUDA error surfaces; only
 * stage 3's `step` is wrapped by nvtx.
 */
function stepFrames(cfg: RunConfig): Frame[] {
  const script = `${dsWorkDir(cfg)}/${dsScriptName(cfg)}`;
  const f = (key: keyof DsFrames) => dsFrame(cfg, key);
  const head: Frame[] = [
    [script, 401, "<module>", "main()"],
    [script, 372, "main", "model.step()"],
    f("step"),
    f("takeModelStep"),
  ];
  return dsStage(cfg) === 3
    ? [...head, f("nvtx"), f("z3Step"), f("z3NormGroups"), f("z3GradNorm")]
    : [...head, f("z12Step"), f("z12GlobalNorm"), f("z12GradNorm")];
}

/** The script's own loop frames at the sites outside the engine's step and forward. */
function loopFrames(cfg: RunConfig, site: FrameSite): Frame[] | null {
  const script = `${dsWorkDir(cfg)}/${dsScriptName(cfg)}`;
  const f = (key: keyof DsFrames) => dsFrame(cfg, key);
  const main: Frame = [script, 401, "<module>", "main()"];
  switch (site) {
    case "data":
      return [main, [script, 349, "main", "for step, batch in enumerate(train_dataloader):"]];
    case "sync":
      return [main, [script, 363, "main", "mean_loss += loss.item()", "loss.item()"]];
    case "save":
      return [
        main,
        [script, 389, "main", "model.save_checkpoint(args.output_dir)", "model.save_checkpoint("],
        f("saveCheckpoint"),
        f("saveZero"),
        f("torchSave"),
      ];
    case "backward":
    case "interrupt":
      return [
        main,
        [script, 367, "main", "model.backward(loss)", "model.backward("],
        f("nvtx"),
        f("backward"),
      ];
    default:
      return null;
  }
}

/** The frames, outermost first, of a worker failing at `site` under the run's DeepSpeed release. */
export function dsFrames(cfg: RunConfig, site: FrameSite): PyFrame[] {
  const toFrame = ([file, line, fn, code, span]: Frame): PyFrame => ({
    file,
    line,
    fn,
    code,
    ...(span ? { caret: callSpan(code, span.replace(/\(.*$/s, "")) } : {}),
  });
  const loop = loopFrames(cfg, site);
  if (loop) {
    const tail = site === "data"
      ? loaderFrames(cfg)
      : site === "backward" || site === "interrupt"
      ? backwardFrames(cfg)
      : [];
    return [...loop.map(toFrame), ...tail];
  }
  if (site === "optimizer") return [...stepFrames(cfg).map(toFrame)];
  const script = `${dsWorkDir(cfg)}/${dsScriptName(cfg)}`;
  return [
    toFrame([script, 401, "<module>", "main()"]),
    toFrame([script, 356, "main", "outputs = model(**batch, use_cache=False)", "model(**batch"]),
    ...moduleCall(cfg),
    toFrame(dsFrame(cfg, "nvtx")),
    toFrame(dsFrame(cfg, "forward")),
    ...moduleCall(cfg),
  ];
}

/** How a DeepSpeed job shows a worker's fault: pdsh's host prefix, the shown ranks. */
function dsFaults(cfg: RunConfig): FaultStyle {
  const shown = new Set(shownRanks(cfg));
  return {
    style: "deepspeed",
    view: {
      tee: (rank) => hostPrefix(cfg, Math.floor(rank / cfg.gpusPerNode)),
      shows: (rank) => shown.has(rank),
      frames: dsFrames,
    },
    agent: { entrypoint: dsScriptName(cfg) },
  };
}

/**
 * A fault or early ending as torchrun's agents and Slurm report it where torchrun launched the
 * ranks; null under DeepSpeed's runner or mpirun, whose own lines the caller words.
 */
export function torchrunFault(ev: LogEvent, cfg: RunConfig): string | null {
  return dsLauncher(cfg).kind === "torchrun" ? faultFactLines(ev, cfg, dsFaults(cfg)) : null;
}

/**
 * A worker's own lines: its CUDA error or out-of-memory, or a hung rank's watchdog (none once
 * mpirun has aborted the job: it kills the ranks that would have waited).
 */
export function workerFault(ev: LogEvent, cfg: RunConfig, st: DsState): string {
  if (st.mpiAbortMs !== null && ev.simMs > st.mpiAbortMs) return "";
  return faultFactLines(ev, cfg, dsFaults(cfg));
}

/**
 * A node's launch.py finding a child dead: it kills every local process and exits. Under mpirun,
 * the first death aborts the whole job with OpenMPI's report of the first process that failed.
 */
export function launcherExit(ev: LogEventOf<"fault.exit">, cfg: RunConfig, st: DsState): string {
  const d = ev.data;
  if (dsLauncher(cfg).kind === "mpirun") {
    if (st.mpiAbortMs !== null || d.failed.length === 0) return "";
    st.mpiAbortMs = ev.simMs;
    return mpirunAbort(cfg, st.launch, d.failed[0]);
  }
  if (!shownNodes(cfg).includes(d.node)) return "";
  return killLines(cfg, st, d.node, ev.simMs, d.failed[0]?.exitcode ?? 1);
}

/**
 * pdsh's report of each node's launcher that exited non-zero (a multi-node job only; pdsh
 * reaches the first node by ssh too).
 */
export function pdshExit(ev: LogEventOf<"fault.srun">, cfg: RunConfig): string {
  if (cfg.nodes === 1 || dsLauncher(cfg).kind !== "pdsh") return "";
  const local = hostName(cfg.cluster, 0);
  return ev.data.tasks.map((t) =>
    `pdsh@${local}: ${hostName(cfg.cluster, t.node)}: ssh exited with exit code ${t.exit_code}`
  ).join("\n");
}
