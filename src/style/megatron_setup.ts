/**
 * Megatron-LM's start-up until the model is built: argument validation and the argument dump,
 * the tokenizer, `initialize_megatron` (process groups, seeds, dataset helpers, fused kernels),
 * then `building GPT model ...` with each rank's parameter count and the gradient buffers.
 */
import type { OutputEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { dateTime } from "../format/clock.ts";
import { interleave, lineRng, perRank } from "./ranks.ts";
import { argumentDump, megatronArgs } from "./megatron_args.ts";
import { paramsOnStage } from "./megatron_model.ts";
import type { MegatronState } from "./megatron_state.ts";
import { megatronProfile } from "./megatron_profile.ts";
import { validationPlan } from "../sim/phases/train.ts";
import { megatronRank, rank0, workerPrefix } from "./megatron_ranks.ts";
import { ddpLines } from "./megatron_buckets.ts";

const STYLE = "megatron";

/** Megatron's `--log-interval` for the run (a multiple of the run's own interval). */
export function megatronLogInterval(cfg: RunConfig): number {
  return megatronProfile(cfg).logInterval;
}

/** Global batches one evaluation reads (`--eval-iters`), covering the simulated validation. */
export function evalIters(cfg: RunConfig): number {
  return Math.max(1, Math.ceil(validationPlan(cfg).samples / cfg.globalBatch));
}

/** What `validate_args` prints before the dump: sizes, the precision's notes, the dtype. */
function validationLines(cfg: RunConfig, st: MegatronState): string[] {
  const p = cfg.plan, later = st.profile.later;
  const cp = later
    ? "context-parallel size: 1, hierarchical context-parallel sizes: None"
    : "context-parallel size: 1, ";
  const out = [
    `using world size: ${cfg.worldSize}, data-parallel size: ${p.dp}, ${cp}` +
    `tensor-model-parallel size: ${p.tp}, encoder-tensor-model-parallel size: 0, ` +
    `pipeline-model-parallel size: ${p.pp}, encoder-pipeline-model-parallel size: 0`,
  ];
  if (!later || p.pp > 1) {
    out.push(
      "WARNING: Setting args.overlap_p2p_comm and args.align_param_gather to False since " +
        "non-interleaved schedule does not support overlapping p2p communication and aligned " +
        "param AG",
    );
  }
  if (cfg.precision === "fp16") {
    out.push(
      "WARNING: Setting args.check_for_nan_in_loss_and_grad to False since dynamic loss " +
        "scaling is being used",
      "using torch.float16 for parameters ...",
    );
  } else {
    out.push(
      "accumulate and all-reduce gradients in fp32 for bfloat16 data type.",
      "using torch.bfloat16 for parameters ...",
    );
  }
  return out;
}

/** The tokenizer's two lines, with the padding to a multiple of 128 × TP. */
function tokenizerLines(cfg: RunConfig, st: MegatronState): string[] {
  const v = cfg.model.vocab, padded = st.arch.paddedVocab;
  const type = cfg.model.family === "gpt2" ? "GPT2BPETokenizer" : "HuggingFaceTokenizer";
  return [
    `> building ${type} tokenizer ...`,
    ` > padded vocab (size: ${v}) with ${padded - v} dummy tokens (new size: ${padded})`,
  ];
}

/** From argument parsing to `> initializing torch distributed ...`. */
export function initLines(ev: OutputEvent, cfg: RunConfig, st: MegatronState): string {
  const rng = lineRng(cfg, STYLE, ev);
  const head = [
    ...validationLines(cfg, st),
    ...argumentDump(megatronArgs(cfg, st.arch, st.profile)),
    "INFO:megatron.core.num_microbatches_calculator:setting number of microbatches to " +
    `constant ${cfg.gradAccum}`,
    ...tokenizerLines(cfg, st),
  ];
  // The last rank sets up TensorBoard and the one-logger while rank 0 goes on.
  const last = [
    ...(st.profile.tensorboard ? ["> setting tensorboard ..."] : []),
    "WARNING: one_logger package is required to enable e2e metrics tracking. please go to " +
    "https://confluence.nvidia.com/display/MLWFO/Package+Repositories for details to install it",
  ];
  const mixed = interleave([
    ["> initializing torch distributed ..."].map((l) => workerPrefix(cfg, 0) + l),
    last.map((l) => workerPrefix(cfg, cfg.worldSize - 1) + l),
  ], rng);
  return rank0(cfg, head) + "\n" + mixed.join("\n");
}

/** Whether the fused masked-softmax kernel's shape constraints hold. */
function fusedSoftmaxFits(cfg: RunConfig): boolean {
  const s = cfg.seqLen, batch = (cfg.model.heads / cfg.plan.tp) * cfg.plan.microBatch;
  return s > 16 && s <= 16384 && s % 4 === 0 && batch % 4 === 0;
}

/** After the process groups exist: seeds, the dataset helpers' make, the fused kernels. */
export function initializedLines(ev: OutputEvent, cfg: RunConfig, st: MegatronState): string {
  const rng = lineRng(cfg, STYLE, ev), dir = `${st.profile.repo}/megatron/core/datasets`;
  const out = [
    `> initialized tensor model parallel with size ${cfg.plan.tp}`,
    `> initialized pipeline model parallel with size ${cfg.plan.pp}`,
    `> setting random seeds to 1234 ...`,
    "> compiling dataset index builder ...",
    `make: Entering directory '${dir}'`,
    "make: Nothing to be done for 'default'.",
    `make: Leaving directory '${dir}'`,
    `>>> done with dataset index builder. Compilation time: ${rng.range(0.031, 0.09).toFixed(3)} ` +
    "seconds",
  ];
  if (!fusedSoftmaxFits(cfg)) {
    out.push(
      "WARNING: constraints for invoking optimized fused softmax kernel are not met. We " +
        "default back to unfused kernel invocations.",
    );
  }
  out.push(
    "> compiling and loading fused kernels ...",
    `>>> done with compiling and loading fused kernels. Compilation time: ` +
      `${rng.range(0.9, 6.5).toFixed(3)} seconds`,
  );
  return rank0(cfg, out);
}

/** `time to initialize megatron` and the first milestone. */
export function initializedMilestone(simMs: number, st: MegatronState): string[] {
  return [
    `time to initialize megatron (seconds): ${((simMs - st.processStartMs) / 1000).toFixed(3)}`,
    `[after megatron is initialized] datetime: ${dateTime(simMs)} `,
  ];
}

/** `building GPT model ...`, each (tensor, pipeline) rank's count, then the gradient buffers. */
export function buildLines(ev: OutputEvent, cfg: RunConfig, st: MegatronState): string {
  const p = cfg.plan, rng = lineRng(cfg, STYLE, ev);
  const coords = Array.from({ length: p.tp * p.pp }, (_, i) => i);
  const counts = perRank(coords, rng, (i) => {
    const tp = i % p.tp, pp = Math.floor(i / p.tp);
    return [
      `${workerPrefix(cfg, megatronRank(cfg, tp, 0, pp))} > number of parameters on (tensor, ` +
      `pipeline) model parallel rank (${tp}, ${pp}): ${paramsOnStage(cfg, st.arch, pp)}`,
    ];
  });
  const buffers = st.profile.fsdp ? [] : ddpLines(cfg, st, rng);
  return [rank0(cfg, "building GPT model ..."), counts, ...buffers].join("\n");
}
