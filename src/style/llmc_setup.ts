/**
 * What llm.c's train_gpt2cu prints before its loop (rank 0 only): the parameter table of
 * fixed geometry (`| %-21s | %-50s |`, so a value longer than 50 characters pushes the right
 * border out), then the model's size, the batch arithmetic and its device allocations.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { formatExp } from "../format/units.ts";
import {
  activationBytes,
  llmcParams,
  type LlmcShape,
  mib,
  paddedVocab,
  promisedTflops,
} from "./llmc_numbers.ts";
import { LLMC_VAL_STEPS } from "./pacing.ts";
import { type LlmcFlags, llmcFlags } from "./llmc_recipes.ts";

/** How this run was launched: the flags the table reports. */
export interface LlmcRun {
  shape: LlmcShape;
  params: number;
  logDir: string;
  /** `-y 1`: resume from the newest checkpoint in the log dir when there is one. */
  resumeFlag: boolean;
  recompute: number;
  geluFusion: number;
  /** The flags the table reports (-x, -v, -s, -g, -n). */
  flags: LlmcFlags;
  hellaswag: boolean;
  /** `-h 1` was given but dev/data/hellaswag/hellaswag_val.bin is missing. */
  hellaswagMissing: boolean;
  /** A single-GPU build without MPI and NCCL says so first. */
  singleGpuBuild: boolean;
}

/** GPT-2 sizes by depth, as llm.c names its log dirs and weight files. */
const SIZE_NAMES: Record<number, string> = { 12: "124M", 24: "350M", 36: "774M", 48: "1558M" };

/** The run as llm.c sees it, with the choices its command line made (drawn from the seed). */
export function llmcRun(cfg: RunConfig): LlmcRun {
  const m = cfg.model, rng = createRng(cfg.seed, "style:llmc:flags");
  const shape: LlmcShape = {
    layers: m.layers,
    heads: m.heads,
    channels: m.hidden,
    vocab: m.vocab,
    paddedVocab: paddedVocab(m.vocab),
    maxSeqLen: Math.max(cfg.seqLen, Math.min(m.ctx, 1024)),
  };
  const size = SIZE_NAMES[m.layers] ?? `${Math.round(m.params / 1e6)}M`;
  const logDir = rng.pick([`log${size}`, `log_gpt2_${size}`, `log_${size}`]);
  const sm90 = Number(cfg.gpu.computeCapability) >= 9;
  return {
    shape,
    params: llmcParams(shape),
    logDir,
    resumeFlag: cfg.resumeStep > 0 || rng.chance(0.6),
    recompute: m.params > 1e9 && cfg.gpu.memMiB > 60000 ? rng.pick([0, 1]) : 1,
    geluFusion: sm90 ? rng.pick([0, 1]) : 0,
    flags: llmcFlags(cfg),
    hellaswag: cfg.pacing.hellaswag,
    hellaswagMissing: !cfg.pacing.hellaswag && rng.chance(0.3),
    singleGpuBuild: cfg.worldSize === 1 && rng.chance(0.5),
  };
}

/** The train and val shard patterns for the run's dataset. */
export function dataPatterns(cfg: RunConfig): [string, string] {
  const id = cfg.dataset.id;
  const dir = id === "fineweb-10b"
    ? "fineweb10B/fineweb"
    : id === "fineweb-edu-10b"
    ? "edu_fineweb10B/edu_fineweb"
    : id === "fineweb"
    ? "fineweb100B/fineweb"
    : id === "fineweb-edu"
    ? "edu_fineweb100B/edu_fineweb"
    : `${id.replaceAll("-", "_")}/${id.replaceAll("-", "_")}`;
  return [`dev/data/${dir}_train_*.bin`, `dev/data/${dir}_val_*.bin`];
}

const BORDER = "+-----------------------+----------------------------------------------------+";

/** One table row, `| %-21s | %-50s |`. */
function row(name: string, value: string | number): string {
  return `| ${name.padEnd(21)} | ${String(value).padEnd(50)} |`;
}

/** The weight init the table reports: a depth descriptor, or the checkpoint it resumed from. */
function initMethod(cfg: RunConfig, run: LlmcRun, resuming: boolean): string {
  if (resuming) return "intermediate checkpoint";
  if (cfg.task === "finetune") return `gpt2_${SIZE_NAMES[run.shape.layers] ?? "124M"}_bf16.bin`;
  return `d${run.shape.layers}`;
}

/** The parameter table, section by section; `resuming`: a checkpoint was found and loaded. */
export function paramTable(cfg: RunConfig, run: LlmcRun, resuming: boolean): string[] {
  const [train, val] = dataPatterns(cfg);
  const s = run.shape, f = Math.fround;
  const zeroRows = cfg.worldSize > 1 && run.params % cfg.worldSize !== 0
    ? ["| Zero Optimization is disabled, Can't equally partition parameters          |"]
    : [];
  const lrFrac = cfg.lrMax > 0 ? cfg.lrMin / cfg.lrMax : 0;
  const peak = promisedTflops(cfg.gpu.name);
  return [
    BORDER,
    row("Parameter", "Value"),
    BORDER,
    row("train data pattern", train),
    row("val data pattern", val),
    row("output log dir", run.logDir),
    row("checkpoint_every", run.flags.ckptEvery),
    row("resume", run.resumeFlag ? 1 : 0),
    row("micro batch size B", cfg.plan.microBatch),
    row("sequence length T", cfg.seqLen),
    row("total batch size", cfg.tokensPerStep),
    row("LR scheduler", cfg.schedule),
    row("learning rate (LR)", formatExp(f(cfg.lrMax), 6)),
    row("warmup iterations", cfg.warmupSteps),
    row("final LR fraction", formatExp(f(lrFrac), 6)),
    row("weight decay", formatExp(f(0.1), 6)),
    row("skip update lossz", "0.000000"),
    row("skip update gradz", "0.000000"),
    row("max_steps", run.flags.maxSteps),
    row("val_loss_every", run.flags.valEvery),
    row("val_max_steps", LLMC_VAL_STEPS),
    row("sample_every", run.flags.sampleEvery),
    row("genT", run.flags.genT),
    row("overfit_single_batch", 0),
    row("use_master_weights", "enabled"),
    row("gelu_fusion", run.geluFusion),
    row("recompute", run.recompute),
    BORDER,
    row("device", cfg.gpu.name),
    row("peak TFlops", peak < 0 ? "-1.0" : peak.toFixed(1)),
    row("precision", cfg.gpu.precisions.includes("bf16") ? "BF16" : "FP16"),
    BORDER,
    row("weight init method", initMethod(cfg, run, resuming)),
    row("max_sequence_length T", s.maxSeqLen),
    row("vocab_size V", s.vocab),
    row("padded_vocab_size Vp", s.paddedVocab),
    row("num_layers L", s.layers),
    row("num_heads NH", s.heads),
    row("channels C", s.channels),
    row("num_parameters", run.params),
    BORDER,
    row("train_num_batches", cfg.totalSteps),
    row("val_num_batches", LLMC_VAL_STEPS),
    BORDER,
    row("run hellaswag", run.hellaswag ? "yes" : "no"),
    BORDER,
    ...zeroRows,
    row("num_processes", cfg.worldSize),
    row("zero_stage", zeroRows.length > 0 ? 0 : 1),
    BORDER,
  ];
}

/** What cudaMemGetInfo() calls the device's total memory, MiB (a little under nvidia-smi's). */
function cudaTotalMiB(memMiB: number): number {
  return memMiB === 81920 ? 81100 : memMiB === 40960 ? 40536 : memMiB - 469;
}

/** The lines after the table: sizes, batch arithmetic and allocations, then memory in use. */
export function allocationLines(cfg: RunConfig, run: LlmcRun, firstLaunch: boolean): string[] {
  const b = cfg.plan.microBatch, t = cfg.seqLen, n = cfg.worldSize;
  const paramBytes = run.params * 2;
  const shard = run.params % n === 0 ? run.params / n : run.params;
  const stateMiB = Math.floor((shard * 4) / 2 ** 20);
  const acts = activationBytes(run.shape, b, t, run.recompute);
  const rng = createRng(cfg.seed, "style:llmc:memory");
  const overheadMiB = rng.int(760, 900) + (n > 1 ? rng.int(380, 620) : 0);
  const usedMiB = 2 * mib(paramBytes) + mib(acts) + 3 * stateMiB + overheadMiB;
  const total = cudaTotalMiB(cfg.gpu.memMiB);
  const perSeq = acts / b;
  const free = Math.max(0, total - usedMiB) * 2 ** 20;
  const missing = run.hellaswagMissing
    ? [
      "HellaSwag eval not found at dev/data/hellaswag/hellaswag_val.bin, skipping its evaluation",
      "You can run `python dev/data/hellaswag.py` to export and use it with `-h 1`.",
    ]
    : [];
  return [
    ...missing,
    `num_parameters: ${run.params} => bytes: ${paramBytes}`,
    `allocated ${mib(paramBytes)} MiB for model parameters`,
    `batch_size B=${b} * seq_len T=${t} * num_processes=${n} and total_batch_size=` +
    `${cfg.tokensPerStep}`,
    `=> setting grad_accum_steps=${cfg.gradAccum}`,
    ...(firstLaunch ? [`created directory: ${run.logDir}`] : []),
    `allocating ${mib(paramBytes)} MiB for parameter gradients`,
    `allocating ${mib(acts)} MiB for activations`,
    `allocating ${stateMiB} MiB for AdamW optimizer state m`,
    `allocating ${stateMiB} MiB for AdamW optimizer state v`,
    `allocating ${stateMiB} MiB for master copy of params`,
    `device memory usage: ${usedMiB} MiB / ${total} MiB`,
    `memory per sequence: ${mib(perSeq)} MiB`,
    ` -> estimated maximum batch size: ${b + Math.floor(free / perSeq)}`,
  ];
}
