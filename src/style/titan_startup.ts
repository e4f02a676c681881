/**
 * torchtitan's start-up as its logger tells it, message by message: the job, the device mesh,
 * tokenizer and dataset, the model and its size, parallelisms, memory, the checkpointer and the
 * trainer's batch sizes. Each function gives one moment's messages (without the logger head).
 */
import type { RunConfig } from "../sim/run_config.ts";
import { thousands } from "../format/units.ts";
import { knowsPeak, modelArgs, type TitanJob } from "./titan_lines.ts";

/**
 * Whether the job shards within a node and replicates across nodes (HSDP: its config sets
 * `data_parallel_replicate_degree` to the node count); some multi-node jobs do.
 */
export function titanHsdp(cfg: RunConfig): boolean {
  const p = cfg.plan;
  return p.strategy !== "ddp" && cfg.nodes > 1 && cfg.cluster.layout.salt % 5 === 0 &&
    p.dp % cfg.nodes === 0;
}

/** The mesh torchtitan builds: FSDP over every rank, or HSDP, or plain data parallel. */
function mesh(cfg: RunConfig): [string[], number[]] {
  const p = cfg.plan;
  const dims: Array<[string, number]> = [];
  if (p.pp > 1) dims.push(["pp", p.pp]);
  if (p.strategy === "ddp") dims.push(["dp_replicate", p.dp]);
  else if (titanHsdp(cfg)) dims.push(["dp_replicate", cfg.nodes], ["dp_shard", p.dp / cfg.nodes]);
  else dims.push(["dp_shard", p.dp]);
  if (p.tp > 1) dims.push(["tp", p.tp]);
  return [dims.map(([n]) => n), dims.map(([, d]) => d)];
}

/** The job's first messages, as the trainer starts and sets up the process groups. */
export function jobStart(cfg: RunConfig, job: TitanJob): string[] {
  const [names, dims] = mesh(cfg);
  return [
    `Starting job: ${job.description}`,
    `Building ${dims.length}-D device mesh with [${names.map((n) => `'${n}'`).join(", ")}], [${
      dims.join(", ")
    }]`,
  ];
}

/**
 * Where torchtitan's loader streams the corpus from: the Hub repository it names (as its c4 entry
 * names `allenai/c4`), or the raw files a team copied to its own storage (not a tokenized cache:
 * torchtitan tokenizes as it reads).
 */
function titanDataPath(cfg: RunConfig): string {
  const repo = cfg.dataset.name.replace(/ \(.*\)$/, "");
  if (cfg.cluster.layout.salt % 2 === 0 || !cfg.dataset.path.startsWith("/")) return repo;
  return cfg.dataset.path.replace(/\/(tokenized|gpt2-bin|gpt2)$/, "");
}

/** A message at a level other than INFO. */
export interface Leveled {
  text: string;
  level: string;
}

/** Tokenizer, dataset, model arguments, the device and the model's size. */
export function modelBuild(cfg: RunConfig, job: TitanJob): Array<string | Leveled> {
  const peak = knowsPeak(job.device)
    ? []
    : [{ level: "WARNING", text: `Peak flops undefined for: ${job.device}, fallback to A100` }];
  return [
    "Loading tokenizer from tokenizer.json",
    `Preparing ${cfg.dataset.id} dataset from ${titanDataPath(cfg)}`,
    `Building ${job.name} ${job.flavor} with ${modelArgs(cfg, job)}`,
    `CUDA capacity: ${job.device} with ${job.capacityGiB.toFixed(2)}GiB memory`,
    ...peak,
    `Model ${job.name} ${job.flavor} size: ${thousands(cfg.model.params)} total parameters`,
  ];
}

/** Activation checkpointing, compilation and data parallelism applied to the model. */
export function parallelize(cfg: RunConfig): string[] {
  const p = cfg.plan, out: string[] = [];
  if (p.recompute !== "none") {
    out.push(`Applied ${p.recompute} activation checkpointing to the model`);
  }
  if (cfg.cluster.layout.salt % 3 === 0) {
    out.push("Compiling each TransformerBlock with torch.compile");
  }
  if (p.strategy === "ddp") out.push("Applied DDP to the model");
  else out.push(titanHsdp(cfg) ? "Applied HSDP to the model" : "Applied FSDP to the model");
  return out;
}

/** Peak FLOPS for MFU, and the memory the sharded fp32 parameters take. */
export function modelMemory(cfg: RunConfig, job: TitanJob): string[] {
  const shards = cfg.plan.strategy === "ddp"
    ? 1
    : titanHsdp(cfg)
    ? cfg.plan.dp / cfg.nodes
    : cfg.plan.dp;
  const gib = (cfg.model.params * 4) / shards / (cfg.plan.tp * cfg.plan.pp) / 1024 ** 3;
  // Whole 2 MiB allocator blocks, plus the buffers (RoPE tables) every rank keeps.
  const reserved = Math.ceil((gib + 0.02) * 512) / 512;
  return [
    `Peak FLOPS used for computing MFU: ${
      job.peakFlops.toExponential(3).replace(/e\+(\d)$/, "e+0$1")
    }`,
    `CUDA memory usage for model: ${reserved.toFixed(2)}GiB(${
      ((100 * reserved) / job.capacityGiB).toFixed(2)
    }%)`,
  ];
}

/** The checkpointer, mixed precision and the trainer's batch configuration. */
export function trainerReady(
  cfg: RunConfig,
  job: TitanJob,
  microBatch: number,
  accum: number,
): string[] {
  const mixed = cfg.plan.strategy === "ddp"
    ? "Mixed precision training is handled by AMP"
    : "Mixed precision training is handled by fully_shard";
  return [
    `Checkpointing active. Checkpoints will be loaded from and saved to ${cfg.outputDir}/checkpoint`,
    mixed,
    `Trainer is initialized with local batch size ${microBatch}, global batch size ` +
    `${cfg.globalBatch}, gradient accumulation steps ${accum}, sequence length ${cfg.seqLen}, ` +
    `total steps ${cfg.totalSteps} (warmup ${cfg.warmupSteps})${job.v2 ? "" : "."}`,
  ];
}

/** The checkpoint directory of a step. */
export function stepDir(cfg: RunConfig, step: number): string {
  return `${cfg.outputDir}/checkpoint/step-${step}`;
}

/** The xtrace of the launch: run_train.sh's on one node, the batch script's srun on many. */
export function launchTrace(cfg: RunConfig, job: TitanJob): string[] {
  const g = cfg.gpusPerNode, c = cfg.cluster;
  const filter = "--local-ranks-filter 0 --role rank --tee 3";
  if (cfg.nodes === 1) {
    return [
      `+ NGPU=${g}`,
      "+ export LOG_RANK=0",
      "+ LOG_RANK=0",
      `+ CONFIG_FILE=${job.configFile}`,
      "+ TRAIN_FILE=torchtitan.train",
      "+ PYTORCH_ALLOC_CONF=expandable_segments:True",
      `+ torchrun --nproc_per_node=${g} --rdzv_backend c10d --rdzv_endpoint=localhost:0 ` +
      `${filter} -m torchtitan.train --job.config_file ${job.configFile}`,
    ];
  }
  // A PyTorchJob's pods each run torchrun themselves; under Slurm the batch script runs srun.
  // Some filter to each node's local rank 0 as run_train.sh does; others let every rank's lines
  // reach the log as they are.
  const srun = c.scheme.kind === "k8s" ? "" : "srun ";
  return [
    `+ ${srun}torchrun --nnodes ${cfg.nodes} --nproc_per_node ${g} --rdzv_id ${c.jobId} ` +
    `--rdzv_backend c10d --rdzv_endpoint ${c.masterAddr}:${c.masterPort} ` +
    `${job.filtered ? `${filter} ` : ""}-m torchtitan.train --job.config_file ${job.configFile}`,
  ];
}
