/**
 * fauxtrain's own look: one pure formatter per event, producing the line a well-written
 * training script would log (the `msg` of text and JSON-lines output).
 */
import type { DataEvent, LogEvent, OutputEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import {
  decimal,
  formatBytes,
  formatDuration,
  formatLr,
  formatParams,
  formatRate,
  formatSeconds,
  formatTokens,
  tenths,
  thousands,
} from "../format/units.ts";
import { faultLine } from "./fault_line.ts";
import { type LaunchKey, launchLine } from "./native_launch.ts";
import { type SetupKey, setupLine } from "./native_setup.ts";
import { type RunKey, runLine } from "./native_run.ts";
import { faultFactLine, type FaultKey, interruptedSummary } from "./native_fault.ts";

const LAUNCH_KEYS: ReadonlySet<string> = new Set<LaunchKey>([
  "launch",
  "launch.job",
  "torchrun.omp",
  "torchrun.rdzv",
  "torchrun.start",
  "dist.init",
  "dist.versions",
  "nccl.bootstrap",
  "nccl.version",
  "nccl.net",
  "nccl.init",
  "nccl.channel",
  "nccl.rings",
  "nccl.trees",
  "nccl.channels",
  "nccl.done",
]);
const SETUP_KEYS: ReadonlySet<string> = new Set<SetupKey>([
  "gpu.detect",
  "gpu.node",
  "gpu.driver",
  "model.arch",
  "model.load",
  "model.init",
  "model.wrap",
  "model.memory",
  "tokenizer",
  "dataset.open",
  "dataset.mixture",
  "dataset.epoch",
  "config.header",
  "config",
  "seed",
  "ckpt.plan",
]);

/** The native line of a `log` event's facts. */
export function formatNativeLog(ev: LogEvent, cfg: RunConfig): string {
  if (LAUNCH_KEYS.has(ev.key)) return launchLine(ev as Parameters<typeof launchLine>[0], cfg);
  if (SETUP_KEYS.has(ev.key)) return setupLine(ev as Parameters<typeof setupLine>[0], cfg);
  if (ev.key.startsWith("fault.") || ev.key.startsWith("interrupt")) {
    return faultFactLine(ev as Extract<LogEvent, { key: FaultKey }>, cfg);
  }
  return runLine(ev as Extract<LogEvent, { key: RunKey }>, cfg);
}

/** The native line of any event (a style that keeps fauxtrain's wording for some of its lines). */
export function formatNative(ev: OutputEvent, cfg: RunConfig): string {
  return ev.type === "log" ? formatNativeLog(ev, cfg) : formatNativeData(ev, cfg);
}

/** The message line for a structured event. */
function formatNativeData(ev: DataEvent, cfg: RunConfig): string {
  switch (ev.type) {
    case "run": {
      const d = ev.data;
      return `Run ${d.run_id}: seed ${d.seed}, ${d.model} (${
        formatParams(d.params)
      }) on ${d.gpus} × ${d.gpu}` +
        ` (${d.nodes} node${
          d.nodes > 1 ? "s" : ""
        }), ${d.task} on ${d.dataset}, ${d.precision}, ${d.strategy}`;
    }
    case "step": {
      const d = ev.data;
      const width = String(d.total_steps).length;
      return `epoch ${d.epoch}/${d.epochs} | step ${
        decimal(d.step).padStart(width)
      }/${d.total_steps}` +
        ` | loss ${d.loss.toFixed(4)} | ppl ${d.ppl.toFixed(2)} | lr ${formatLr(d.lr)}` +
        ` | grad_norm ${d.grad_norm.toFixed(3)} | ${formatRate(d.tokens_per_s)} tok/s` +
        ` | ${d.samples_per_s.toFixed(1)} samples/s | ${d.step_time_s.toFixed(2)} s/step` +
        ` | ${d.tflops_per_gpu.toFixed(1)} TFLOP/s/GPU (MFU ${(d.mfu * 100).toFixed(1)}%)` +
        (d.loss_scale !== 1 ? ` | loss_scale ${d.loss_scale}` : "") +
        ` | elapsed ${formatDuration(d.elapsed_s)} | eta ${formatDuration(d.eta_s)}`;
    }
    case "val": {
      const d = ev.data;
      return `validation epoch ${d.epoch} step ${d.step} | val_loss ${d.loss.toFixed(4)}` +
        ` | val_ppl ${d.ppl.toFixed(2)} | accuracy ${(d.accuracy * 100).toFixed(2)}%` +
        ` | ${thousands(d.samples)} samples`;
    }
    case "ckpt": {
      const d = ev.data;
      return `Saved checkpoint ${d.path} (${formatBytes(d.bytes)}, ${d.shards} shards) in ${
        formatSeconds(d.time_s)
      }`;
    }
    case "export": {
      const d = ev.data;
      return `Exported ${d.format}: ${d.path} (${formatBytes(d.bytes)}, ${d.files} file${
        d.files > 1 ? "s" : ""
      })` +
        ` in ${formatSeconds(d.time_s)}`;
    }
    case "summary": {
      const d = ev.data;
      if (d.signal) return interruptedSummary(cfg, d);
      return `Training complete in ${formatDuration(d.total_time_s)}: ${
        thousands(d.steps)
      } steps,` +
        ` ${formatTokens(d.tokens)} tokens, final loss ${d.final_loss.toFixed(4)} (ppl ${
          d.final_ppl.toFixed(2)
        }),` +
        ` best val loss ${
          d.best_val_loss.toFixed(4)
        }, ${d.checkpoints} checkpoints, output ${d.output_dir}`;
    }
    case "allreduce": {
      const d = ev.data;
      return `NCCL AllReduce ${d.step === 0 ? "warm-up" : `step ${d.step}`}: ${
        formatBytes(d.bytes)
      } over ${d.ranks} ranks in ` +
        `${d.time_ms.toFixed(2)} ms (algo ${d.algo}, busbw ${d.busbw_gbps.toFixed(1)} GB/s)`;
    }
    case "gpu": {
      // One node's line; a report of a large cluster writes thousands of them (built in one
      // string, without a cell array to join).
      const d = ev.data, gpus = d.gpus;
      let line = `gpu ${d.host}`;
      for (let i = 0; i < gpus.length; i++) {
        const g = gpus[i];
        line += ` | ${g.rank}:${Math.round(g.util_pct)}% ${Math.round(g.temp_c)}C ` +
          `${tenths(g.mem_used_gib)}G ${Math.round(g.power_w)}W`;
      }
      return line;
    }
    case "fault":
      return faultLine(ev.data);
  }
}
