/**
 * Megatron-LM under torchrun `--tee 3`: rank 0 prints set-up, every (tensor, pipeline) rank its
 * parameter count, and the last pipeline stage the `iteration N/ M | ... | lm loss: %.6E |` lines.
 */
import type { DataEvent, LogEvent, WarningFact } from "../sim/events.ts";
import { hashUnit } from "../sim/rng.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { dateTime } from "../format/clock.ts";
import {
  barDone,
  blank,
  defineStyle,
  forKeys,
  type LogFormatter,
  NCCL_KEYS,
  onInterval,
} from "./define.ts";
import { ggufDone, ggufStart, isGgufLine } from "./export_lines.ts";
import {
  afterInit,
  argumentDump,
  datasetLines,
  megatronLaunch,
  megatronLogInterval,
  megatronRank,
  milestone,
  paramsOnStage,
  tokenizerLines,
} from "./megatron_setup.ts";
import { ncclLines } from "./nccl_lines.ts";
import { formatNativeLog } from "./native.ts";
import { startupTable } from "./nvidia_smi.ts";
import { sciUpper } from "../format/python_repr.ts";
import { lineRng, perRank, prefixLines, teePrefix } from "./ranks.ts";
import { ompBanner } from "./torchrun_lines.ts";

const NAME = "megatron";

type StepEvent = Extract<DataEvent, { type: "step" }>;
type ValEvent = Extract<DataEvent, { type: "val" }>;
type CkptEvent = Extract<DataEvent, { type: "ckpt" }>;

/** print_rank_0: rank 0's lines. */
function rank0(cfg: RunConfig, lines: string | string[]): string {
  return prefixLines(teePrefix(cfg, 0), Array.isArray(lines) ? lines.join("\n") : lines);
}

/** print_rank_last: the last pipeline stage's lines (local rank 7 of the last node). */
function rankLast(cfg: RunConfig, lines: string[]): string {
  return prefixLines(teePrefix(cfg, cfg.worldSize - 1), lines.join("\n"));
}

function pad(n: number, width: number): string {
  return String(n).padStart(width);
}

/** The training-log line of a logged iteration on Megatron's log interval. */
export function megatronIteration(ev: StepEvent, cfg: RunConfig): string {
  const d = ev.data;
  if (!onInterval(d.step, d.total_steps, megatronLogInterval(cfg))) return "";
  const line = ` [${dateTime(ev.simMs)}] iteration ${pad(d.step, 8)}/${pad(d.total_steps, 8)} |` +
    ` consumed samples: ${pad(d.step * cfg.globalBatch, 12)} |` +
    ` elapsed time per iteration (ms): ${(d.step_time_s * 1000).toFixed(1)} |` +
    ` throughput per GPU (TFLOP/s/GPU): ${d.tflops_per_gpu.toFixed(1)} |` +
    ` learning rate: ${sciUpper(d.lr, 6)} |` +
    ` global batch size: ${pad(cfg.globalBatch, 5)} |` +
    ` lm loss: ${sciUpper(d.loss, 6)} |` +
    ` loss scale: ${d.loss_scale.toFixed(1)} |` +
    ` grad norm: ${d.grad_norm.toFixed(3)} |` +
    ` number of skipped iterations: ${pad(d.skipped ? 1 : 0, 3)} |` +
    ` number of nan iterations: ${pad(0, 3)} |`;
  const first = d.step === Math.min(megatronLogInterval(cfg), d.total_steps);
  return rankLast(cfg, [line]) + (first ? "\n" + rank0(cfg, memoryReport(cfg, d.step)) : "");
}

/** Full-precision MB the way torch.cuda's byte counters divide out. */
function mb(gib: number): string {
  const bytes = Math.round(gib * 2 ** 30);
  return String(bytes / 2 ** 20);
}

function memoryReport(cfg: RunConfig, step: number): string[] {
  const m = cfg.plan.memory;
  const states = m.weightsGiB + m.gradsGiB + m.optimizerGiB;
  const embed = (cfg.model.vocab * cfg.model.hidden * 2) / 1e9;
  return [
    `Number of parameters in transformer layers in billions: ${
      (cfg.model.params / 1e9 - embed).toFixed(2).padStart(5)
    }`,
    `Number of parameters in embedding layers in billions: ${embed.toFixed(2)}`,
    `Total number of parameters in billions: ${(cfg.model.params / 1e9).toFixed(2)}`,
    `Theoretical memory footprints: weight and optimizer=${(states * 1024).toFixed(2)} MB`,
    `[Rank 0] (after ${step} iterations) memory (MB) | allocated: ${mb(states)} | ` +
    `max allocated: ${mb(m.totalGiB - m.overheadGiB)} | reserved: ${mb(m.totalGiB)} | ` +
    `max reserved: ${mb(m.totalGiB)}`,
  ];
}

/** The dashed validation block from the last stage. */
export function megatronValidation(ev: ValEvent, cfg: RunConfig): string {
  const d = ev.data;
  const text = ` validation loss at iteration ${d.step} on validation set | ` +
    `lm loss value: ${sciUpper(d.loss, 6)} | lm loss PPL: ${sciUpper(d.ppl, 6)} | `;
  const rule = "-".repeat(text.length + 1);
  return rankLast(cfg, [rule, text, rule]);
}

/** The save confirmation and the save-checkpoint timer across ranks. */
export function megatronSaved(ev: CkptEvent, cfg: RunConfig): string {
  const d = ev.data;
  const maxMs = d.time_s * 1000;
  const minMs = maxMs - 0.05 - 4 * hashUnit(cfg.seed, d.step, 31);
  return rank0(cfg, [
    `  successfully saved checkpoint from iteration ${pad(d.step, 7)} to ${cfg.outputDir} ` +
    `[ t 1/${cfg.plan.tp}, p 1/${cfg.plan.pp} ]`,
    "(min, max) time across ranks (ms):",
    `    ${"save-checkpoint ".padEnd(48, ".")}: (${minMs.toFixed(2)}, ${maxMs.toFixed(2)})`,
  ]);
}

/** The rank a warning came from (rank 0 for the ones every rank or the launcher prints). */
function warningRank(w: WarningFact): number {
  return w.kind === "dataloader" || w.kind === "reentrant" ? w.rank : 0;
}

/** One line per (tensor, pipeline) rank, from that rank, in arrival order. */
function parameterCounts(ev: LogEvent, cfg: RunConfig): string {
  const p = cfg.plan;
  const coords = Array.from({ length: p.tp * p.pp }, (_, i) => i);
  const lines = perRank(coords, lineRng(cfg, NAME, ev), (i) => {
    const tp = i % p.tp, pp = Math.floor(i / p.tp);
    return [
      `${teePrefix(cfg, megatronRank(cfg, tp, 0, pp))} > number of parameters on (tensor, ` +
      `pipeline) model parallel rank (${tp}, ${pp}): ${paramsOnStage(cfg, pp)}`,
    ];
  });
  return rank0(cfg, "building GPT model ...") + "\n" + lines;
}

const nccl: LogFormatter = (ev, cfg) => ncclLines(ev, cfg, NAME, (r) => teePrefix(cfg, r));

/** A converter's lines after training: GGUF in llama.cpp's words, the rest as fauxtrain's. */
const exportLine: LogFormatter = (ev, cfg) =>
  isGgufLine(ev) ? (ev.key === "export.format" ? ggufStart(cfg) : "") : null;

/** Megatron-LM's look. */
export const MEGATRON_STYLE = defineStyle({
  name: NAME,
  logs: {
    ...blank("torchrun.rdzv", "torchrun.start", "dist.versions", "gpu.node", "gpu.driver"),
    ...blank("model.arch", "load.progress", "model.memory", "dataset.mixture", "dataset.epoch"),
    ...blank("config.header", "config", "seed", "epoch.start", "fp16.overflow", "summary.size"),
    ...blank("val.start", "val.progress", "val.time", "ckpt.progress"),
    launch: (_ev, cfg) => megatronLaunch(cfg),
    "launch.job": () => null,
    "torchrun.omp": (ev, cfg) => ompBanner(ev, cfg, NAME),
    "dist.init": (_ev, cfg) => rank0(cfg, argumentDump(cfg)),
    ...forKeys(NCCL_KEYS, nccl),
    "nccl.done": (ev, cfg, st) => `${nccl(ev, cfg, st)}\n${rank0(cfg, afterInit(cfg))}`,
    "gpu.detect": (ev, cfg) =>
      rank0(cfg, milestone(cfg, ev.simMs, "after megatron is initialized")),
    "model.init": parameterCounts,
    "model.load": parameterCounts,
    "model.wrap": (_ev, cfg) =>
      rank0(cfg, `> learning rate decay style: ${cfg.schedule === "wsd" ? "WSD" : "cosine"}`),
    tokenizer: (_ev, cfg) => rank0(cfg, tokenizerLines(cfg)),
    "dataset.open": (_ev, cfg) => rank0(cfg, datasetLines(cfg)),
    "ckpt.plan": (ev, cfg) =>
      rank0(cfg, [
        "> finished creating GPT datasets ...",
        ...milestone(cfg, ev.simMs, "after dataloaders are built"),
        "done with setup ...",
        "training ...",
        ...milestone(cfg, ev.simMs, "before the start of training step"),
      ]),
    warning: (ev, cfg) =>
      prefixLines(teePrefix(cfg, warningRank(ev.data)), formatNativeLog(ev, cfg)),
    "ckpt.start": (ev, cfg) =>
      rank0(
        cfg,
        `saving checkpoint at iteration ${
          pad(ev.data.step, 7)
        } to ${cfg.outputDir} in torch_dist format`,
      ),
    "export.start": (ev, cfg) =>
      `${rank0(cfg, milestone(cfg, ev.simMs, "after training is done"))}\n${
        formatNativeLog(ev, cfg)
      }`,
    "export.format": exportLine,
    "export.progress": (ev, cfg, st) => (barDone(ev) ? exportLine(ev, cfg, st) : ""),
    "export.index": () => null,
    "export.extra": () => null,
  },
  otherLog: (ev, cfg) => rank0(cfg, formatNativeLog(ev, cfg)),
  data: {
    run: "",
    step: megatronIteration,
    val: megatronValidation,
    ckpt: megatronSaved,
    export: (ev, cfg) => (ev.data.format === "gguf" ? ggufDone(ev, cfg) : null),
    allreduce: "",
    gpu: startupTable,
  },
});
