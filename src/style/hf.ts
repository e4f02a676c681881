/**
 * The Hugging Face Trainer (`run_clm.py` under torchrun): per-rank "Process rank" warnings,
 * `[INFO|file.py:line] date >> ` records, the training banner, tqdm bars in a captured log,
 * `{'loss': ..., 'grad_norm': ..., 'learning_rate': ..., 'epoch': ...}` dicts with raw floats.
 */
import type { DataEvent, Level, LogEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { validationPlan } from "../sim/phases/train.ts";
import { usDateTime } from "../format/clock.ts";
import { barDone, blank, defineStyle, forKeys, type LogFormatter, NCCL_KEYS } from "./define.ts";
import { ggufDone, ggufStart, isGgufLine } from "./export_lines.ts";
import {
  hfHead,
  hfLaunch,
  hfLines,
  hfRuntime,
  hubCache,
  metricsBlock,
  modelConfig,
  savedModel,
  trainingArguments,
  trainingBanner,
} from "./hf_setup.ts";
import { blockBar } from "../format/meter.ts";
import { ncclLines } from "./nccl_lines.ts";
import { formatNativeLog } from "./native.ts";
import { startupTable } from "./nvidia_smi.ts";
import { PY_LEVEL, pyDict, pyFloat, pyRound } from "../format/python_repr.ts";
import { lineRng, perRank, startupRanks } from "./ranks.ts";
import { ompBanner } from "./torchrun_lines.ts";
import { tqdmLine, tqdmRate } from "../format/tqdm.ts";

const NAME = "hf";

type StepEvent = Extract<DataEvent, { type: "step" }>;
type ValEvent = Extract<DataEvent, { type: "val" }>;
type SummaryEvent = Extract<DataEvent, { type: "summary" }>;

/** The example script's own logger: `11/24/2026 09:00:03 - INFO - __main__ - msg`. */
function mainLog(simMs: number, level: Level, msg: string): string {
  return `${usDateTime(simMs)} - ${PY_LEVEL[level]} - __main__ - ${msg}`;
}

const script: LogFormatter = (ev, cfg) => mainLog(ev.simMs, ev.level, formatNativeLog(ev, cfg));

/** A finished tqdm bar as a captured log keeps it: ten cells, no label when `bare`. */
function capturedBar(ev: LogEvent, cfg: RunConfig, bare = false): string {
  if (!barDone(ev)) return "";
  const line = formatNativeLog(ev, cfg).replace(/\|[^|]*\|/, `|${blockBar(1, 10)}|`);
  return bare ? line.slice(line.indexOf(":") + 1) : line;
}

/** The progress bar and the logged dict of a step, as the Trainer prints every logging_steps. */
export function hfStep(ev: StepEvent, _cfg: RunConfig): string {
  const d = ev.data;
  const epoch = d.epoch - 1 + d.epoch_step / d.steps_per_epoch;
  const bar = tqdmLine(
    "",
    d.step,
    d.total_steps,
    d.step / d.total_steps,
    d.elapsed_s,
    d.eta_s,
    tqdmRate(d.step_time_s),
  );
  const dict = pyDict([
    ["loss", pyFloat(pyRound(d.loss, 4))],
    ["grad_norm", pyFloat(Math.fround(d.grad_norm))],
    ["learning_rate", pyFloat(d.lr)],
    ["epoch", pyFloat(pyRound(epoch, 2))],
  ]);
  return `${bar}\n${dict}`;
}

/** The evaluation dict at the end of an epoch. */
export function hfEval(ev: ValEvent, cfg: RunConfig): string {
  const d = ev.data;
  const batches = validationPlan(cfg).batches;
  return pyDict([
    ["eval_loss", pyFloat(Math.fround(d.loss))],
    ["eval_accuracy", pyFloat(Math.fround(d.accuracy))],
    ["eval_runtime", pyFloat(pyRound(d.time_s, 4))],
    ["eval_samples_per_second", pyFloat(pyRound(d.samples / d.time_s, 3))],
    ["eval_steps_per_second", pyFloat(pyRound(batches / d.time_s, 3))],
    ["epoch", pyFloat(d.epoch)],
  ]);
}

/** The train-output dict and the `***** train metrics *****` block. */
export function hfSummary(ev: SummaryEvent, cfg: RunConfig): string {
  const d = ev.data;
  const samples = d.steps * cfg.globalBatch;
  const perS = pyRound(samples / d.total_time_s, 3),
    stepsPerS = pyRound(d.steps / d.total_time_s, 3);
  const flos = 6 * cfg.model.params * d.tokens;
  const dict = pyDict([
    ["train_runtime", pyFloat(pyRound(d.total_time_s, 4))],
    ["train_samples_per_second", pyFloat(perS)],
    ["train_steps_per_second", pyFloat(stepsPerS)],
    ["train_loss", pyFloat(d.final_loss)],
    ["epoch", pyFloat(cfg.epochs)],
  ]);
  return [
    dict,
    ...metricsBlock("train", [
      ["epoch", pyFloat(cfg.epochs)],
      ["total_flos", `${Math.floor(flos / 1e9)}GF`],
      ["train_loss", d.final_loss.toFixed(4)],
      ["train_runtime", hfRuntime(d.total_time_s)],
      ["train_samples", String(samples)],
      ["train_samples_per_second", perS.toFixed(3)],
      ["train_steps_per_second", stepsPerS.toFixed(3)],
    ]),
  ].join("\n");
}

/** Every shown rank's "Process rank" warning, in arrival order. */
function processRanks(ev: LogEvent, cfg: RunConfig): string {
  return perRank(startupRanks(cfg), lineRng(cfg, NAME, ev), (r) => [
    mainLog(
      ev.simMs + r,
      "warn",
      `Process rank: ${r}, device: cuda:${r % cfg.gpusPerNode}, n_gpu: 1, distributed training: ` +
        `True, 16-bits training: ${cfg.precision === "fp16" ? "True" : "False"}`,
    ),
  ]);
}

function tokenizerFiles(ev: LogEvent, cfg: RunConfig): string {
  const files = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"];
  return hfLines(
    ev.simMs,
    "tokenization_utils_base.py:2209",
    files.map((f) => `loading file ${f} from cache at ${hubCache(cfg)}/${f}`),
  );
}

function modelFiles(ev: LogEvent, cfg: RunConfig): string {
  const cache = hubCache(cfg);
  const lines = [
    hfHead(ev.simMs, "configuration_utils.py:733") +
    `loading configuration file config.json from cache at ${cache}/config.json`,
    hfLines(ev.simMs, "configuration_utils.py:800", modelConfig(cfg)),
  ];
  if (ev.key === "model.load") {
    lines.push(
      hfHead(ev.simMs, "modeling_utils.py:3937") +
        `loading weights file model.safetensors from cache at ${cache}/model.safetensors.index.json`,
    );
  } else {
    const mib = (cfg.model.params / 2 ** 20).toFixed(2);
    lines.push(
      mainLog(ev.simMs, "info", `Training new model from scratch - Total size=${mib}M params`),
    );
  }
  return lines.join("\n");
}

const nccl: LogFormatter = (ev, cfg) => ncclLines(ev, cfg, NAME, () => "");

/** The Hugging Face Trainer's look. */
export const HF_STYLE = defineStyle({
  name: NAME,
  logs: {
    ...blank("torchrun.rdzv", "torchrun.start", "gpu.detect", "gpu.node", "gpu.driver"),
    ...blank("model.arch", "model.wrap", "model.memory", "config.header", "config", "seed"),
    ...blank("ckpt.plan", "fp16.overflow", "val.time", "ckpt.progress", "summary.size"),
    ...blank("export.index", "export.extra"),
    launch: (_ev, cfg) => hfLaunch(cfg),
    "launch.job": () => null,
    "torchrun.omp": (ev, cfg) => ompBanner(ev, cfg, NAME),
    "dist.init": processRanks,
    "dist.versions": (ev, cfg) => mainLog(ev.simMs, "info", trainingArguments(cfg).join("\n")),
    ...forKeys(NCCL_KEYS, nccl),
    "model.init": modelFiles,
    "model.load": modelFiles,
    "load.progress": (ev, cfg) =>
      barDone(ev) && ev.bar?.label === "Loading checkpoint shards"
        ? perRank(startupRanks(cfg), lineRng(cfg, NAME, ev), () => [capturedBar(ev, cfg)])
        : capturedBar(ev, cfg),
    tokenizer: tokenizerFiles,
    "epoch.start": (ev, cfg) =>
      ev.data.epoch === 1
        ? hfLines(ev.simMs, "trainer.py:2405", trainingBanner(cfg)) +
          `\n  0%|${blockBar(0, 10)}| 0/${cfg.totalSteps} [00:00<?, ?it/s]`
        : "",
    "val.start": (ev, cfg) =>
      hfLines(ev.simMs, "trainer.py:4226", [
        "***** Running Evaluation *****",
        `  Num examples = ${validationPlan(cfg).samples}`,
        `  Batch size = ${cfg.plan.microBatch * 2}`,
      ]),
    "val.progress": (ev, cfg) => capturedBar(ev, cfg, true),
    "ckpt.start": (ev, cfg) =>
      hfHead(ev.simMs, "trainer.py:3984") +
      `Saving model checkpoint to ${cfg.outputDir}/checkpoint-${ev.data.step}`,
    "export.start": (ev) =>
      hfHead(ev.simMs, "trainer.py:2681") +
      "\n\nTraining completed. Do not forget to share your model on huggingface.co/models =)\n\n",
    "export.format": (ev, cfg) =>
      isGgufLine(ev) ? ggufStart(cfg) : hfHead(ev.simMs, "trainer.py:3984") +
        `Saving model checkpoint to ${cfg.outputDir}/export/hf`,
    "export.progress": "",
  },
  otherLog: script,
  data: {
    run: "",
    step: hfStep,
    val: hfEval,
    ckpt: (ev, cfg) => savedModel(cfg, ev.simMs, ev.data.path),
    export: (ev, cfg) =>
      ev.data.format === "gguf" ? ggufDone(ev, cfg) : savedModel(cfg, ev.simMs, ev.data.path),
    summary: hfSummary,
    allreduce: "",
    gpu: startupTable,
  },
});
