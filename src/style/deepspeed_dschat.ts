/**
 * Which DeepSpeedExamples commit of DeepSpeed-Chat's step-1 `main.py` a run's script follows
 * (data/dschat_commits.json), drawn by the run's start date, and what that commit prints beyond
 * the banners every commit shares: after 2023-08-22 `print_throughput`'s line after every micro
 * batch on rank 0 (with its own TFLOPs arithmetic), after 2023-10-18 the evaluation's loss
 * beside its perplexity.
 */
import commitsJson from "../../data/dschat_commits.json" with { type: "json" };
import type { ModelSpec } from "../sim/catalog.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { pyFloat } from "../format/python_repr.ts";
import { pyFixed } from "../format/py_format.ts";
import { releaseWeight } from "./deepspeed_log.ts";
import { tiedHead } from "./model_names.ts";

/** One commit of the script, as far as what it prints differs from the others. */
export interface DsChatCommit {
  /** Short hash in DeepSpeedExamples. */
  commit: string;
  /** When it was committed, epoch ms (UTC midnight). */
  datedMs: number;
  /** Rank 0 prints `print_throughput`'s line after every micro batch. */
  throughput: boolean;
  /** The evaluation prints `ppl: x, loss: y` (else `ppl: x`). */
  evalLoss: boolean;
}

/** The modelled commits, oldest first. */
export const DSCHAT_COMMITS: readonly DsChatCommit[] = commitsJson.commits.map((c) => ({
  commit: c.commit,
  datedMs: Date.parse(`${c.dated}T00:00:00Z`),
  throughput: c.throughput,
  evalLoss: c.evalLoss,
}));

/**
 * Families whose HF causal-LM class keeps its decoder in `.model`: `print_throughput` is handed
 * `model.model`, so on the others (GPT-2's `.transformer`, GPT-NeoX's `.gpt_neox`) the
 * commits that print throughput fail before their first step.
 */
const DECODER_IN_MODEL = new Set([
  "llama",
  "mistral",
  "qwen",
  "gemma",
  "phi",
  "olmo",
  "mixtral",
  "deepseek",
  "qwen2-moe",
  "olmoe",
  "custom",
]);

/**
 * The commit a run's script follows: among those out when the run starts (the oldest when none
 * is) and that can run its model, weighted by age as DeepSpeed releases are.
 */
export function dsChatCommit(cfg: RunConfig): DsChatCommit {
  const runnable = DSCHAT_COMMITS.filter((c) =>
    !c.throughput || DECODER_IN_MODEL.has(cfg.model.family)
  );
  const out = runnable.filter((c) => c.datedMs <= cfg.startMs);
  const pool = out.length > 0 ? out : [runnable[0]];
  const weights = pool.map((c) => releaseWeight(cfg.startMs - c.datedMs));
  return createRng(cfg.seed, "style:deepspeed:dschat").weighted(pool, weights);
}

/** Parameters of the decoder `print_throughput` counts: an untied output head is outside it. */
export function decoderParams(m: ModelSpec): number {
  return tiedHead(m) ? m.params : m.params - m.vocab * m.hidden;
}

/**
 * The Megatron formula `print_throughput` uses: FLOPs of one micro batch on one GPU (4 passes
 * with activation checkpointing, else 3), Python's exact integer product times a float.
 */
export function microBatchFlops(cfg: RunConfig): number {
  const m = cfg.model, s = cfg.seqLen, factor = cfg.plan.recompute !== "none" ? 4 : 3;
  const product = 24n * BigInt(factor) * BigInt(cfg.plan.microBatch) * BigInt(s) *
    BigInt(m.layers) * BigInt(m.hidden) ** 2n;
  return Number(product) *
    (1.0 + s / (6.0 * m.hidden) + m.vocab / (16.0 * m.layers * m.hidden));
}

/**
 * `print_throughput`'s line for a micro batch that took `seconds` (forward, backward and
 * `model.step()`): TFLOPs divide one GPU's FLOPs by the whole world, as the script does.
 */
export function throughputLine(cfg: RunConfig, seconds: number): string {
  const batch = cfg.plan.microBatch;
  const billions = decoderParams(cfg.model) / 1e9;
  const tflops = microBatchFlops(cfg) / (seconds * cfg.worldSize * 10 ** 12);
  return `Model Parameters: ${pyFixed(billions, 3)} B, Latency: ${pyFixed(seconds, 2)}s, ` +
    `TFLOPs: ${pyFixed(tflops, 2)}, Samples/sec: ${pyFixed(batch / seconds, 2)}, ` +
    `Time/seq ${
      pyFixed(seconds / batch, 2)
    }s, Batch Size: ${batch}, Sequence Length: ${cfg.seqLen}`;
}

/**
 * Seconds of each micro batch of a step that took `stepS` on the timer's clock: equal shares of
 * the forward and backward (each with its own small spread), the last one also carrying the
 * optimizer's step, `optShare` of the whole.
 */
export function microSeconds(
  cfg: RunConfig,
  stepS: number,
  optShare: number,
  rng: { normal(): number },
): number[] {
  const gas = cfg.gradAccum;
  if (gas === 1) return [stepS];
  const opt = stepS * optShare, each = (stepS - opt) / gas;
  return Array.from(
    { length: gas },
    (_, i) => each * Math.exp(0.02 * rng.normal()) + (i === gas - 1 ? opt : 0),
  );
}

/** What the evaluation prints: `ppl: x` and, from 2023-10-18, `, loss: y` (both float32). */
export function evalLine(commit: DsChatCommit, loss: number): string {
  const l32 = Math.fround(loss);
  const ppl = `ppl: ${pyFloat(Math.fround(Math.exp(l32)))}`;
  return commit.evalLoss ? `${ppl}, loss: ${pyFloat(l32)}` : ppl;
}
