/**
 * Megatron-LM's start-up from the optimizer on: its config, the checkpoint it loads (or the
 * note that there is none), the dataset builder's log, the set-up timers and the milestones up
 * to `[before the start of training step]`.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { createRng, type Rng } from "../sim/rng.ts";
import { dateTime } from "../format/clock.ts";
import { pyFloat } from "../format/python_repr.ts";
import type { MegatronState } from "./megatron_state.ts";
import { rank0, rankLast } from "./megatron_ranks.ts";
import { timerBlock } from "./megatron_timers.ts";

const B = (b: boolean) => (b ? "True" : "False");

/** A heap address of a Python object, as its default repr shows it. */
export function pyAddress(rng: Rng): string {
  return `0x7f${rng.hex(9)}0`;
}

type Fields = Array<[string, string]>;

/** Fields only the 2025 release's config has, in its order: after `params_dtype`. */
const LATER_DTYPES: Fields = [
  ["use_precision_aware_optimizer", "False"],
  ["main_grads_dtype", "torch.float32"],
  ["main_params_dtype", "torch.float32"],
  ["exp_avg_dtype", "torch.float32"],
  ["exp_avg_sq_dtype", "torch.float32"],
];

/** ... and after `overlap_param_gather_with_optimizer_step`. */
const LATER_OFFLOAD: Fields = [
  ["optimizer_cpu_offload", "False"],
  ["optimizer_offload_fraction", "0.0"],
  ["use_torch_optimizer_for_cpu_offload", "False"],
  ["overlap_cpu_optimizer_d2h_h2d", "False"],
  ["pin_cpu_grads", "True"],
  ["pin_cpu_params", "True"],
];

/** The dynamic loss scaler's and Adam's settings (the release defaults the run keeps). */
const SCALER_AND_ADAM: Fields = [
  ["loss_scale", "None"],
  ["initial_loss_scale", "4294967296"],
  ["min_loss_scale", "1.0"],
  ["loss_scale_window", "1000"],
  ["hysteresis", "2"],
  ["adam_beta1", "0.9"],
  ["adam_beta2", "0.95"],
  ["adam_eps", "1e-08"],
  ["sgd_momentum", "0.9"],
];

/** The `OptimizerConfig(...)` repr `get_megatron_optimizer` logs. */
function optimizerConfig(cfg: RunConfig, st: MegatronState, rng: Rng): string {
  const fp16 = cfg.precision === "fp16", p = st.profile;
  const overlap: Fields = p.later ? [] : [
    ["overlap_grad_reduce", B(p.overlap)],
    ["overlap_param_gather", B(p.overlap && p.distributedOptimizer)],
  ];
  const f: Fields = [
    ["optimizer", "'adam'"],
    ["lr", pyFloat(cfg.lrMax)],
    ["min_lr", pyFloat(cfg.lrMin)],
    ["decoupled_lr", "None"],
    ["decoupled_min_lr", "None"],
    ["weight_decay", "0.1"],
    ["fp16", B(fp16)],
    ["bf16", B(!fp16)],
    ["params_dtype", fp16 ? "torch.float16" : "torch.bfloat16"],
    ...(p.later ? LATER_DTYPES : []),
    ...SCALER_AND_ADAM,
    ["use_distributed_optimizer", B(p.distributedOptimizer)],
    ...overlap,
    ["overlap_param_gather_with_optimizer_step", "False"],
    ...(p.later ? LATER_OFFLOAD : []),
    ["clip_grad", "1.0"],
    ["log_num_zeros_in_grad", B(p.logNumZeros)],
    ["barrier_with_L1_time", "True"],
    ["timers", `<megatron.core.timers.Timers object at ${pyAddress(rng)}>`],
    ["config_logger_dir", "''"],
  ];
  return `OptimizerConfig(${f.map(([k, v]) => `${k}=${v}`).join(", ")})`;
}

/** `[ t 0, p 0 ]` in 2024, `[ t 1/1, p 1/1 ]` in 2025. */
function rankTag(cfg: RunConfig, st: MegatronState): string {
  return st.profile.later ? `[ t 1/${cfg.plan.tp}, p 1/${cfg.plan.pp} ]` : "[ t 0, p 0 ]";
}

/** Where a run loads from: nothing, the pretrained release, or its own checkpoint at `step`. */
export type LoadFrom = { kind: "none" } | { kind: "release"; dir: string } | {
  kind: "iteration";
  dir: string;
  step: number;
};

/** The first lines of loading a checkpoint (the rest follow once it is read). */
export function loadStartLines(from: LoadFrom, cfg: RunConfig): string[] {
  if (from.kind === "none") {
    return [
      `WARNING: could not find the metadata file ${cfg.outputDir}/latest_checkpointed_iteration.txt`,
      "    will not load any checkpoints and will start from random",
    ];
  }
  if (from.kind === "release") return [` loading release distributed checkpoint from ${from.dir}`];
  return [` loading distributed checkpoint from ${from.dir} at iteration ${from.step}`];
}

/** The checkpoint's version and success line once read. */
export function loadDoneLines(from: LoadFrom, cfg: RunConfig, st: MegatronState): string[] {
  if (from.kind === "none") return [];
  const step = from.kind === "release" ? 0 : from.step;
  return [
    " checkpoint version 3.0",
    `  successfully loaded checkpoint from ${from.dir} ${rankTag(cfg, st)} at iteration ${step}`,
  ];
}

/** The optimizer's config and the scheduler's decay style, from rank 0. */
export function optimizerLines(cfg: RunConfig, st: MegatronState, rng: Rng): string[] {
  const style = cfg.schedule === "wsd" ? "WSD" : "cosine";
  return [
    `INFO:megatron.core.optimizer:Setting up optimizer with config ${
      optimizerConfig(cfg, st, rng)
    }`,
    `INFO:megatron.core.optimizer_param_scheduler:> learning rate decay style: ${style}`,
  ];
}

/** The `load-checkpoint` timer from the last rank and rank 0's milestone after building. */
export function builtLines(cfg: RunConfig, loadMs: number, atMs: number, rng: Rng): string {
  const spread = loadMs > 100 ? rng.range(0.005, 0.9) : rng.range(0.001, 0.03);
  return rankLast(cfg, timerBlock([["load-checkpoint", loadMs - spread, loadMs]])) + "\n" +
    rank0(
      cfg,
      `[after model, optimizer, and learning rate scheduler are built] datetime: ${
        dateTime(atMs)
      } `,
    );
}

/** From `> finished creating GPT datasets ...` to `training ...`, with the set-up timers. */
export function setupDoneLines(cfg: RunConfig, st: MegatronState, atMs: number, rng: Rng): string {
  // Cached indices load in a fraction of a second, shorter than the clock shows between lines.
  const modelMs = st.builtMs - st.initializedMs;
  const dataMs = Math.max(atMs - st.builtMs, rng.range(40, 400));
  const timers = timerBlock([
    ["model-and-optimizer-setup", modelMs * rng.range(0.93, 0.999), modelMs],
    ["train/valid/test-data-iterators-setup", dataMs * rng.range(0.04, 0.999), dataMs],
  ]);
  const head = rank0(cfg, [
    "> finished creating GPT datasets ...",
    `[after dataloaders are built] datetime: ${dateTime(atMs)} `,
    "done with setup ...",
  ]);
  const last = rankLast(cfg, timers), training = rank0(cfg, "training ...");
  // Rank 0 and the last rank race: either may reach the log first.
  return rng.chance(0.5) ? [head, last, training].join("\n") : [head, training, last].join("\n");
}

/** The milestone just before the first step (after the rerun machine's note in 2025). */
export function trainingStartLines(
  cfg: RunConfig,
  st: MegatronState,
  step: number,
  atMs: number,
): string {
  const lines = st.profile.later
    ? [`Setting rerun_state_machine.current_iteration to ${step}...`]
    : [];
  return rank0(cfg, [...lines, `[before the start of training step] datetime: ${dateTime(atMs)} `]);
}

/** The dataset cache's md5 names, the same for every process of the run. */
export function cacheHashes(cfg: RunConfig): string[] {
  const rng = createRng(cfg.seed, "style:megatron:cache");
  return [rng.hex(32), rng.hex(32), rng.hex(32)];
}
