/**
 * A Hugging Face fine-tune run through LLaMA-Factory (`llamafactory-cli train x.yaml`, which
 * starts torchrun on a multi-GPU node): which release, drawn per seed beside the transformers
 * release it accepts, how it tunes (LoRA on every linear layer or the full model), and the lines
 * its own logger and its plot helper print, with each release's call sites.
 */
import lfJson from "../../data/llamafactory_releases.json" with { type: "json" };
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { dateTime } from "../format/clock.ts";
import type { HfRelease } from "./hf_release.ts";
import { shuffled } from "./ranks.ts";
import { loraParams, trainableLine } from "./peft.ts";

/** One LLaMA-Factory release as its log shows it. */
export interface LfRelease {
  /** `0.9.5`. */
  version: string;
  /** Its tag's day, `YYYY-MM-DD` (UTC). */
  date: string;
  /** The transformers release (data/hf_releases.json) it runs with. */
  transformers: string;
  /** The logger of the torchrun launch: `llamafactory.cli` or `llamafactory.launcher`. */
  launcherModule: string;
  /** The launch line names the process count (`Initializing 8 distributed tasks at: …`). */
  launchCountsTasks: boolean;
  /** The master port's range: a random draw (0.9.1) or a free port from the kernel. */
  ports: readonly number[];
  /** The lines of `info_rank0`'s and `warning_rank0`'s own logging calls (extras/logging.py). */
  infoLine: number;
  warningLine: number;
  /** The `Process rank` record's line in hparams/parser.py. */
  parserLine: number;
  /** `local`: rank, device, n_gpu (0.9.1); `world`: global rank and world size. */
  rankFields: string;
  /** `KV cache is disabled during training.` before the weights load. */
  kvCacheLine: boolean;
  /** What it says instead of upcasting under ZeRO-3 (and FSDP, when `zero3CoversFsdp`). */
  zero3Line: string;
  zero3CoversFsdp: boolean;
  /** What the parser says when it turns off `ddp_find_unused_parameters` for LoRA. */
  ddpLora: { level: string; msg: string };
  /** The tokenizer's `chat template saved in` call site, when its transformers prints one. */
  chatTemplateSaved: string | null;
  /** A worker's traceback from torchrun's entry to `trainer.train` (files under src/llamafactory). */
  frames: readonly LfFrameSite[];
}

/** One frame of LLaMA-Factory's own code in a release. */
export interface LfFrameSite {
  file: string;
  line: number;
  fn: string;
  code: string;
  /** The call Python 3.11 marks with carets, when the line is more than the call. */
  call?: string;
}

/** The modelled releases, oldest first. */
export const LF_RELEASES: readonly LfRelease[] = lfJson.releases;

/** The linear layers of each family's decoder LoRA targets (`lora_target: all`). */
const LINEAR_MODULES: Readonly<Record<string, readonly string[]>> = {
  llama: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
  mistral: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
  qwen: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
  gemma: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
  // Phi-3 fuses q/k/v and gate/up into one projection each.
  phi: ["qkv_proj", "o_proj", "gate_up_proj", "down_proj"],
};

/** A LLaMA-Factory job as its log shows it. */
export interface LfJob {
  release: LfRelease;
  method: "lora" | "full";
  /** `lora_rank` (0 for a full fine-tune). */
  loraRank: number;
  /** What `count_parameters` finds: trainable and all parameters. */
  trainable: number;
  all: number;
  /** The linear modules LoRA targets (their order is each process's: see `moduleOrder`). */
  modules: readonly string[];
  port: number;
  /** The dataset's file under data/ and `preprocessing_num_workers`. */
  dataFile: string;
  numProc: number;
  /** The YAML `llamafactory-cli train` is given. */
  yaml: string;
}

/**
 * The order a set of strings yields its modules in: string hashes are salted per process
 * (PYTHONHASHSEED), so each node's first process lists them its own way.
 */
export function moduleOrder(cfg: RunConfig, job: LfJob, node: number): string[] {
  return shuffled(job.modules, createRng(cfg.seed, `style:hf:lf-modules:${node}`));
}

/**
 * The run's LLaMA-Factory job, or null when it runs `run_clm.py`: about half the fine-tunes of
 * a dense Llama, Mistral, Qwen, Gemma or Phi model whose transformers release a LLaMA-Factory
 * release out by the start date accepts.
 */
export function lfJob(cfg: RunConfig, hf: HfRelease): LfJob | null {
  const release = LF_RELEASES.find((r) => r.transformers === hf.version);
  if (!release || Date.parse(`${release.date}T00:00:00Z`) > cfg.startMs) return null;
  const m = cfg.model, linear = LINEAR_MODULES[m.family];
  if (cfg.task !== "finetune" || m.moe || !linear || !m.real) return null;
  const rng = createRng(cfg.seed, "style:hf:llamafactory");
  if (!rng.chance(0.8)) return null;
  // Full fine-tunes shard their states (ZeRO, FSDP) or fit a small model whole on each GPU.
  const s = cfg.plan.strategy;
  const sharded = s.startsWith("zero") || s === "fsdp";
  const full = rng.chance(sharded ? 0.35 : m.params <= 2e9 ? 0.25 : 0);
  const loraRank = full ? 0 : rng.weighted([8, 16, 32, 64], [50, 25, 15, 10]);
  const added = full ? 0 : loraParams(m, loraRank);
  const [lo, hi] = release.ports;
  const method = full ? "full" : "lora";
  return {
    release,
    method,
    loraRank,
    trainable: full ? m.params : added,
    all: m.params + added,
    modules: linear,
    // Several nodes meet at the MASTER_ADDR:MASTER_PORT their job script exports.
    port: cfg.nodes > 1 ? cfg.cluster.masterPort : rng.int(lo, hi),
    dataFile: `${cfg.dataset.id.replace(/[.-]/g, "_")}.json`,
    numProc: rng.weighted([16, 8, 32], [60, 25, 15]),
    yaml: `examples/train_${method}/${m.id.replace(/[.-]/g, "_")}_${method}_sft.yaml`,
  };
}

/** `[INFO|2026-11-24 09:00:17] llamafactory.model.loader:143 >> msg` and a newline. */
export function lfRecord(
  simMs: number,
  level: string,
  where: string,
  line: number,
  msg: string,
): string {
  return `[${level}|${dateTime(simMs)}] ${where}:${line} >> ${msg}\n`;
}

/** A message of `info_rank0` in module `where`. */
export function lfInfo(job: LfJob, simMs: number, where: string, msg: string): string {
  return lfRecord(simMs, "INFO", where, job.release.infoLine, msg);
}

/** A message of `warning_rank0` in module `where`. */
export function lfWarning(job: LfJob, simMs: number, where: string, msg: string): string {
  return lfRecord(simMs, "WARNING", where, job.release.warningLine, msg);
}

/**
 * The CLI's line before it starts torchrun, on every node's CLI (none on one GPU: it trains
 * in-process), with the node's instant (ms) beside it.
 */
export function launchLine(cfg: RunConfig, job: LfJob, simMs: number): string {
  if (cfg.worldSize === 1) return "";
  const tasks = job.release.launchCountsTasks ? `${cfg.gpusPerNode} ` : "";
  const addr = cfg.nodes > 1 ? cfg.cluster.masterAddr : "127.0.0.1";
  return lfInfo(
    job,
    simMs,
    job.release.launcherModule,
    `Initializing ${tasks}distributed tasks at: ${addr}:${job.port}`,
  );
}

/** `torch.bfloat16`: the compute dtype the run's precision gives. */
function computeDtype(cfg: RunConfig): string {
  return cfg.precision === "fp16" ? "torch.float16" : "torch.bfloat16";
}

/** The parser's per-process summary, which every process logs (global `rank`). */
export function processRankLine(cfg: RunConfig, job: LfJob, rank: number, simMs: number): string {
  const dist = cfg.worldSize > 1 ? "True" : "False", local = rank % cfg.gpusPerNode;
  const msg = job.release.rankFields === "local"
    ? `Process rank: ${cfg.worldSize > 1 ? local : -1}, device: cuda:${local}, n_gpu: 1, ` +
      `distributed training: ${dist}, compute dtype: ${computeDtype(cfg)}`
    : `Process rank: ${rank}, world size: ${cfg.worldSize}, device: cuda:${local}, ` +
      `distributed training: ${dist}, compute dtype: ${computeDtype(cfg)}`;
  return lfRecord(simMs, "INFO", "llamafactory.hparams.parser", job.release.parserLine, msg);
}

/** The parser's note on LoRA under DDP, rank 0's, before the ranks' summaries. */
export function ddpLoraLine(cfg: RunConfig, job: LfJob, simMs: number): string {
  if (job.method !== "lora" || cfg.worldSize === 1) return "";
  const { level, msg } = job.release.ddpLora;
  return level === "INFO"
    ? lfInfo(job, simMs, "llamafactory.hparams.parser", msg)
    : lfWarning(job, simMs, "llamafactory.hparams.parser", msg);
}

/** How the trainable parameters are kept: cast to float32, unless ZeRO-3 (or FSDP) holds them so. */
function upcastLine(cfg: RunConfig, job: LfJob): string {
  const s = cfg.plan.strategy, r = job.release;
  if (s === "zero3" || (s === "fsdp" && r.zero3CoversFsdp)) return r.zero3Line;
  return "Upcasting trainable params to float32.";
}

/**
 * The model's set-up once its weights are in, rank 0's: gradient checkpointing, attention,
 * the trainable parameters' dtype, the tuning method and LoRA's targets, the parameter count.
 */
export function modelSetupLines(
  cfg: RunConfig,
  job: LfJob,
  simMs: number,
  node = 0,
): string {
  const at = (msg: string, where: string) => lfInfo(job, simMs, `llamafactory.${where}`, msg);
  return at("Gradient checkpointing enabled.", "model.model_utils.checkpointing") +
    at("Using torch SDPA for faster training and inference.", "model.model_utils.attention") +
    at(upcastLine(cfg, job), "model.adapter") +
    at(`Fine-tuning method: ${job.method === "lora" ? "LoRA" : "Full"}`, "model.adapter") +
    (job.method === "lora"
      ? at(
        `Found linear modules: ${moduleOrder(cfg, job, node).join(",")}`,
        "model.model_utils.misc",
      )
      : "") +
    at(trainableLine(job.trainable, job.all), "model.loader");
}

/**
 * What `plot_loss` prints after the train metrics: a figure for each key the trainer's log
 * history has (the loss; the eval loss when the run evaluated), a warning for each it lacks.
 */
export function plotLines(
  job: LfJob,
  outputDir: string,
  evaluated: boolean,
  simMs: number,
): string {
  const keys = ["loss", "eval_loss", "eval_accuracy"];
  const has = (k: string) => k === "loss" || (k === "eval_loss" && evaluated);
  return keys.map((k) =>
    has(k)
      ? `Figure saved at: ${outputDir}/training_${k}.png\n`
      : lfWarning(job, simMs, "llamafactory.extras.ploting", `No metric ${k} to plot.`)
  ).join("");
}

/** The LLaMA-Factory checkout the job runs from (its examples' YAML paths are relative to it). */
export function lfDir(cfg: RunConfig): string {
  return `${cfg.cluster.home}/LLaMA-Factory`;
}

/** The script torchrun runs for each process (an editable install of the checkout). */
export function lfEntry(cfg: RunConfig): string {
  return `${lfDir(cfg)}/src/llamafactory/launcher.py`;
}

/** The set-x trace of the launch: the CLI and the run's YAML. */
export function lfLaunchTrace(cfg: RunConfig, job: LfJob): string {
  const cli = `llamafactory-cli train ${job.yaml}`;
  if (cfg.nodes === 1) return `+ cd ${lfDir(cfg)}\n+ ${cli}\n`;
  // On several nodes srun starts the CLI once per node, each told its place by the environment.
  const c = cfg.cluster;
  const env = `FORCE_TORCHRUN=1 NNODES=${cfg.nodes} NODE_RANK=$SLURM_NODEID ` +
    `MASTER_ADDR=${c.masterAddr} MASTER_PORT=${job.port}`;
  return `+ cd ${
    lfDir(cfg)
  }\n+ srun --nodes=${cfg.nodes} --ntasks-per-node=1 bash -c '${env} ${cli}'\n`;
}
