/**
 * DeepSpeed's own start-up lines, from the run configuration: the pdsh runner command, each
 * node's launcher report, and the engine's ZeRO, memory and configuration dump on rank 0.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { hostName } from "../sim/names.ts";
import { createRng, hashUnit } from "../sim/rng.ts";
import { nodeList } from "../sim/names.ts";
import { styleInterval } from "./define.ts";
import { pyFloat } from "../format/python_repr.ts";
import { startupNodes } from "./ranks.ts";

/** The DeepSpeed release a run uses (one per run, from the seed). */
export function deepspeedVersion(cfg: RunConfig): string {
  return createRng(cfg.seed, "style:deepspeed:version").pick(["0.14.4", "0.15.4", "0.16.4"]);
}

/** `train.py ... --deepspeed ds_config.json`, the script and flags every node runs. */
function scriptArgs(cfg: RunConfig): string {
  return `${cfg.cluster.script} --model_name_or_path ${cfg.model.hf} --dataset ${cfg.dataset.name} ` +
    `--seq_len ${cfg.seqLen} --num_train_epochs ${cfg.epochs} --learning_rate ${cfg.lrMax} ` +
    `--output_dir ${cfg.outputDir} --deepspeed --deepspeed_config ds_config.json`;
}

/** The command the job script runs. */
export function deepspeedLaunch(cfg: RunConfig): string {
  const c = cfg.cluster;
  return `+ deepspeed --hostfile /tmp/hostfile.${c.jobId} --num_nodes ${cfg.nodes} ` +
    `--num_gpus ${cfg.gpusPerNode} --master_addr ${c.masterAddr} --master_port ${c.masterPort} ` +
    scriptArgs(cfg);
}

function hostRanks(cfg: RunConfig, byGlobal: boolean): string {
  const g = cfg.gpusPerNode;
  return `{${
    startupNodes(cfg, 16).map((n) => {
      const ranks = Array.from({ length: g }, (_, i) => (byGlobal ? n * g : 0) + i);
      return `'${hostName(cfg.cluster, n)}': [${ranks.join(", ")}]`;
    }).join(", ")
  }}`;
}

/** The runner's pdsh command line (printed once, on the node that runs `deepspeed`). */
export function runnerCommand(cfg: RunConfig): string {
  const c = cfg.cluster;
  const worldInfo = btoa(hostRanks(cfg, false).replaceAll("'", '"').replaceAll(" ", ""));
  return `cmd = pdsh -S -f 1024 -w ${nodeList(cfg)} export NCCL_DEBUG=INFO; ` +
    `export PYTHONPATH=/workspace; cd /workspace; ${c.venv} -u -m deepspeed.launcher.launch ` +
    `--world_info=${worldInfo} --node_rank=%n --master_addr=${c.masterAddr} ` +
    `--master_port=${c.masterPort} ${scriptArgs(cfg)}`;
}

/** One node's launcher report, as `[file:line:func] message` pairs. */
export function launcherReport(cfg: RunConfig, node: number): Array<[string, string]> {
  const g = cfg.gpusPerNode;
  const small = cfg.nodes <= 16;
  return [
    ...(small ? [["launch.py:146:main", `WORLD INFO DICT: ${hostRanks(cfg, false)}`]] : []),
    ["launch.py:152:main", `nnodes=${cfg.nodes}, num_local_procs=${g}, node_rank=${node}`],
    ...(small
      ? [[
        "launch.py:163:main",
        `global_rank_mapping=defaultdict(<class 'list'>, ${hostRanks(cfg, true)})`,
      ]]
      : []),
    ["launch.py:164:main", `dist_world_size=${cfg.worldSize}`],
    [
      "launch.py:168:main",
      `Setting CUDA_VISIBLE_DEVICES=${Array.from({ length: g }, (_, i) => i).join(",")}`,
    ],
  ] as Array<[string, string]>;
}

/** ZeRO stage of the run (0 when the strategy is not ZeRO). */
export function zeroStage(cfg: RunConfig): number {
  const s = cfg.plan.strategy;
  return s.startsWith("zero") ? Number(s.slice(4)) : 0;
}

function gb(gib: number): string {
  return String(Number(gib.toFixed(2)));
}

/** One DeepSpeed log record: where it was logged (`file.py:line:func`) and the message. */
export type DsRecord = [string, string];

function memoryUsage(cfg: RunConfig, when: string, maGiB: number, maxGiB: number): DsRecord[] {
  const used = 60 + 40 * hashUnit(cfg.seed, maGiB * 100, 5);
  return [
    ["utils.py:781:see_memory_usage", when],
    [
      "utils.py:782:see_memory_usage",
      `MA ${gb(maGiB)} GB         Max_MA ${gb(maxGiB)} GB         CA ${
        gb(maxGiB * 1.04)
      } GB         ` +
      `Max_CA ${Math.ceil(maxGiB * 1.04)} GB `,
    ],
    [
      "utils.py:789:see_memory_usage",
      `CPU Virtual Memory:  used = ${used.toFixed(2)} GB, percent = ${(used / 20.48).toFixed(1)}%`,
    ],
  ];
}

const DIST = "logging.py:128:log_dist";

/** The engine's initialisation, as `[file:line:func, message]` (log_dist lines say `[Rank 0]`). */
export function engineInit(cfg: RunConfig): DsRecord[] {
  return [...optimizerSetup(cfg), ...engineConfig(cfg)];
}

/** From the version banner to the ZeRO optimizer with its memory before and after. */
function optimizerSetup(cfg: RunConfig): DsRecord[] {
  const stage = zeroStage(cfg), m = cfg.plan.memory;
  const dtype = cfg.precision === "fp16" ? "fp16" : "torch.bfloat16";
  const zeroFile = stage === 3 ? "stage3.py:130:__init__" : "stage_1_and_2.py:149:__init__";
  const states = m.weightsGiB + m.gradsGiB;
  const version = deepspeedVersion(cfg);
  return [
    [DIST, `[Rank 0] DeepSpeed info: version=${version}, git-hash=unknown, git-branch=unknown`],
    ["config.py:733:__init__", `Config mesh_device None world_size = ${cfg.worldSize}`],
    [DIST, "[Rank 0] DeepSpeed Flops Profiler Enabled: False"],
    [DIST, "[Rank 0] Using client Optimizer as basic optimizer"],
    [DIST, "[Rank 0] Removing param_group that has no 'params' in the basic Optimizer"],
    [DIST, "[Rank 0] DeepSpeed Basic Optimizer = FusedAdam"],
    [
      "utils.py:59:is_zero_supported_optimizer",
      "Checking ZeRO support for optimizer=FusedAdam type=<class 'deepspeed.ops.adam.fused_adam.FusedAdam'>",
    ],
    [
      DIST,
      `[Rank 0] Creating ${dtype} ZeRO stage ${stage} optimizer` +
      (stage === 3 ? ", MiCS is enabled False, Hierarchical params gather False" : ""),
    ],
    [zeroFile, "Reduce bucket size 500000000"],
    [zeroFile, stage === 3 ? "Prefetch bucket size 50000000" : "Allgather bucket size 500000000"],
    [zeroFile, "CPU Offload: False"],
    ...memoryUsage(cfg, "Before initializing optimizer states", states, states),
    ...memoryUsage(
      cfg,
      "After initializing optimizer states",
      states + m.optimizerGiB,
      states + m.optimizerGiB * 1.5,
    ),
    [zeroFile, "optimizer state initialized"],
  ];
}

/** The final optimizer, the scheduler, step 0 and the dotted configuration dump. */
function engineConfig(cfg: RunConfig): DsRecord[] {
  const stage = zeroStage(cfg), p = cfg.plan;
  const b = (v: boolean) => (v ? "True" : "False");
  const config: Record<string, string> = {
    bfloat16_enabled: b(cfg.precision !== "fp16"),
    fp16_enabled: b(cfg.precision === "fp16"),
    gradient_accumulation_steps: String(cfg.gradAccum),
    gradient_clipping: pyFloat(1),
    steps_per_print: String(deepspeedLogInterval(cfg)),
    train_batch_size: String(cfg.globalBatch),
    train_micro_batch_size_per_gpu: String(p.microBatch),
    wall_clock_breakdown: "False",
    world_size: String(p.dp),
    zero_enabled: b(stage > 0),
    zero_optimization_stage: String(stage),
  };
  const optimizer = stage === 3 ? "DeepSpeedZeroOptimizer_Stage3" : "DeepSpeedZeroOptimizer";
  return [
    [DIST, `[Rank 0] DeepSpeed Final Optimizer = ${optimizer}`],
    [DIST, "[Rank 0] DeepSpeed using configured LR scheduler = WarmupCosineLR"],
    [DIST, `[Rank 0] step=0, skipped=0, lr=[0.0, 0.0], mom=[[0.9, 0.95], [0.9, 0.95]]`],
    ["config.py:1001:print", "DeepSpeedEngine configuration:"],
    ...Object.entries(config).map(([k, v]): DsRecord => [
      "config.py:1005:print",
      `  ${k} ${".".repeat(Math.max(1, 30 - k.length))} ${v}`,
    ]),
  ];
}

/** DeepSpeed's `steps_per_print`: 10, or the run's own interval when that is coarser. */
export function deepspeedLogInterval(cfg: RunConfig): number {
  return styleInterval(cfg, 10);
}
