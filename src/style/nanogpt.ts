/**
 * nanoGPT's `train.py` under torchrun: the config file it echoes, a few terse set-up lines,
 * `iter N: loss X, time Yms, mfu Z%` every log_interval (mfu -100.00% before the running
 * estimate exists), one line per evaluation and `saving checkpoint to <dir>`.
 */
import type { DataEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import {
  barDone,
  blank,
  defineStyle,
  forKeys,
  type LogFormatter,
  NCCL_KEYS,
  styleInterval,
} from "./define.ts";
import { ggufDone, ggufStart, isGgufLine } from "./export_lines.ts";
import { evalIters } from "./megatron_setup.ts";
import { ncclLines } from "./nccl_lines.ts";
import { startupTable } from "./nvidia_smi.ts";
import { pyFloat, pyStr } from "../format/python_repr.ts";
import { ompBanner } from "./torchrun_lines.ts";
import { thousands } from "../format/units.ts";

const NAME = "nanogpt";
/** nanoGPT starts its running MFU estimate at this local iteration. */
export const MFU_WARMUP_ITERS = 5;

type StepEvent = Extract<DataEvent, { type: "step" }>;

/** nanoGPT's log interval: 10, or the run's own interval when that is coarser. */
export function nanogptLogInterval(cfg: RunConfig): number {
  return styleInterval(cfg, 10);
}

function launch(cfg: RunConfig): string {
  const c = cfg.cluster, conf = `config/train_${cfg.model.id}.py`;
  if (cfg.nodes === 1) {
    return `+ torchrun --standalone --nproc_per_node=${cfg.gpusPerNode} train.py ${conf}`;
  }
  return `+ srun --nodes=${cfg.nodes} --ntasks-per-node=1 torchrun --nnodes=${cfg.nodes} ` +
    `--nproc_per_node=${cfg.gpusPerNode} --rdzv_backend=c10d ` +
    `--rdzv_endpoint=${c.masterAddr}:${c.masterPort} train.py ${conf}`;
}

/** The config file train.py prints before it starts. */
function configFile(cfg: RunConfig): string {
  const dtype = cfg.precision === "fp16" ? "float16" : "bfloat16";
  return [
    `Overriding config with config/train_${cfg.model.id}.py:`,
    `# ${cfg.model.name} on ${cfg.dataset.name}, ${cfg.nodes} node(s) of ${cfg.gpusPerNode} GPUs`,
    "",
    "wandb_log = False",
    `out_dir = ${pyStr(cfg.outputDir)}`,
    `dataset = ${pyStr(cfg.dataset.id)}`,
    cfg.task === "finetune" ? `init_from = ${pyStr(cfg.model.hf)}` : `init_from = 'scratch'`,
    `batch_size = ${cfg.plan.microBatch}`,
    `block_size = ${cfg.seqLen}`,
    `gradient_accumulation_steps = ${cfg.gradAccum * cfg.plan.dp}`,
    `max_iters = ${cfg.totalSteps}`,
    `lr_decay_iters = ${cfg.totalSteps}`,
    `learning_rate = ${pyFloat(cfg.lrMax)}`,
    `min_lr = ${pyFloat(cfg.lrMin)}`,
    `warmup_iters = ${cfg.warmupSteps}`,
    `eval_interval = ${cfg.stepsPerEpoch}`,
    `eval_iters = ${evalIters(cfg)}`,
    `log_interval = ${nanogptLogInterval(cfg)}`,
    "weight_decay = 1e-1",
    `dtype = ${pyStr(dtype)}`,
    "compile = True",
    "",
    `tokens per iteration will be: ${thousands(cfg.tokensPerStep)}`,
  ].join("\n");
}

/** The vocabulary, the model and its parameter count. */
function modelLines(cfg: RunConfig): string {
  const m = cfg.model;
  return [
    `found vocab_size = ${m.vocab} (inside data/${cfg.dataset.id}/meta.pkl)`,
    cfg.task === "finetune"
      ? `Initializing from ${m.hf} weights`
      : "Initializing a new model from scratch",
    `number of parameters: ${(m.params / 1e6).toFixed(2)}M`,
  ].join("\n");
}

/** The optimizer's parameter groups (weights decay, norms do not) and compilation. */
function optimizerLines(cfg: RunConfig): string {
  const m = cfg.model;
  const noDecayTensors = 2 * m.layers + 1;
  const noDecay = noDecayTensors * m.hidden;
  const decayed = thousands(m.params - noDecay);
  return [
    `num decayed parameter tensors: ${7 * m.layers + 2}, with ${decayed} parameters`,
    `num non-decayed parameter tensors: ${noDecayTensors}, with ${thousands(noDecay)} parameters`,
    "using fused AdamW: True",
    "compiling the model... (takes a ~minute)",
  ].join("\n");
}

/** `iter N: loss X, time Yms, mfu Z%` on nanoGPT's log interval (and the first step). */
export function nanogptIter(ev: StepEvent, cfg: RunConfig): string {
  const d = ev.data;
  const on = d.step === 1 || d.step % nanogptLogInterval(cfg) === 0 || d.step === d.total_steps;
  if (!on) return "";
  const mfu = d.step < MFU_WARMUP_ITERS ? -100 : d.mfu * 100;
  return `iter ${d.step}: loss ${d.loss.toFixed(4)}, time ${
    (d.step_time_s * 1000).toFixed(2)
  }ms, ` +
    `mfu ${mfu.toFixed(2)}%`;
}

/** modded-nanogpt's last line: peak CUDA memory. */
function peakMemory(cfg: RunConfig): string {
  const m = cfg.plan.memory;
  const allocated = Math.round((m.totalGiB - m.overheadGiB) * 1024);
  return `peak memory allocated: ${allocated} MiB reserved: ${Math.round(m.totalGiB * 1024)} MiB`;
}

const nccl: LogFormatter = (ev, cfg) => ncclLines(ev, cfg, NAME, () => "");

/** nanoGPT's look. */
export const NANOGPT_STYLE = defineStyle({
  name: NAME,
  logs: {
    ...blank("torchrun.rdzv", "torchrun.start", "dist.init", "gpu.detect", "gpu.node"),
    ...blank("gpu.driver", "model.init", "model.load", "load.progress", "model.memory"),
    ...blank("dataset.open", "dataset.mixture", "dataset.epoch", "config", "seed", "ckpt.plan"),
    ...blank("epoch.start", "fp16.overflow", "val.start", "val.progress", "val.time"),
    ...blank("ckpt.start", "ckpt.progress", "summary.size", "config.header", "tokenizer"),
    launch: (_ev, cfg) => launch(cfg),
    "launch.job": () => null,
    "torchrun.omp": (ev, cfg) => ompBanner(ev, cfg, NAME),
    "dist.versions": (_ev, cfg) =>
      `Running Python ${cfg.cluster.pythonVersion}\nRunning PyTorch ${cfg.cluster.torchVersion}\n` +
      configFile(cfg),
    ...forKeys(NCCL_KEYS, nccl),
    "model.arch": (_ev, cfg) => modelLines(cfg),
    "model.wrap": (_ev, cfg) => optimizerLines(cfg),
    "export.format": (ev, cfg) => (isGgufLine(ev) ? ggufStart(cfg) : null),
    "export.progress": (ev) => (isGgufLine(ev) || !barDone(ev) ? "" : null),
  },
  otherLog: () => null,
  data: {
    run: "",
    step: nanogptIter,
    val: (ev) => `step ${ev.data.step}: val loss ${ev.data.loss.toFixed(4)}`,
    ckpt: (_ev, cfg) => `saving checkpoint to ${cfg.outputDir}`,
    export: (ev, cfg) => (ev.data.format === "gguf" ? ggufDone(ev, cfg) : null),
    summary: (_ev, cfg) => peakMemory(cfg),
    allreduce: "",
    gpu: startupTable,
  },
});
