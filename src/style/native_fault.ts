/**
 * fauxtrain's own wording of a fault's facts and of an early ending: what died where, who
 * noticed, and how the run stopped. Framework styles print the real tools' lines instead
 * (src/style/torch_faults.ts); this is the plain account the native look and JSON lines carry.
 */
import type { LogEventOf, SummaryData } from "../sim/events.ts";
import { hostName, pciAddress } from "../sim/names.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { gpuFaultCause, MAX_RESTARTS } from "../sim/phases/gpu_fault.ts";
import { formatBytes, formatDuration, formatTokens, thousands } from "../format/units.ts";

/** Keys worded here. */
export type FaultKey = Extract<
  LogEventOf<keyof import("../sim/facts.ts").LogFacts>["key"],
  `fault.${string}` | `interrupt${string}`
>;

const CUDA_TEXT = {
  ecc_uncorrectable: "uncorrectable ECC error encountered",
  unknown: "unknown error",
  illegal_address: "an illegal memory access was encountered",
  launch_failure: "unspecified launch failure",
  net_ib: "NCCL error: remote process exited or there was a network error",
};

const CRASH_TEXT = {
  loader_bus: "lost a DataLoader worker to SIGBUS: /dev/shm is full",
  loader_killed: "lost a DataLoader worker to the OOM killer",
  host_oom: "was killed by the host's OOM killer (SIGKILL)",
  disk_full: "failed to write its checkpoint: the file system is full",
  segfault: "died of a segmentation fault (SIGSEGV)",
};

/** The native line of a fault or interruption fact. */
export function faultFactLine(ev: LogEventOf<FaultKey>, cfg: RunConfig): string {
  const host = (rank: number) => hostName(cfg.cluster, Math.floor(rank / cfg.gpusPerNode));
  switch (ev.key) {
    case "fault.oom": {
      const d = ev.data;
      return `CUDA out of memory on rank ${d.rank} (${host(d.rank)}): tried to allocate ` +
        `${d.request_gib.toFixed(2)} GiB with ${d.free_gib.toFixed(2)} GiB free`;
    }
    case "fault.recovered":
      return `Loss back to ${ev.data.loss.toFixed(4)} at step ${ev.data.step}, ` +
        `${ev.data.step - ev.data.spike_step} steps after the spike at step ${ev.data.spike_step}`;
    case "fault.kernel": {
      const d = ev.data, local = d.rank % cfg.gpusPerNode;
      if (d.xid === 0) return `${host(d.rank)}: ${gpuFaultCause(cfg, d.ecc, d.xid)}`;
      return `${host(d.rank)}: GPU ${local} (${pciAddress(cfg.cluster, local)}) reported ` +
        `${gpuFaultCause(cfg, d.ecc, d.xid)}`;
    }
    case "fault.cuda": {
      const d = ev.data,
        text = CUDA_TEXT[d.error ?? (d.ecc ? "ecc_uncorrectable" : "launch_failure")];
      const what = d.error === "net_ib" ? text : `CUDA error: ${text}`;
      return `Rank ${d.rank} (${host(d.rank)}, pid ${d.pid ?? "?"}): ${what}`;
    }
    case "fault.crash": {
      const d = ev.data;
      return `Rank ${d.rank} (${host(d.rank)}, pid ${d.pid}) ${CRASH_TEXT[d.crash]}` +
        (d.worker_pid ? ` (DataLoader worker pid ${d.worker_pid})` : "");
    }
    case "fault.watchdog": {
      const d = ev.data;
      return `Rank ${d.rank}: NCCL watchdog timeout after ${thousands(d.ran_ms)} ms in ` +
        `${d.op ?? "ALLREDUCE"} #${d.seq} (${thousands(d.numel)} elements); aborting`;
    }
    case "fault.exit": {
      const d = ev.data, first = d.failed[0];
      return `${hostName(cfg.cluster, d.node)}: rank ${first.rank} (pid ${first.pid}) exited ` +
        `with code ${first.exitcode}` +
        (d.failed.length > 1 ? `, ${d.failed.length - 1} more with it` : "") +
        (d.terminated.length > 0 ? `; stopped ${d.terminated.length} other workers` : "");
    }
    case "fault.srun":
      return `Slurm step ${cfg.cluster.jobId}.0: ${ev.data.tasks.length} task` +
        `${ev.data.tasks.length === 1 ? "" : "s"} exited with code ${ev.data.tasks[0].exit_code}`;
    case "fault.elastic":
      return `[default] ${ev.data.action} (restart ${ev.data.restart}, ` +
        `${ev.data.attempts_left}/${MAX_RESTARTS} attempts left)`;
    case "fault.node":
      return `${host(ev.data.rank)} drained: ${gpuFaultCause(cfg, ev.data.ecc)}`;
    case "fault.nccl":
      return "NCCL communicators rebuilt";
    case "fault.load":
      return `Loading checkpoint ${cfg.outputDir}/checkpoint-${ev.data.step} ` +
        `(${formatBytes(ev.data.bytes)})`;
    case "fault.resume":
      return `Resumed from step ${ev.data.step} after restart ${ev.data.restart}`;
    case "interrupt":
      return interruptLine(cfg, ev.data);
    case "interrupt.shutdown":
      return ev.data.cause === "time_limit"
        ? `Slurm cancelled job ${cfg.cluster.jobId} at its time limit`
        : `Received Signals.${ev.data.signal} death signal, shutting down ` +
          `${thousands(cfg.worldSize)} worker process${cfg.worldSize > 1 ? "es" : ""}`;
    case "interrupt.resume":
      return `Emergency checkpoint written to ${ev.data.path}`;
  }
}

function interruptLine(cfg: RunConfig, d: LogEventOf<"interrupt">["data"]): string {
  const at = d.cause === "time_limit"
    ? "Time limit reached (SIGTERM from Slurm)"
    : d.signal === "SIGINT"
    ? "Interrupted (SIGINT)"
    : "Terminated (SIGTERM)";
  if (d.step === 0) return `${at} during start-up, before the first step`;
  if (d.phase === "export") return `${at} during export; checkpoint-${d.step} is complete`;
  const where = `${at} at epoch ${d.epoch}/${cfg.epochs}, step ${thousands(d.step)}/` +
    thousands(cfg.totalSteps);
  if (d.saved) return `${where}; checkpoint-${d.step} is on disk`;
  return d.cause === "time_limit"
    ? `${where}; steps since the last checkpoint are lost`
    : `${where}; saving a checkpoint before exit`;
}

/** The summary line of a run that stopped early. */
export function interruptedSummary(cfg: RunConfig, d: SummaryData): string {
  const head = d.cause === "time_limit"
    ? `Training stopped by the time limit after ${formatDuration(d.total_time_s)}`
    : `Training interrupted by ${d.signal} after ${formatDuration(d.total_time_s)}`;
  if (d.steps === 0) return `${head}, before the first step; output ${d.output_dir}`;
  const best = Number.isFinite(d.best_val_loss)
    ? `best val loss ${d.best_val_loss.toFixed(4)}`
    : "no validation yet";
  return `${head}: ${thousands(d.steps)} of ${thousands(cfg.totalSteps)} steps, ` +
    `${formatTokens(d.tokens)} tokens, last loss ${d.final_loss.toFixed(4)}, ${best}, ` +
    `${d.checkpoints} checkpoint${d.checkpoints === 1 ? "" : "s"}, output ${d.output_dir}`;
}
