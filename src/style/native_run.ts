/**
 * fauxtrain's own wording of the facts from the first step on: training, warnings, resuming,
 * export, telemetry agents and progress bars (faults and interruptions: native_fault.ts).
 */
import type { LogEvent, LogEventOf, WarningFact } from "../sim/events.ts";
import { hostName } from "../sim/names.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { meterLine } from "../format/meter.ts";
import { formatBytes, formatLr, formatSeconds, formatTokens, thousands } from "../format/units.ts";
import type { LaunchKey } from "./native_launch.ts";
import type { SetupKey } from "./native_setup.ts";
import type { FaultKey } from "./native_fault.ts";

/** Keys worded here. */
export type RunKey = Exclude<LogEvent["key"], LaunchKey | SetupKey | FaultKey>;

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

function nodesText(cfg: RunConfig, firstNode: number, nodeCount: number): string {
  const g = cfg.gpusPerNode;
  const lastNode = firstNode + nodeCount - 1;
  const ranks = `ranks ${firstNode * g}-${(lastNode + 1) * g - 1}`;
  const host = (i: number) => hostName(cfg.cluster, i);
  return nodeCount === 1
    ? `${host(firstNode)} (${ranks})`
    : `nodes ${host(firstNode)}..${host(lastNode)} (${ranks})`;
}
