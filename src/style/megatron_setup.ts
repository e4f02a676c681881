/**
 * Megatron-LM's start-up, from the run configuration: the launch command, the argument dump,
 * per-rank parameter counts, tokenizer padding, dataset sizes and the set-up milestones.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { validationPlan } from "../sim/phases/train.ts";
import { dateTime } from "../format/clock.ts";
import { styleInterval } from "./define.ts";
import { pyFloat, pyStr } from "../format/python_repr.ts";

/** Megatron's global rank of a model-parallel coordinate (TP fastest, then DP, then PP). */
export function megatronRank(cfg: RunConfig, tp: number, dp: number, pp: number): number {
  return pp * cfg.plan.tp * cfg.plan.dp + dp * cfg.plan.tp + tp;
}

/** The launch command: torchrun on every node running `pretrain_gpt.py` with its flags. */
export function megatronLaunch(cfg: RunConfig): string {
  const c = cfg.cluster, p = cfg.plan, m = cfg.model;
  const flags = [
    `--tensor-model-parallel-size ${p.tp}`,
    `--pipeline-model-parallel-size ${p.pp}`,
    p.tp > 1 ? "--sequence-parallel" : "",
    `--num-layers ${m.layers} --hidden-size ${m.hidden} --ffn-hidden-size ${m.ffn}`,
    `--num-attention-heads ${m.heads}`,
    m.kvHeads !== m.heads ? `--group-query-attention --num-query-groups ${m.kvHeads}` : "",
    `--seq-length ${cfg.seqLen} --max-position-embeddings ${m.ctx}`,
    `--micro-batch-size ${p.microBatch} --global-batch-size ${cfg.globalBatch}`,
    `--lr ${cfg.lrMax} --min-lr ${cfg.lrMin} --lr-decay-style ${decayStyle(cfg)}`,
    `--lr-warmup-iters ${cfg.warmupSteps} --train-iters ${cfg.totalSteps}`,
    `--${cfg.precision === "fp16" ? "fp16" : "bf16"} --use-distributed-optimizer`,
    `--tokenizer-type HuggingFaceTokenizer --tokenizer-model ${m.hf}`,
    `--data-path ${cfg.dataset.path}`,
    `--log-interval ${megatronLogInterval(cfg)} --save-interval ${cfg.ckptInterval}`,
    `--eval-interval ${cfg.stepsPerEpoch} --eval-iters ${evalIters(cfg)}`,
    `--save ${cfg.outputDir}`,
  ].filter((f) => f !== "");
  return `+ srun --nodes=${cfg.nodes} --ntasks-per-node=1 torchrun --nnodes=${cfg.nodes} ` +
    `--nproc-per-node=${cfg.gpusPerNode} --rdzv-backend=c10d ` +
    `--rdzv-endpoint=${c.masterAddr}:${c.masterPort} --tee 3 pretrain_gpt.py ${flags.join(" ")}`;
}

/** Megatron's `--log-interval`: 10, or the run's own interval when that is coarser. */
export function megatronLogInterval(cfg: RunConfig): number {
  return styleInterval(cfg, 10);
}

function decayStyle(cfg: RunConfig): string {
  return cfg.schedule === "wsd" ? "WSD" : "cosine";
}

/** Global batches of one evaluation. */
export function evalIters(cfg: RunConfig): number {
  return Math.max(1, Math.ceil(validationPlan(cfg).samples / cfg.globalBatch));
}

/** Megatron's arguments as `str()` shows them, sorted by name. */
function megatronArgs(cfg: RunConfig): Record<string, string | number> {
  const p = cfg.plan, m = cfg.model;
  const f = pyFloat;
  const b = (v: boolean) => (v ? "True" : "False");
  return {
    adam_beta1: f(0.9),
    adam_beta2: f(0.95),
    adam_eps: f(1e-8),
    bf16: b(cfg.precision !== "fp16"),
    clip_grad: f(1),
    context_parallel_size: 1,
    data_parallel_size: p.dp,
    data_path: `[${pyStr(cfg.dataset.path)}]`,
    eval_interval: cfg.stepsPerEpoch,
    eval_iters: evalIters(cfg),
    ffn_hidden_size: m.ffn,
    fp16: b(cfg.precision === "fp16"),
    global_batch_size: cfg.globalBatch,
    group_query_attention: b(m.kvHeads !== m.heads),
    hidden_size: m.hidden,
    init_method_std: f(0.02),
    log_interval: megatronLogInterval(cfg),
    lr: f(cfg.lrMax),
    lr_decay_iters: cfg.totalSteps,
    lr_decay_style: decayStyle(cfg),
    lr_warmup_iters: cfg.warmupSteps,
    max_position_embeddings: m.ctx,
    micro_batch_size: p.microBatch,
    min_lr: f(cfg.lrMin),
    num_attention_heads: m.heads,
    num_layers: m.layers,
    num_query_groups: m.kvHeads,
    pipeline_model_parallel_size: p.pp,
    recompute_granularity: p.recompute === "none" ? "None" : p.recompute,
    save: cfg.outputDir,
    save_interval: cfg.ckptInterval,
    seed: cfg.seed,
    seq_length: cfg.seqLen,
    sequence_parallel: b(p.tp > 1),
    tensor_model_parallel_size: p.tp,
    tokenizer_model: m.hf,
    tokenizer_type: "HuggingFaceTokenizer",
    train_iters: cfg.totalSteps,
    use_distributed_optimizer: "True",
    weight_decay: f(0.1),
    world_size: cfg.worldSize,
  };
}

/** The `using world size` line and the dotted argument dump, as rank 0 prints them. */
export function argumentDump(cfg: RunConfig): string[] {
  const p = cfg.plan;
  const args = megatronArgs(cfg);
  return [
    `using world size: ${cfg.worldSize}, data-parallel size: ${p.dp}, context-parallel size: 1, ` +
    `tensor-model-parallel size: ${p.tp}, pipeline-model-parallel size: ${p.pp}`,
    `using torch.${cfg.precision === "fp16" ? "float16" : "bfloat16"} for parameters ...`,
    "------------------------ arguments ------------------------",
    ...Object.entries(args).map(([k, v]) => `  ${k} ${".".repeat(48 - k.length)} ${v}`),
    "-------------------- end of arguments ---------------------",
    `setting number of micro-batches to constant ${cfg.gradAccum}`,
    "> initializing torch distributed ...",
  ];
}

/** What rank 0 prints once the process groups exist. */
export function afterInit(cfg: RunConfig): string[] {
  return [
    `> initialized tensor model parallel with size ${cfg.plan.tp}`,
    `> initialized pipeline model parallel with size ${cfg.plan.pp}`,
    `> setting random seeds to ${cfg.seed} ...`,
    "> compiling dataset index builder ...",
    ">>> done with dataset index builder. Compilation time: 0.047 seconds",
    "> compiling and loading fused kernels ...",
    ">>> done with compiling and loading fused kernels. Compilation time: 1.912 seconds",
  ];
}

/** Seconds since launch and the milestone line, e.g. after Megatron is initialised. */
export function milestone(cfg: RunConfig, simMs: number, what: string): string[] {
  const head = what === "after megatron is initialized"
    ? [`time to initialize megatron (seconds): ${((simMs - cfg.startMs) / 1000).toFixed(3)}`]
    : [];
  return [...head, `[${what}] datetime: ${dateTime(simMs)} `];
}

/** Parameters on each tensor rank of pipeline stage `pp`: its layers, plus embedding or head. */
export function paramsOnStage(cfg: RunConfig, pp: number): number {
  const m = cfg.model, p = cfg.plan;
  const embed = paddedVocab(cfg) * m.hidden;
  const perLayer = Math.max(0, m.params - 2 * m.vocab * m.hidden) / m.layers;
  let n = (m.layers / p.pp) * perLayer;
  if (pp === 0) n += embed;
  if (pp === p.pp - 1) n += embed;
  return Math.round(n / p.tp);
}

/** Vocabulary padded to a multiple of 128 × TP, as Megatron sizes its embedding. */
export function paddedVocab(cfg: RunConfig): number {
  const unit = 128 * cfg.plan.tp;
  return Math.ceil(cfg.model.vocab / unit) * unit;
}

/** The tokenizer lines, with the padding Megatron adds. */
export function tokenizerLines(cfg: RunConfig): string[] {
  const v = cfg.model.vocab, padded = paddedVocab(cfg);
  return [
    "> building HuggingFaceTokenizer tokenizer ...",
    ` > padded vocab (size: ${v}) with ${padded - v} dummy tokens (new size: ${padded})`,
  ];
}

/** The dataset sizes Megatron plans for: all training samples, every evaluation, one test. */
export function datasetLines(cfg: RunConfig): string[] {
  const evalSamples = evalIters(cfg) * cfg.globalBatch;
  const train = cfg.totalSteps * cfg.globalBatch;
  const valid = (Math.floor(cfg.totalSteps / cfg.stepsPerEpoch) + 1) * evalSamples;
  return [
    "> building train, validation, and test datasets ...",
    " > datasets target sizes (minimum size):",
    `    train:      ${train}`,
    `    validation: ${valid}`,
    `    test:       ${evalSamples}`,
    "> building train, validation, and test datasets for GPT ...",
  ];
}
