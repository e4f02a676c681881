/**
 * llama-recipes' (llama-cookbook's) fine-tuning script in its own words: the release a cluster
 * runs, the model-size and PEFT lines, the tqdm description, the MemoryTrace report, the
 * evaluation print (torch scalars shown by their repr), the epoch line and the results dict.
 * Numbers arrive as the script holds them: float32 tensors where it keeps tensors.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { pyFixed } from "../format/py_format.ts";
import { pyFloat } from "../format/python_repr.ts";
import releasesJson from "../../data/llama_recipes_releases.json" with { type: "json" };

/** What one release of the script prints differently. */
export interface RecipesRelease {
  tag: string;
  /** The newest torch minor (2.x) of the release's day. */
  torchMinorUpTo: number;
  /** `llama_recipes`, or `llama_cookbook` after the rename. */
  package: string;
  /** The example script torchrun runs, relative to the checkout. */
  entrypoint: string;
  /** `Starting epoch e/N` and `train_config.max_train_step: 0` at each epoch (every rank). */
  epochBanner: boolean;
  /** `length of dataset_train` and the training batch count (every rank). */
  loaderLengths: boolean;
  /** How often the validation batch count is printed (v0.0.4 added a second print). */
  valBatchesPrints: number;
  /** What the eval loss average is made of: the best loss so far, or each epoch's own. */
  evalLossAveraged: "best" | "epoch";
  /** The python-fire release of its day (its core.py frames). */
  fire: string;
  /** Lines of finetuning.py's call of train() and of train()'s loop, forward, backward, step. */
  lines: { main: number; loop: number; forward: number; backward: number; step: number };
}

const RELEASES = releasesJson.releases as RecipesRelease[];

/** The release a cluster's torch points to (the script's pip install pulls the torch of its day). */
export function recipesRelease(cfg: RunConfig): RecipesRelease {
  const minor = Number(cfg.cluster.torchVersion.split(".")[1]);
  return RELEASES.find((r) => minor <= r.torchMinorUpTo) ?? RELEASES[RELEASES.length - 1];
}

/** `print_model_size` on rank 0: the name, then the count in millions between empty lines. */
export function modelSizeLines(name: string, params: number): string[] {
  return [`--> Model ${name}`, "", `--> ${name} has ${pyFloat(params / 1e6)} Million params`, ""];
}

/** The description `set_description` gives the training bar after each batch. */
export function trainDesc(
  epoch: number,
  epochs: number,
  batch: number,
  batches: number,
  loss: number,
): string {
  return `Training Epoch: ${epoch}/${epochs}, step ${batch}/${batches} completed (loss: ${
    pyFloat(Math.fround(loss))
  })`;
}

/** MemoryTrace's figures: whole GiB as `int(bytes / 2**30)` gives them. */
export interface MemoryFigures {
  peakGiB: number;
  reservedGiB: number;
  activeGiB: number;
  retries: number;
  cpuGiB: number;
}

/** `memtrace.print_stats()` on rank 0 after each training epoch. */
export function memoryReport(m: MemoryFigures): string[] {
  return [
    `Max CUDA memory allocated was ${Math.trunc(m.peakGiB)} GB`,
    `Max CUDA memory reserved was ${Math.trunc(m.reservedGiB)} GB`,
    `Peak active CUDA memory was ${Math.trunc(m.activeGiB)} GB`,
    `CUDA Malloc retries : ${m.retries}`,
    `CPU Total Peak Memory consumed during the train (max): ${Math.trunc(m.cpuGiB)} GB`,
  ];
}

/** A 0-dim float tensor's repr on `device`: four decimals, or `3.` for a whole value. */
export function tensorRepr(x: number, device: string): string {
  const v = Math.fround(x);
  const body = Number.isInteger(v) ? `${v}.` : pyFixed(v, 4);
  return `tensor(${body}, device='${device}')`;
}

/** The evaluation's `print(f" {eval_ppl=} {eval_epoch_loss=}")` on a node's local rank 0. */
export function evalLine(ppl: number, loss: number): string {
  return ` eval_ppl=${tensorRepr(ppl, "cuda:0")} eval_epoch_loss=${tensorRepr(loss, "cuda:0")}`;
}

/** The new best evaluation loss (a tensor formatted by its float value). */
export function bestLine(epoch: number, loss: number): string {
  return `best eval loss on epoch ${epoch} is ${pyFloat(Math.fround(loss))}`;
}

/** The epoch's summary on rank 0; `seconds` is a perf_counter difference. */
export function epochLine(epoch: number, ppl: number, loss: number, seconds: number): string {
  return `Epoch ${epoch}: train_perplexity=${pyFixed(Math.fround(ppl), 4)}, ` +
    `train_epoch_loss=${pyFixed(Math.fround(loss), 4)}, epoch time ${pyFloat(seconds)}s`;
}

/** What `train()` collected per epoch, as Python floats. */
export interface EpochResults {
  trainPpl: number[];
  trainLoss: number[];
  evalPpl: number[];
  evalLoss: number[];
  epochS: number[];
  checkpointS: number[];
}

/** Python's `sum(xs) / len(xs)`: left-to-right float additions. */
function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}

/** The results dict `main()` prints on rank 0, one `Key: k, Value: v` line per entry. */
export function resultLines(r: EpochResults): string[] {
  const entries: Array<[string, number]> = [
    ["avg_train_prep", mean(r.trainPpl)],
    ["avg_train_loss", mean(r.trainLoss)],
    ...(r.evalPpl.length
      ? [["avg_eval_prep", mean(r.evalPpl)], ["avg_eval_loss", mean(r.evalLoss)]] as Array<
        [string, number]
      >
      : []),
    ["avg_epoch_time", mean(r.epochS)],
    ["avg_checkpoint_time", mean(r.checkpointS)],
  ];
  return entries.map(([k, v]) => `Key: ${k}, Value: ${pyFloat(v)}`);
}

/**
 * A `time.perf_counter()` difference of `seconds`: both readings are doubles near the process's
 * uptime `baseS`, so the difference carries their rounding (`383.84096244900024`).
 */
export function perfCounterDiff(baseS: number, seconds: number): number {
  return (baseS + seconds) - baseS;
}
