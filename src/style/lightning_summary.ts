/**
 * ModelSummary's table for the run's LightningModule (one child, `model`, the transformers
 * model): parameter counts as rank 0 sees them once the strategy has wrapped the model (FSDP
 * shards every wrapped unit, so a rank holds about 1/world of it), the size in MB at 32 bits
 * (Lightning's table has no entry for mixed precision) and the modules in train and eval mode.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { pyFixedGrouped } from "../format/py_format.ts";
import { hfArchitecture } from "./model_names.ts";
import type { LightningProfile } from "./lightning_profile.ts";

/** Lightning's `get_human_readable_count`: `123  `, `1.2 K`, `126 M`, `7.2 B`. */
export function humanCount(n: number): string {
  const labels = [" ", "K", "M", "B", "T"];
  const digits = n > 0 ? Math.floor(Math.log10(n)) + 1 : 1;
  const groups = Math.min(Math.ceil(digits / 3), labels.length);
  // Python multiplies by the float 10 ** -3k: these literals are those floats.
  const scaled = n * [1, 1e-3, 1e-6, 1e-9, 1e-12][groups - 1];
  const index = groups - 1;
  if (index < 1 || scaled >= 100) {
    return `${Math.trunc(scaled).toLocaleString("en-US")} ${labels[index]}`;
  }
  return `${pyFixedGrouped(scaled, 1)} ${labels[index]}`;
}

/** Modules per decoder block and outside the blocks, as transformers builds each family. */
const MODULES: Record<string, [number, number]> = {
  llama: [13, 7],
  mistral: [13, 7],
  qwen: [13, 7],
  olmo: [13, 7],
  gemma: [15, 7],
  phi: [12, 8],
  falcon: [10, 7],
  gpt2: [13, 8],
  "gpt-neox": [13, 8],
  bloom: [11, 7],
};

/** Parameters outside the decoder blocks: embeddings, final norm and (untied) output head. */
function outerParams(cfg: RunConfig): number {
  const m = cfg.model;
  const tied = m.family === "gpt2" || m.family === "gemma";
  return Math.min(m.params / 2, m.vocab * m.hidden * (tied ? 1 : 2) + m.hidden);
}

/** What rank 0 counts: every FSDP unit (a block, or the rest) sharded over the world. */
export function rankParams(cfg: RunConfig): number {
  const s = cfg.plan.strategy;
  const m = cfg.model;
  if (s === "megatron") return Math.ceil(m.params / (cfg.plan.tp * cfg.plan.pp));
  if (s !== "fsdp" && s !== "zero3") return m.params;
  const outer = Math.round(outerParams(cfg));
  const block = Math.round((m.params - outer) / m.layers);
  const w = cfg.worldSize;
  return Math.ceil(outer / w) + m.layers * Math.ceil(block / w);
}

/** Modules in train mode and in eval mode, the LightningModule itself left out. */
export function moduleModes(cfg: RunConfig, p: LightningProfile): [number, number] {
  const [perBlock, outer] = MODULES[cfg.model.family] ?? MODULES.llama;
  const model = perBlock * cfg.model.layers + outer;
  // FSDP wraps each block (and activation checkpointing wraps it again): new modules, in train
  // mode even when the loaded model was left in eval mode.
  const sharded = cfg.plan.strategy === "fsdp";
  const wrappers = sharded ? cfg.model.layers * (cfg.plan.recompute === "none" ? 1 : 2) : 0;
  return p.modelEval ? [wrappers, model] : [model + wrappers, 0];
}

/** `_format_summary_table`: columns padded to their widest cell, totals in a 10-wide column. */
function table(cols: Array<[string, string[]]>, totals: string[]): string[] {
  const widths = cols.map(([head, cells]) => Math.max(head.length, ...cells.map((c) => c.length)));
  const row = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(" | ");
  const rule = "-".repeat(widths.reduce((a, b) => a + b, 0) + 3 * (cols.length + 1));
  const rows = cols[0][1].map((_, r) => row(cols.map(([, cells]) => cells[r])));
  return [row(cols.map(([head]) => head)), rule, ...rows, rule, ...totals];
}

/** The summary lines, as ModelSummary prints them at the start of fit. */
export function summaryLines(cfg: RunConfig, p: LightningProfile): string[] {
  const deepspeed3 = cfg.plan.strategy === "zero3";
  const local = rankParams(cfg);
  const total = deepspeed3 ? cfg.model.params : local;
  const [train, evalCount] = moduleModes(cfg, p);
  const cols: Array<[string, string[]]> = [
    [" ", ["0"]],
    ["Name", ["model"]],
    ["Type", [hfArchitecture(cfg.model)]],
    ["Params", [humanCount(total)]],
  ];
  if (deepspeed3) cols.push(["Params per Device", [humanCount(local)]]);
  if (p.release.modes) cols.push(["Mode", [p.modelEval ? "eval" : "train"]]);
  const col = (v: string, label: string) => `${v.padEnd(10)}${label}`;
  return table(cols, [
    col(humanCount(total), "Trainable params"),
    col(humanCount(0), "Non-trainable params"),
    col(humanCount(total), "Total params"),
    // (32 / 8.0) * 1e-6 MB per parameter, evaluated as Python does.
    col(pyFixedGrouped(total * ((32 / 8.0) * 1e-6), 3), "Total estimated model params size (MB)"),
    ...(p.release.modes
      ? [
        col(String(train), "Modules in train mode"),
        col(String(evalCount), "Modules in eval mode"),
      ]
      : []),
  ]);
}
