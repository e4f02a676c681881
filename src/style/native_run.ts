/**
 * fauxtrain's own wording of the facts from the first step on: training, warnings, faults,
 * resuming, export, interruption, telemetry agents and progress bars.
 */
import type { LogEvent, LogEventOf, SummaryData, WarningFact } from "../sim/events.ts";
import { hostName, workerPid } from "../sim/names.ts";
import { pciAddress } from "../sim/gpu_host.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { gpuFaultCause, MAX_RESTARTS, WATCHDOG_S } from "../sim/phases/gpu_fault.ts";
import { meterLine } from "../format/meter.ts";
import {
  formatBytes,
  formatDuration,
  formatLr,
  formatSeconds,
  formatTokens,
  thousands,
} from "../format/units.ts";
import type { LaunchKey } from "./native_launch.ts";
import type { SetupKey } from "./native_setup.ts";

/** Keys worded here. */
export type RunKey = Exclude<LogEvent["key"], LaunchKey | SetupKey>;

/** The native line of a fact from training on. */
export function runLine(ev: LogEventOf<RunKey>, cfg: RunConfig): string {
  switch (ev.key) {
    case "epoch.start": {
      const { epoch, done } = ev.data;
      return done === 0
        ? `Epoch ${epoch}/${cfg.epochs}: ${cfg.stepsPerEpoch} steps`
        : `Epoch ${epoch}/${cfg.epochs}: resuming at step ${done}/${cfg.stepsPerEpoch}`;
    }
    case "fp16.overflow":
      return `Gradient overflow at step ${ev.data.step}: skipping update, loss scale reduced ` +
        `to ${ev.data.loss_scale}`;
    case "warning":
      return warningText(cfg, ev.data);
    case "val.start":
      return `Running validation after epoch ${ev.data.epoch}: ${ev.data.samples} samples, ` +
        `${ev.data.batches} batches`;
    case "val.time":
      return `Validation took ${formatSeconds(ev.data.seconds)}; best val loss ` +
        `${ev.data.best.toFixed(4)}`;
    case "ckpt.start":
      return `Saving ${ev.data.emergency ? "emergency " : ""}checkpoint at step ` +
        `${ev.data.step} to ${ev.data.path} (${formatBytes(ev.data.bytes)})`;
    case "fault.oom": {
      const d = ev.data;
      return `[rank${d.rank}]: torch.OutOfMemoryError: CUDA out of memory. Tried to allocate ` +
        `${d.request_gib.toFixed(2)} GiB. GPU ${d.rank % cfg.gpusPerNode} has a total ` +
        `capacity of ${(cfg.gpu.memMiB / 1024).toFixed(2)} GiB of which ` +
        `${d.free_gib.toFixed(2)} GiB is free.`;
    }
    case "fault.recovered":
      return `Loss back to ${ev.data.loss.toFixed(4)} at step ${ev.data.step}, ` +
        `${ev.data.step - ev.data.spike_step} steps after the spike at step ${ev.data.spike_step}`;
    case "fault.kernel":
      return kernelLine(cfg, ev.data.rank, ev.data.ecc);
    case "fault.cuda":
      return `[rank${ev.data.rank}]: RuntimeError: ${
        cfg.gpu.vendor === "amd" ? "HIP" : "CUDA"
      } error: ` +
        (ev.data.ecc ? "uncorrectable ECC error encountered" : "unspecified launch failure");
    case "fault.watchdog": {
      const d = ev.data;
      if (d.more > 0) return `... and ${d.more} more ranks timed out the same way`;
      return `[rank${d.rank}]:[${
        glogTime(ev.simMs, d.rank)
      } ProcessGroupNCCL.cpp:632] [Rank ${d.rank}] ` +
        `Watchdog caught collective operation timeout: WorkNCCL(SeqNum=${d.seq}, ` +
        `OpType=ALLREDUCE, NumelIn=${d.numel}, NumelOut=${d.numel}, Timeout(ms)=` +
        `${WATCHDOG_S * 1000}) ran for ${d.ran_ms} milliseconds before timing out.`;
    }
    case "fault.elastic":
      return elasticLine(cfg, ev.data);
    case "fault.node": {
      const node = Math.floor(ev.data.rank / cfg.gpusPerNode);
      return `Slurm: node ${hostName(cfg.cluster, node)} drained (${
        gpuFaultCause(cfg, ev.data.ecc)
      } on GPU ${ev.data.rank % cfg.gpusPerNode}); a spare node from the pool takes its place ` +
        `in job ${cfg.cluster.jobId}`;
    }
    case "fault.nccl":
      return `${cfg.gpu.vendor === "amd" ? "RCCL" : "NCCL"} communicators rebuilt: ` +
        `${cfg.worldSize} ranks on ${cfg.nodes} node${cfg.nodes > 1 ? "s" : ""}`;
    case "fault.load":
      return `Loading checkpoint ${cfg.outputDir}/checkpoint-${ev.data.step} ` +
        `(${formatBytes(ev.data.bytes)})`;
    case "fault.resume": {
      const d = ev.data;
      return `Resuming from step ${d.step} after restart ${d.restart}: step counter rolled back ` +
        `from ${d.from_step}, ${d.lost_steps} steps to redo; lost ${
          formatDuration(d.lost_s)
        } of training and ${formatDuration(d.recovery_s)} of recovery`;
    }
    case "resume.load":
      return `Resuming from checkpoint ${cfg.outputDir}/checkpoint-${ev.data.step} ` +
        `(${formatBytes(ev.data.bytes)}, ${ev.data.shards} shards)`;
    case "resume.state": {
      const step = ev.data.step;
      const epoch = Math.floor(step / cfg.stepsPerEpoch) + 1;
      const inEpoch = step - (epoch - 1) * cfg.stepsPerEpoch;
      return `Restored model, optimizer, LR scheduler and RNG states: resuming from step ` +
        `${step} (epoch ${epoch}, step ${inEpoch}/${cfg.stepsPerEpoch}), next lr ` +
        `${formatLr(ev.data.next_lr)}, ` +
        `${formatTokens(step * cfg.tokensPerStep)} tokens seen`;
    }
    case "resume.data": {
      const step = ev.data.step;
      const epoch = Math.floor(step / cfg.stepsPerEpoch) + 1;
      const inEpoch = step - (epoch - 1) * cfg.stepsPerEpoch;
      return `Skipping the first ${thousands(inEpoch * cfg.gradAccum)} batches of epoch ` +
        `${epoch} to restore the data order`;
    }
    case "export.start":
      return `Consolidating sharded checkpoint-${ev.data.step} into a single state dict`;
    case "export.format": {
      const d = ev.data;
      return d.format === "gguf"
        ? `Converting to GGUF (Q8_0) → ${d.path}`
        : `Converting to safetensors (bf16, max shard 5GB): ${d.files} file` +
          `${d.files > 1 ? "s" : ""} → ${d.path}`;
    }
    case "export.index":
      return `Wrote ${ev.data.path}/model.safetensors.index.json (${ev.data.files} shards)`;
    case "export.extra":
      return `Wrote config.json, generation_config.json, tokenizer.json, tokenizer_config.json ` +
        `to ${ev.data.path}`;
    case "summary.size":
      return `Final checkpoint size ${
        formatBytes(cfg.model.params * 14)
      }; exports in ${cfg.outputDir}/export`;
    case "interrupt":
      return interruptLine(cfg, ev.data);
    case "interrupt.shutdown":
      return `Received Signals.${ev.data.signal} death signal, shutting down ` +
        `${thousands(cfg.worldSize)} worker process${cfg.worldSize > 1 ? "es" : ""}`;
    case "interrupt.resume":
      return `Emergency checkpoint done; resume with --resume ${ev.data.path}`;
    case "node.fail": {
      const d = ev.data;
      const next = d.restarting
        ? "restarting it from the last known state"
        : "too many restarts, giving up";
      return `Lost telemetry from ${
        nodesText(cfg, d.first_node, d.nodes)
      } at tick ${d.tick} (${d.reason}); ${next}`;
    }
    case "node.recover":
      return `${nodesText(cfg, ev.data.first_node, ev.data.nodes)} recovered: telemetry agent ` +
        `restarted, caught up at tick ${ev.data.tick}`;
    case "load.progress":
    case "val.progress":
    case "ckpt.progress":
    case "export.progress": {
      const b = ev.bar!;
      return meterLine(b.label, b.done, b.total, b.elapsed_s, 20, b.unit);
    }
  }
}

function warningText(cfg: RunConfig, w: WarningFact): string {
  switch (w.kind) {
    case "dataloader":
      return `[rank${w.rank}] DataLoader worker (pid ${w.pid}) took ${w.seconds.toFixed(1)} s ` +
        `to return batch ${w.batch}; consider increasing num_workers`;
    case "truncated":
      return `Token indices sequence length is longer than the specified maximum sequence ` +
        `length for this model (${w.length} > ${cfg.seqLen}); the sample was truncated`;
    case "slow_read":
      return `${hostName(cfg.cluster, w.node)}: slow read from ${cfg.dataset.path}: ` +
        `${w.gbps.toFixed(2)} GB/s for ${w.seconds.toFixed(1)} s (expected > 2 GB/s)`;
    case "reentrant":
      return `[rank${w.rank}] torch.utils.checkpoint: the use_reentrant parameter should be ` +
        `passed explicitly; defaulting to use_reentrant=True`;
  }
}

function kernelLine(cfg: RunConfig, rank: number, ecc: boolean): string {
  const node = Math.floor(rank / cfg.gpusPerNode), gpu = rank % cfg.gpusPerNode;
  const host = hostName(cfg.cluster, node);
  // The kernel names the device by a 4-digit domain, lower-case: `0000:3b:00.0`.
  const pci = pciAddress(cfg, gpu).slice(4).toLowerCase();
  if (cfg.gpu.vendor === "amd") {
    return `${host}: amdgpu ${pci}: amdgpu: ` +
      (ecc ? "uncorrectable HBM ECC error, GPU reset required" : "device lost from the bus");
  }
  const [xid, text] = gpuFaultCause(cfg, ecc).split(": ");
  return `${host}: NVRM: Xid (PCI:${pci.slice(0, -2)}): ${xid.slice(4)}, ` +
    `pid=${workerPid(cfg, node, gpu)}, name=python3, ${text}.`;
}

/** glog's `E1124 10:15:02.123456` time for a simulated instant. */
function glogTime(simMs: number, rank: number): string {
  const iso = new Date(simMs).toISOString();
  const micros = String((Math.floor(simMs) % 1000) * 1000 + ((rank * 7919) % 1000))
    .padStart(6, "0");
  return `E${iso.slice(5, 7)}${iso.slice(8, 10)} ${iso.slice(11, 19)}.${micros}`;
}

function elasticLine(cfg: RunConfig, d: LogEventOf<"fault.elastic">["data"]): string {
  switch (d.action) {
    case "failed":
      return `torch.distributed.elastic.agent.server.api: [default] Worker group FAILED. ` +
        `${d.attempts_left}/${MAX_RESTARTS} attempts left; will restart worker group`;
    case "stopping":
      return "[default] Stopping worker group";
    case "rendezvous":
      return "[default] Rendezvous'ing worker group";
    case "rendezvous_done":
      return `[default] Rendezvous complete for workers: restart_count=${d.restart}, ` +
        `master_addr=${cfg.cluster.masterAddr}, master_port=${cfg.cluster.masterPort}, ` +
        `group_world_size=${cfg.nodes}`;
    case "starting":
      return "[default] Starting worker group";
  }
}

function interruptLine(cfg: RunConfig, d: LogEventOf<"interrupt">["data"]): string {
  const at = d.signal === "SIGINT" ? "Interrupted (SIGINT)" : "Terminated (SIGTERM)";
  if (d.step === 0) return `${at} during start-up, before the first step: nothing to save`;
  if (d.phase === "export") {
    return `${at} during export: training finished; checkpoint-${d.step} is complete`;
  }
  return `${at} at epoch ${d.epoch}/${cfg.epochs}, step ${thousands(d.step)}/` +
    `${thousands(cfg.totalSteps)}: ` +
    (d.saved
      ? `checkpoint-${d.step} is already saved`
      : "saving an emergency checkpoint before exit");
}

/** The summary line of an interrupted run. */
export function interruptedSummary(cfg: RunConfig, d: SummaryData): string {
  const head = `Training interrupted by ${d.signal} after ${formatDuration(d.total_time_s)}`;
  if (d.steps === 0) return `${head}, before the first step; output ${d.output_dir}`;
  const best = Number.isFinite(d.best_val_loss)
    ? `best val loss ${d.best_val_loss.toFixed(4)}`
    : "no validation yet";
  return `${head}: ${thousands(d.steps)} of ${thousands(cfg.totalSteps)} steps, ` +
    `${formatTokens(d.tokens)} tokens, final loss ${d.final_loss.toFixed(4)} ` +
    `(ppl ${d.final_ppl.toFixed(2)}), ${best}, ${d.checkpoints} checkpoint` +
    `${d.checkpoints === 1 ? "" : "s"}, output ${d.output_dir}`;
}

function nodesText(cfg: RunConfig, firstNode: number, nodeCount: number): string {
  const g = cfg.gpusPerNode;
  const lastNode = firstNode + nodeCount - 1;
  const ranks = `ranks ${firstNode * g}-${(lastNode + 1) * g - 1}`;
  const host = (i: number) => hostName(cfg.cluster, i);
  return nodeCount === 1
    ? `${host(firstNode)} (${ranks})`
    : `nodes ${host(firstNode)}..${host(lastNode)} (${ranks})`;
}
