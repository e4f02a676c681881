/**
 * The llama-recipes script between its model and its training loop: the dataset's lengths (the
 * split's samples, the packed chunks, the batches of each rank), each epoch's opening (the
 * banner of later releases, the training bar, NCCL's set-up at the first collective) and the
 * end of an epoch or of the run that no evaluation closed.
 */
import type { LogEventOf } from "../sim/events.ts";
import { hashUnit } from "../sim/rng.ts";
import { validationPlan } from "../sim/phases/train.ts";
import { openBars, type Written } from "./recipes_bars.ts";
import { epochLine, resultLines } from "./recipes_lines.ts";
import { everyRank, lag, type RecipesState, said } from "./recipes_state.ts";

/** What the data loaders hold: samples of each split, packed chunks, batches per rank. */
export interface LoaderSizes {
  trainSamples: number;
  valSamples: number;
  trainChunks: number;
  valChunks: number;
  trainBatches: number;
  valBatches: number;
}

/**
 * The loaders' sizes for the run's epochs: packing into `context_length` chunks, a
 * DistributedSampler (`ceil(chunks / world)` each) and a loader dropping the last short batch
 * give exactly the run's batches per rank; the samples follow from a drawn mean sample length.
 */
export function loaderSizes(st: RecipesState): LoaderSizes {
  const cfg = st.cfg, world = cfg.worldSize, mb = cfg.plan.microBatch;
  const trainBatches = cfg.stepsPerEpoch * cfg.gradAccum;
  const perRank = mb * trainBatches + Math.floor(mb * hashUnit(cfg.seed, 6101));
  const trainChunks = world * perRank - Math.floor(world * hashUnit(cfg.seed, 6102));
  const valBatches = validationPlan(cfg).batches;
  // The padded sampler would also serve fewer chunks; a split that small is not what one holds out.
  const valChunks = world * valBatches -
    Math.floor(Math.min(world, (world * valBatches) / 4) * hashUnit(cfg.seed, 6103));
  const tokensPerSample = 220 + 680 * hashUnit(cfg.seed, 6104);
  return {
    trainSamples: Math.floor((trainChunks * cfg.seqLen) / tokensPerSample),
    valSamples: Math.floor((valChunks * cfg.seqLen) / tokensPerSample),
    trainChunks,
    valChunks,
    trainBatches,
    valBatches,
  };
}

/** The datasets' lengths on rank 0, then each rank's loader sizes. */
export function loaderLines(st: RecipesState, t: number): Written[] {
  const s = loaderSizes(st);
  const mine = st.rel.loaderLengths
    ? [
      `length of dataset_train ${s.trainChunks}`,
      `--> Num of Training Set Batches loaded = ${s.trainBatches}`,
    ]
    : [];
  const val = `--> Num of Validation Set Batches loaded = ${s.valBatches}`;
  return [
    ...said(st, t, [
      `--> Training Set Length = ${s.trainSamples}`,
      `--> Validation Set Length = ${s.valSamples}`,
    ]),
    ...everyRank(st, t + 0.4, [...mine, ...Array(st.rel.valBatchesPrints).fill(val)], 5),
  ];
}

/** An epoch begins: the banner, every rank's training bar, NCCL's set-up on the first. */
export function epochOpen(st: RecipesState, ev: LogEventOf<"epoch.start">): Written[] {
  const cfg = st.cfg, t = ev.simMs / 1000, e = ev.data.epoch;
  const out = finishEpoch(st, t);
  if (st.rel.epochBanner) {
    out.push(
      ...everyRank(st, t, [
        `Starting epoch ${e - 1}/${cfg.epochs}`,
        "train_config.max_train_step: 0",
      ], 12),
    );
  }
  // A relaunch mid-epoch runs the rest of it (the script keeps no place in its loader).
  const total = cfg.stepsPerEpoch - ev.data.done;
  const [bars, opened] = openBars(
    st.ranks,
    `Training Epoch: ${e}`,
    total,
    (r) => t + 0.05 + lag(cfg, r, 13),
  );
  st.train = bars;
  st.lossSum = 0;
  st.epochSteps = 0;
  st.epochBatches = total * cfg.gradAccum;
  st.epochStartS = t;
  out.push(...opened);
  if (!st.ncclShown) {
    st.ncclShown = true;
    out.push(...st.ncclHeld.map((text, i) => ({ t: t + 0.3 + i * 1e-5, text })));
    st.ncclHeld = [];
  }
  return out;
}

/** The `Epoch N:` line still owed, and after the last epoch the results dict. */
export function finishEpoch(st: RecipesState, t: number): Written[] {
  const out: Written[] = [];
  const d = st.epochDone;
  if (d) {
    out.push(...said(st, t, [epochLine(d.epoch, d.ppl, d.loss, d.seconds)]));
    st.epochDone = null;
    if (d.epoch >= st.cfg.epochs && !st.printedResults) {
      st.printedResults = true;
      out.push(...said(st, t + 0.01, resultLines(st.results)));
    }
  }
  return out;
}
