/**
 * PyTorch Lightning under `srun --label`: every line tagged with its task, per-rank
 * "Initializing distributed" and seed lines out of order, the model summary table, the epoch
 * bar with tqdm-formatted metrics, ModelCheckpoint's messages and a rich validation table.
 */
import type { DataEvent, LogEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { barDone, blank, defineStyle, forKeys, type LogFormatter, NCCL_KEYS } from "./define.ts";
import { ggufDone, ggufStart, isGgufLine } from "./export_lines.ts";
import { formatNative, formatNativeLog } from "./native.ts";
import { hfArchitecture } from "./model_names.ts";
import { ncclLines } from "./nccl_lines.ts";
import { startupTable } from "./nvidia_smi.ts";
import { pyFloat, tqdmNum } from "../format/python_repr.ts";
import { lineRng, perRank, prefixLines, startupRanks } from "./ranks.ts";
import { tqdmLine, tqdmRate } from "../format/tqdm.ts";

const NAME = "lightning";

type StepEvent = Extract<DataEvent, { type: "step" }>;
type ValEvent = Extract<DataEvent, { type: "val" }>;
type CkptEvent = Extract<DataEvent, { type: "ckpt" }>;

/** `srun --label`: the task number in front of each line. */
function label(rank: number, text: string): string {
  return prefixLines(`${rank}: `, text);
}

/** Lightning's short counts: `124 M`, `7.2 B`. */
export function humanCount(n: number): string {
  const units = [" ", "K", "M", "B", "T"];
  let i = 0, v = n;
  while (v >= 1000 && i < units.length - 1) (v /= 1000), i++;
  return i === 0 ? `${n} ` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

function launch(cfg: RunConfig): string {
  const strategy = cfg.plan.strategy.startsWith("zero")
    ? `deepspeed_stage_${cfg.plan.strategy.slice(4)}`
    : cfg.plan.strategy === "fsdp"
    ? "fsdp"
    : "ddp";
  return `+ srun --label --nodes=${cfg.nodes} --ntasks-per-node=${cfg.gpusPerNode} ` +
    `--gpus-per-node=${cfg.gpusPerNode} python ${cfg.cluster.script} fit ` +
    `--trainer.num_nodes=${cfg.nodes} --trainer.devices=${cfg.gpusPerNode} ` +
    `--trainer.strategy=${strategy} --trainer.precision=${precisionFlag(cfg)} ` +
    `--trainer.max_epochs=${cfg.epochs} --model.name=${cfg.model.hf} --model.lr=${cfg.lrMax} ` +
    `--data.path=${cfg.dataset.path} --data.batch_size=${cfg.plan.microBatch}`;
}

function precisionFlag(cfg: RunConfig): string {
  return cfg.precision === "fp16" ? "16-mixed" : "bf16-mixed";
}

/** Rank 0's accelerator report, then every shown rank joining the process group. */
function distributed(ev: LogEvent, cfg: RunConfig): string {
  const amp = cfg.precision === "fp16" ? "16bit" : "bfloat16";
  const head = [
    `Using ${amp} Automatic Mixed Precision (AMP)`,
    "GPU available: True (cuda), used: True",
    "TPU available: False, using: 0 TPU cores",
    "HPU available: False, using: 0 HPUs",
  ];
  const ranks = perRank(startupRanks(cfg), lineRng(cfg, NAME, ev), (r) => [
    label(r, `Initializing distributed: GLOBAL_RANK: ${r}, MEMBER: ${r + 1}/${cfg.worldSize}`),
  ]);
  return `${label(0, head.join("\n"))}\n${ranks}`;
}

function registered(cfg: RunConfig): string {
  const rule = "-".repeat(100);
  return label(
    0,
    [
      rule,
      "distributed_backend=nccl",
      `All distributed processes registered. Starting with ${cfg.worldSize} processes`,
      rule,
      "",
    ].join("\n"),
  );
}

/** Each rank's device line, then rank 0's model summary. */
function modelSummary(ev: LogEvent, cfg: RunConfig): string {
  const g = cfg.gpusPerNode;
  const devices = `[${Array.from({ length: g }, (_, i) => i).join(",")}]`;
  const ranks = perRank(startupRanks(cfg), lineRng(cfg, NAME, ev), (r) => [
    label(r, `LOCAL_RANK: ${r % g} - CUDA_VISIBLE_DEVICES: ${devices}`),
  ]);
  const params = humanCount(cfg.model.params);
  const cells = [["", "Name", "Type", "Params", "Mode"], [
    "0",
    "model",
    hfArchitecture(cfg.model),
    params,
    "train",
  ]];
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const row = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join(" | ");
  const rule = "-".repeat(row(cells[0]).length);
  const table = [
    "",
    row(cells[0]),
    rule,
    row(cells[1]),
    rule,
    `${params.padEnd(10)} Trainable params`,
    `${"0".padEnd(10)} Non-trainable params`,
    `${params.padEnd(10)} Total params`,
    `${
      ((cfg.model.params * 4) / 1e6).toFixed(3).padEnd(10)
    } Total estimated model params size (MB)`,
  ];
  return `${ranks}\n${label(0, table.join("\n"))}`;
}

/** The epoch progress bar with the metrics logged to it. */
export function lightningStep(ev: StepEvent, cfg: RunConfig): string {
  const d = ev.data;
  const postfix = `v_num=${cfg.cluster.jobId % 10000}, train_loss=${tqdmNum(d.loss)}, ` +
    `lr=${tqdmNum(d.lr)}, grad_norm=${tqdmNum(d.grad_norm)}`;
  const bar = tqdmLine(
    `Epoch ${d.epoch - 1}`,
    d.epoch_step,
    d.steps_per_epoch,
    d.epoch_step / d.steps_per_epoch,
    // This epoch's share of the run's elapsed time and of its ETA.
    (d.elapsed_s * d.epoch_step) / d.step,
    d.step === d.total_steps
      ? 0
      : (d.eta_s * (d.steps_per_epoch - d.epoch_step)) / (d.total_steps - d.step),
    tqdmRate(d.step_time_s),
    postfix,
  );
  return label(0, bar);
}

/** The validation results table Lightning draws with rich. */
export function lightningValidation(ev: ValEvent): string {
  const rows: Array<[string, number]> = [
    ["val_acc", ev.data.accuracy],
    ["val_loss", ev.data.loss],
    ["val_ppl", ev.data.ppl],
  ];
  const w = 27;
  const mid = (s: string) => s.padStart((w + s.length) >> 1).padEnd(w);
  const line = (l: string, m: string, r: string, fill: string) =>
    l + fill.repeat(w) + m + fill.repeat(w) + r;
  return label(
    0,
    [
      line("┏", "┳", "┓", "━"),
      `┃${mid("Validate metric")}┃${mid("DataLoader 0")}┃`,
      line("┡", "╇", "┩", "━"),
      ...rows.map(([k, v]) => `│${mid(k)}│${mid(pyFloat(Math.fround(v)))}│`),
      line("└", "┴", "┘", "─"),
    ].join("\n"),
  );
}

/** ModelCheckpoint keeping the latest step (monitor="step", mode="max"). */
export function lightningSaved(ev: CkptEvent, cfg: RunConfig): string {
  const d = ev.data;
  const file = `${cfg.outputDir}/checkpoints/epoch=${d.epoch - 1}-step=${d.step}.ckpt`;
  return label(
    0,
    `Epoch ${d.epoch - 1}, global step ${d.step}: 'step' reached ${d.step.toFixed(5)} ` +
      `(best ${d.step.toFixed(5)}), saving model to '${file}' as top 1`,
  );
}

const rank0: LogFormatter = (ev, cfg) => label(0, formatNativeLog(ev, cfg));
const nccl: LogFormatter = (ev, cfg) => ncclLines(ev, cfg, NAME, (r) => `${r}: `);

/** PyTorch Lightning's look. */
export const LIGHTNING_STYLE = defineStyle({
  name: NAME,
  logs: {
    ...blank("torchrun.omp", "torchrun.rdzv", "torchrun.start", "gpu.detect", "gpu.node"),
    ...blank("gpu.driver", "model.memory", "config.header", "config", "ckpt.plan", "epoch.start"),
    ...blank("fp16.overflow", "val.start", "val.time", "ckpt.start", "ckpt.progress"),
    ...blank("summary.size"),
    launch: (_ev, cfg) => launch(cfg),
    "launch.job": () => null,
    "dist.init": distributed,
    "dist.versions": (_ev, cfg) => registered(cfg),
    ...forKeys(NCCL_KEYS, nccl),
    "model.wrap": modelSummary,
    seed: (ev, cfg) =>
      perRank(startupRanks(cfg), lineRng(cfg, NAME, ev), (r) => [
        label(r, `[rank: ${r}] Seed set to ${cfg.seed}`),
      ]),
    "val.progress": (ev, cfg) =>
      barDone(ev)
        ? label(0, formatNativeLog(ev, cfg).replace(/^[^:]*:/, "Validation DataLoader 0:"))
        : "",
    "export.start": (ev, cfg) =>
      label(
        0,
        `\`Trainer.fit\` stopped: \`max_epochs=${cfg.epochs}\` reached.\n${
          formatNativeLog(ev, cfg)
        }`,
      ),
    "export.format": (ev, cfg) => (isGgufLine(ev) ? ggufStart(cfg) : rank0(ev, cfg, undefined)),
    "export.progress": (
      ev,
      cfg,
    ) => (isGgufLine(ev) || !barDone(ev) ? "" : rank0(ev, cfg, undefined)),
  },
  otherLog: rank0,
  data: {
    run: "",
    step: lightningStep,
    val: lightningValidation,
    ckpt: lightningSaved,
    export: (
      ev,
      cfg,
    ) => (ev.data.format === "gguf" ? ggufDone(ev, cfg) : label(0, formatNative(ev, cfg))),
    summary: (ev, cfg) => label(0, formatNative(ev, cfg)),
    allreduce: "",
    gpu: startupTable,
  },
});
