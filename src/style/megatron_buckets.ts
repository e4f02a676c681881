/**
 * Megatron-Core's DistributedDataParallel set-up log: its config, then for each pipeline stage
 * the gradient buffer's buckets with every parameter they hold (a Python set, so in no order).
 */
import type { RunConfig } from "../sim/run_config.ts";
import type { Rng } from "../sim/rng.ts";
import { shuffled } from "./ranks.ts";
import { type ParamTensor, stageTensors } from "./megatron_model.ts";
import type { MegatronState } from "./megatron_state.ts";
import { megatronRank, workerPrefix } from "./megatron_ranks.ts";

const PY_BOOL = (b: boolean) => (b ? "True" : "False");

/** `bucket_size`: unbounded unless gradient reduction overlaps the backward pass. */
function bucketSize(cfg: RunConfig, st: MegatronState): number | null {
  return st.profile.overlap ? Math.max(40_000_000, 1_000_000 * cfg.plan.dp) : null;
}

/** The `DistributedDataParallelConfig(...)` repr of the release. */
function ddpConfig(cfg: RunConfig, st: MegatronState): string {
  const p = st.profile, fp32 = cfg.precision !== "fp16", size = bucketSize(cfg, st);
  const fields: Array<[string, string]> = [
    ["grad_reduce_in_fp32", PY_BOOL(fp32)],
    ["overlap_grad_reduce", PY_BOOL(p.overlap)],
    ["overlap_param_gather", PY_BOOL(p.overlap && p.distributedOptimizer)],
    ["align_param_gather", "False"],
    ["use_distributed_optimizer", PY_BOOL(p.distributedOptimizer)],
  ];
  if (p.later) fields.push(["num_distributed_optimizer_instances", "1"]);
  fields.push(["check_for_nan_in_grad", PY_BOOL(fp32)]);
  if (p.later) fields.push(["check_for_large_grads", "False"]);
  fields.push(["bucket_size", size === null ? "None" : String(size)]);
  if (p.later) fields.push(["pad_buckets_for_high_nccl_busbw", "False"]);
  fields.push(["average_in_collective", "False"], ["fp8_param_gather", "False"]);
  if (p.later) {
    fields.push(
      ["use_custom_fsdp", "False"],
      ["data_parallel_sharding_strategy", "'no_shard'"],
      ["gradient_reduce_div_fusion", "True"],
      ["suggested_communication_unit_size", "None"],
    );
  }
  return `DistributedDataParallelConfig(${fields.map(([k, v]) => `${k}=${v}`).join(", ")})`;
}

/** Splits parameters, last layer first, into buckets of at least `size` elements. */
function buckets(params: readonly ParamTensor[], size: number | null): ParamTensor[][] {
  const out: ParamTensor[][] = [[]];
  let filled = 0;
  for (const t of [...params].reverse()) {
    out[out.length - 1].push(t);
    filled += t.numel;
    if (size !== null && filled >= size) {
      out.push([]);
      filled = 0;
    }
  }
  return out.filter((b) => b.length > 0);
}

/** A bucket's size as the distributed optimizer pads it: params to 64, the end to lcm(dp, 128). */
function paddedSize(cfg: RunConfig, bucket: readonly ParamTensor[]): number {
  const padded = bucket.reduce((n, t) => n + Math.ceil(t.numel / 64) * 64, 0);
  const dp = cfg.plan.dp, unit = (dp * 128) / gcd(dp, 128);
  return Math.ceil(padded / unit) * unit;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** One buffer's log record: the bucket count, then each bucket's parameters. */
function bufferRecord(
  cfg: RunConfig,
  st: MegatronState,
  list: ParamTensor[],
  size: number | null,
  rng: Rng,
) {
  const all = buckets(list, size);
  const out = [
    "INFO:megatron.core.distributed.param_and_grad_buffer:Number of buckets for gradient " +
    `all-reduce / reduce-scatter: ${all.length}`,
  ];
  all.forEach((bucket, i) => {
    const numel = bucket.reduce((n, t) => n + t.numel, 0);
    const padded = st.profile.later && st.profile.distributedOptimizer
      ? `, ${paddedSize(cfg, bucket)} padded size`
      : st.profile.later
      ? `, ${numel} padded size`
      : "";
    out.push(`Params for bucket ${i + 1} (${numel} elements${padded}):`);
    for (const t of shuffled(bucket, rng)) out.push(`\t${t.name}`);
  });
  return out;
}

/** The DDP config line from rank 0 and each stage's buffers from its first rank. */
export function ddpLines(cfg: RunConfig, st: MegatronState, rng: Rng): string[] {
  const out = [
    workerPrefix(cfg, 0) +
    "INFO:megatron.core.distributed.distributed_data_parallel:Setting up " +
    `DistributedDataParallel with config ${ddpConfig(cfg, st)}`,
  ];
  for (let pp = 0; pp < cfg.plan.pp; pp++) {
    const prefix = workerPrefix(cfg, megatronRank(cfg, 0, 0, pp));
    const tensors = stageTensors(cfg, st.arch, pp);
    // Stages after the first keep one bucket: their reduction is off the critical path.
    const size = pp === 0 ? bucketSize(cfg, st) : null;
    const dense = tensors.filter((t) => !t.expert), experts = tensors.filter((t) => t.expert);
    const records = [bufferRecord(cfg, st, dense, size, rng)];
    if (experts.length > 0) records.push(bufferRecord(cfg, st, experts, size, rng));
    for (const r of records) out.push(...r.map((line) => prefix + line));
  }
  return out;
}
