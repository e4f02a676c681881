/**
 * Megatron-Core's dataset builder log, from rank 0: the target sizes, the split matrix, the
 * `GPTDatasetConfig`, the indexed dataset's reader, and per split either the cached indices it
 * loads or the ones it builds and saves.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { hashString, hashUnit, type Rng } from "../sim/rng.ts";
import { pyFloat } from "../format/python_repr.ts";
import type { MegatronState } from "./megatron_state.ts";
import { cacheHashes, pyAddress } from "./megatron_data.ts";
import { rank0 } from "./megatron_ranks.ts";

const SPLITS = ["train", "valid", "test"] as const;

/** `--split` of the run: pretraining keeps a test split, fine-tuning does not. */
export function splitOf(cfg: RunConfig): number[] {
  return cfg.task === "pretrain" ? [969, 30, 1] : [98, 2, 0];
}

/** Samples each split must hold: every step's batch, every evaluation, one test evaluation. */
export function targetSizes(cfg: RunConfig, st: MegatronState): [number, number, number] {
  const evalSamples = st.profile.evalIters * cfg.globalBatch;
  const evals = Math.floor(cfg.totalSteps / cfg.stepsPerEpoch) + 1;
  return [cfg.totalSteps * cfg.globalBatch, evals * evalSamples, evalSamples];
}

/** The split's book-ends as Megatron's config prints them: `[(0, 0.969), (0.969, 0.999), …]`. */
function splitMatrix(split: number[]): Array<[number, number] | null> {
  const sum = split.reduce((a, b) => a + b, 0);
  const ends = [0];
  for (const w of split) ends.push(ends[ends.length - 1] + w / sum);
  return split.map((_, i) => (ends[i + 1] <= ends[i] ? null : [ends[i], ends[i + 1]]));
}

function matrixRepr(m: Array<[number, number] | null>): string {
  const end = (x: number, first: boolean) => (first && x === 0 ? "0" : pyFloat(x));
  return `[${
    m.map((b, i) => (b ? `(${end(b[0], i === 0)}, ${pyFloat(b[1])})` : "None")).join(", ")
  }]`;
}

/** The `GPTDatasetConfig(...)` repr the builder logs. */
function datasetConfig(cfg: RunConfig, st: MegatronState, rng: Rng): string {
  const split = splitOf(cfg), gpt2 = cfg.model.family === "gpt2";
  const tokenizer = gpt2 ? "_GPT2BPETokenizer" : "_HuggingFaceTokenizer";
  const fields: Array<[string, string]> = [
    ["random_seed", "1234"],
    ["sequence_length", String(cfg.seqLen)],
    ["blend", `(['${st.profile.dataPrefix}'], None)`],
    ["blend_per_split", "[None, None, None]"],
  ];
  if (!st.profile.later) fields.push(["renormalize_blend_weights", "False"]);
  fields.push(
    ["split", `'${split.join(",")}'`],
    ["split_matrix", matrixRepr(splitMatrix(split))],
    ["num_dataset_builder_threads", "1"],
    ["path_to_cache", "None"],
    ["mmap_bin_files", "True"],
    ["mock", "False"],
    [
      "tokenizer",
      `<megatron.training.tokenizer.tokenizer.${tokenizer} object at ${pyAddress(rng)}>`,
    ],
    ["reset_position_ids", "False"],
    ["reset_attention_mask", "False"],
    ["eod_mask_loss", "False"],
    ["create_attention_mask", "True"],
    ["drop_last_partial_validation_sequence", "True"],
    ["add_extra_token_to_sequence", "True"],
    ["s3_cache_path", "None"],
  );
  return `GPTDatasetConfig(${fields.map(([k, v]) => `${k}=${v}`).join(", ")})`;
}

/** Samples and epochs the indices of a split hold to cover `wanted` samples. */
function indexSize(cfg: RunConfig, share: number, wanted: number): [number, number] {
  const perEpoch = Math.max(1, Math.floor((cfg.dataset.tokens * share) / cfg.seqLen));
  const epochs = Math.max(1, Math.ceil(wanted / perEpoch));
  return [epochs * perEpoch, epochs];
}

/** The builder's log for one split: cached indices loaded, or built and saved. */
function splitLines(
  cfg: RunConfig,
  i: number,
  share: number,
  wanted: number,
  hash: string,
  build: boolean,
) {
  const log = "INFO:megatron.core.datasets.gpt_dataset:";
  const name = SPLITS[i], [samples, epochs] = indexSize(cfg, share, wanted);
  if (build) {
    return [
      `${log}Build and save the GPTDataset ${name} indices`,
      `${log}> total number of samples: ${samples}`,
      `${log}> total number of epochs: ${epochs}`,
    ];
  }
  const file = (kind: string) => `${hash}-GPTDataset-${name}-${kind}_index.npy`;
  return [
    `${log}Load the GPTDataset ${name} indices`,
    `${log}\tLoad the document index from ${file("document")}`,
    `${log}\tLoad the sample index from ${file("sample")}`,
    `${log}\tLoad the shuffle index from ${file("shuffle")}`,
    `${log}> total number of samples: ${samples}`,
  ];
}

/**
 * The documents in the tokenized corpus's `.idx`: the data set's size as published is a round
 * figure, the file holds what survived the preprocessing of this copy (a fraction of a per cent
 * fewer or more), the same for every run that reads it.
 */
export function documentCount(cfg: RunConfig): number {
  const n = cfg.dataset.samples;
  if (n % 1000 !== 0) return n;
  const u = hashUnit(hashString(`${cfg.dataset.id}:${cfg.model.tokenizer}`), 0x1d5);
  return Math.round(n * (0.994 + 0.011 * u));
}

/** Everything from `> building train, validation, and test datasets ...` to the last split. */
export function datasetLines(cfg: RunConfig, st: MegatronState, build: boolean, rng: Rng): string {
  const sizes = targetSizes(cfg, st), split = splitOf(cfg), sum = split.reduce((a, b) => a + b);
  const idx = "INFO:megatron.core.datasets.indexed_dataset:";
  const docs = documentCount(cfg);
  const out = [
    "> building train, validation, and test datasets ...",
    " > datasets target sizes (minimum size):",
    `    train:      ${sizes[0]}`,
    `    validation: ${sizes[1]}`,
    `    test:       ${sizes[2]}`,
    "INFO:megatron.core.datasets.blended_megatron_dataset_config:Let split_matrix = " +
    matrixRepr(splitMatrix(split)),
    "> building train, validation, and test datasets for GPT ...",
    "INFO:megatron.core.datasets.blended_megatron_dataset_builder:Building dataset splits with " +
    `cls=GPTDataset, sizes=(${sizes.join(", ")}), and config=${datasetConfig(cfg, st, rng)}`,
    `${idx}Load the _IndexReader from ${st.profile.dataPrefix}.idx`,
    `${idx}\tExtract the sequence lengths`,
    `${idx}\tExtract the sequence pointers`,
    `${idx}\tExtract the document indices`,
    `${idx}> total number of sequences: ${docs}`,
    `${idx}> total number of documents: ${docs}`,
  ];
  const hashes = cacheHashes(cfg);
  split.forEach((w, i) => {
    if (w > 0) out.push(...splitLines(cfg, i, w / sum, sizes[i], hashes[i], build));
  });
  return rank0(cfg, out);
}
