/**
 * DeepSpeed through its pdsh launcher: every line prefixed with its host, DeepSpeed's
 * `[date,ms] [INFO] [file.py:line:func]` records, ZeRO set-up, `step=N, skipped=K, lr=[...]`
 * every `steps_per_print`, and ZeRO checkpoints written by every data-parallel rank.
 */
import type { DataEvent, LogEvent, LogEventOf } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { pyLogTime } from "../format/clock.ts";
import {
  barDone,
  blank,
  defineStyle,
  forKeys,
  type LogFormatter,
  NCCL_KEYS,
  onInterval,
} from "./define.ts";
import {
  deepspeedLaunch,
  deepspeedLogInterval,
  deepspeedVersion,
  engineInit,
  launcherReport,
  runnerCommand,
  zeroStage,
} from "./deepspeed_engine.ts";
import { ggufDone, ggufStart, isGgufLine } from "./export_lines.ts";
import { ggufTensorCount } from "./model_names.ts";
import { formatNative, formatNativeLog } from "./native.ts";
import { ncclLines } from "./nccl_lines.ts";
import { startupTable } from "./nvidia_smi.ts";
import { PY_LEVEL, pyFloat } from "../format/python_repr.ts";
import {
  interleave,
  lineRng,
  nodeOf,
  pdshPrefix,
  perRank,
  prefixLines,
  shuffled,
  startupNodes,
  startupRanks,
} from "./ranks.ts";
import { formatBytes, formatSeconds } from "../format/units.ts";

const NAME = "deepspeed";

type StepEvent = Extract<DataEvent, { type: "step" }>;
type CkptEvent = Extract<DataEvent, { type: "ckpt" }>;

/** One DeepSpeed log record from a node: `host: [2026-11-24 09:00:03,367] [INFO] [where] msg`. */
function record(cfg: RunConfig, node: number, simMs: number, where: string, msg: string): string {
  return prefixLines(pdshPrefix(cfg, node), `[${pyLogTime(simMs)}] [INFO] [${where}] ${msg}`);
}

/** Several records from node 0 at one instant. */
function records(cfg: RunConfig, simMs: number, rows: string[][]): string {
  return rows.map(([where, msg]) => record(cfg, 0, simMs, where, msg)).join("\n");
}

/** A line the training script prints on rank 0 (the pdsh prefix and nothing else). */
const script: LogFormatter = (ev, cfg) => prefixLines(pdshPrefix(cfg, 0), formatNativeLog(ev, cfg));

/** The step summary DeepSpeed logs every `steps_per_print`, then the timer and the script's line. */
export function deepspeedStep(ev: StepEvent, cfg: RunConfig): string {
  const d = ev.data;
  if (!onInterval(d.step, d.total_steps, deepspeedLogInterval(cfg))) return "";
  const lr = pyFloat(d.lr);
  const mem = cfg.plan.memory;
  const running = (d.step * cfg.globalBatch) / d.elapsed_s;
  return records(cfg, ev.simMs, [
    [
      "logging.py:128:log_dist",
      `[Rank 0] step=${d.step}, skipped=${skippedSoFar(cfg, d.loss_scale)}, lr=[${lr}, ${lr}], ` +
      `mom=[[0.9, 0.95], [0.9, 0.95]]`,
    ],
    [
      "timer.py:264:stop",
      `epoch=${d.epoch - 1}/micro_step=${d.step * cfg.gradAccum}/global_step=${d.step}, ` +
      `RunningAvgSamplesPerSec=${pyFloat(running)}, CurrSamplesPerSec=${
        pyFloat(d.samples_per_s)
      }, ` +
      `MemAllocated=${(mem.totalGiB - mem.activationsGiB).toFixed(2)}GB, ` +
      `MaxMemAllocated=${(mem.totalGiB - mem.overheadGiB).toFixed(2)}GB`,
    ],
  ]) + "\n" + prefixLines(pdshPrefix(cfg, 0), formatNative(ev, cfg));
}

/** fp16 starts at 2^20 and halves per overflow, so the scale tells how many steps were skipped. */
export function skippedSoFar(cfg: RunConfig, lossScale: number): number {
  if (cfg.precision !== "fp16") return 0;
  return Math.max(0, Math.round(20 - Math.log2(lossScale)));
}

function checkpointDir(cfg: RunConfig, step: number): string {
  return `${cfg.outputDir}/global_step${step}`;
}

function saveStart(ev: LogEventOf<"ckpt.start">, cfg: RunConfig): string {
  const step = ev.data.step, file = `${checkpointDir(cfg, step)}/mp_rank_00_model_states.pt`;
  return records(cfg, ev.simMs, [
    [
      "logging.py:128:log_dist",
      `[Rank 0] [Torch] Checkpoint global_step${step} is about to be saved!`,
    ],
    ["logging.py:128:log_dist", `[Rank 0] Saving model checkpoint: ${file}`],
    ["torch_checkpoint_engine.py:21:save", `[Torch] Saving ${file}...`],
  ]);
}

/** Rank 0 writes the model states, every shown rank its optimizer shard, then rank 0 commits. */
export function deepspeedSaved(ev: CkptEvent, cfg: RunConfig): string {
  const d = ev.data, dir = checkpointDir(cfg, d.step);
  const prefix = cfg.precision === "fp16" ? "" : "bf16_";
  const shard = (r: number) => `${dir}/${prefix}zero_pp_rank_${r}_mp_rank_00_optim_states.pt`;
  const engine = "torch_checkpoint_engine.py";
  const modelDoneMs = ev.simMs - d.time_s * 700;
  const shards = perRank(startupRanks(cfg), lineRng(cfg, NAME, ev), (r) => {
    const at = (ms: number, where: string, msg: string) =>
      record(cfg, nodeOf(cfg, r), ms, where, msg);
    const doneMs = ev.simMs - 40 + r;
    return [
      at(modelDoneMs + 5 + r, `${engine}:21:save`, `[Torch] Saving ${shard(r)}...`),
      at(doneMs, `${engine}:23:save`, `[Torch] Saved ${shard(r)}.`),
      at(doneMs + 1, "engine.py:3645:_save_zero_checkpoint", `zero checkpoint saved ${shard(r)}`),
    ];
  });
  const size = `${formatBytes(d.bytes)}, ${d.shards} shards`;
  return [
    record(
      cfg,
      0,
      modelDoneMs,
      `${engine}:23:save`,
      `[Torch] Saved ${dir}/mp_rank_00_model_states.pt.`,
    ),
    shards,
    record(
      cfg,
      0,
      ev.simMs + 20,
      `${engine}:33:commit`,
      `[Torch] Checkpoint global_step${d.step} is ready now!`,
    ),
    prefixLines(
      pdshPrefix(cfg, 0),
      `Saved checkpoint global_step${d.step} (${size}) in ${formatSeconds(d.time_s)}`,
    ),
  ].join("\n");
}

/** The loss scaler's report of a skipped step (the scale halves). */
function overflow(ev: LogEventOf<"fp16.overflow">, cfg: RunConfig): string {
  const scale = ev.data.loss_scale;
  return record(
    cfg,
    0,
    ev.simMs,
    "loss_scaler.py:183:update_scale",
    `[deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: ${
      scale * 2
    }, reducing to ${scale}`,
  );
}

/** Every node's launcher report, lines of different nodes mixed. */
function launchers(ev: LogEvent, cfg: RunConfig): string {
  const rng = lineRng(cfg, NAME, ev);
  const blocks = shuffled(startupNodes(cfg), rng).map((node) =>
    launcherReport(cfg, node).map(([where, msg]) => record(cfg, node, ev.simMs + node, where, msg))
  );
  return interleave(blocks, rng).join("\n");
}

/** Each rank's accelerator line and process-group set-up. */
function distInit(ev: LogEvent, cfg: RunConfig): string {
  return perRank(startupRanks(cfg), lineRng(cfg, NAME, ev), (r) => [
    record(
      cfg,
      nodeOf(cfg, r),
      ev.simMs + r,
      "real_accelerator.py:219:get_accelerator",
      "Setting ds_accelerator to cuda (auto detect)",
    ),
    record(cfg, nodeOf(cfg, r), ev.simMs + 90 + r, "comm.py:652:init_distributed", "cdb=None"),
  ]);
}

/** zero_to_fp32.py consolidating the last ZeRO checkpoint before the export. */
function consolidate(_ev: LogEvent, cfg: RunConfig): string {
  return [
    `Processing zero checkpoint '${checkpointDir(cfg, cfg.totalSteps)}'`,
    `Detected checkpoint of type zero stage ${zeroStage(cfg)}, world_size: ${cfg.plan.dp}`,
    `Parsing checkpoint created by deepspeed==${deepspeedVersion(cfg)}`,
    `Reconstructed fp32 state dict with ${
      ggufTensorCount(cfg.model)
    } params ${cfg.model.params} elements`,
  ].join("\n");
}

const exportLine: LogFormatter = (ev, cfg) =>
  isGgufLine(ev) ? (ev.key === "export.format" ? ggufStart(cfg) : "") : null;

const nccl: LogFormatter = (ev, cfg) =>
  ncclLines(ev, cfg, NAME, (r) => pdshPrefix(cfg, nodeOf(cfg, r)));

/** DeepSpeed's look. */
export const DEEPSPEED_STYLE = defineStyle({
  name: NAME,
  logs: {
    ...blank("torchrun.rdzv", "torchrun.start", "gpu.detect", "gpu.node", "gpu.driver"),
    ...blank("model.memory", "ckpt.progress", "summary.size", "config.header", "config"),
    launch: (_ev, cfg) => deepspeedLaunch(cfg),
    "launch.job": (ev, cfg) =>
      `${formatNativeLog(ev, cfg)}\n[${pyLogTime(ev.simMs)}] [INFO] [runner.py:607:main] ${
        runnerCommand(cfg)
      }`,
    "torchrun.omp": launchers,
    "dist.init": distInit,
    "dist.versions": (ev, cfg) =>
      record(
        cfg,
        0,
        ev.simMs,
        "comm.py:683:init_distributed",
        "Initializing TorchBackend in DeepSpeed with backend nccl",
      ),
    ...forKeys(NCCL_KEYS, nccl),
    "model.wrap": (ev, cfg) => records(cfg, ev.simMs, engineInit(cfg)),
    warning: (ev, cfg) =>
      prefixLines(
        pdshPrefix(cfg, 0),
        `[${pyLogTime(ev.simMs)}] [${PY_LEVEL[ev.level]}] ${formatNativeLog(ev, cfg)}`,
      ),
    "ckpt.start": saveStart,
    "fp16.overflow": overflow,
    "export.start": consolidate,
    "export.format": exportLine,
    "export.progress": (ev, cfg, st) => (barDone(ev) ? exportLine(ev, cfg, st) : ""),
    "export.index": () => null,
    "export.extra": () => null,
  },
  otherLog: script,
  data: {
    run: "",
    step: deepspeedStep,
    ckpt: deepspeedSaved,
    val: (ev, cfg) => prefixLines(pdshPrefix(cfg, 0), formatNative(ev, cfg)),
    export: (ev, cfg) => (ev.data.format === "gguf" ? ggufDone(ev, cfg) : null),
    allreduce: "",
    gpu: (ev, cfg) => prefixLines(pdshPrefix(cfg, 0), startupTable(ev, cfg)),
  },
});
