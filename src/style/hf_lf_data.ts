/**
 * LLaMA-Factory's data stage on rank 0, between the ranks' start and the model's load: the
 * tokenizer's files, `Loading dataset <file>...`, then the `datasets` map bars that convert the
 * rows to its format and tokenize them (the other ranks read the cached result silently).
 */
import type { RunConfig } from "../sim/run_config.ts";
import { createRng, type Rng } from "../sim/rng.ts";
import { TqdmBar } from "../format/tqdm.ts";
import type { HfProfile } from "./hf_profile.ts";
import { tokenizerFiles } from "./hf_setup.ts";
import { lfInfo, type LfJob } from "./hf_llamafactory.ts";
import { startupNodes } from "./ranks.ts";

/**
 * One `dataset.map(num_proc=n)` bar over `rows`, `seconds` long: its first frame, the frames
 * tqdm prints as the workers report their shards, and close()'s frame (left on screen).
 */
export function mapBar(
  prof: HfProfile,
  desc: string,
  rows: number,
  numProc: number,
  seconds: number,
  rng: Rng,
): string {
  const bar = new TqdmBar(rows, 0, prof.ncols, prof.ascii, desc, 0, " examples");
  let out = `\r${bar.frame(0)}`;
  // Each worker reports its shard when done; the shards are within a row of each other.
  const shard = Math.floor(rows / numProc), extra = rows % numProc;
  const times = Array.from({ length: numProc }, () => rng.range(0.25, 1) * seconds)
    .sort((a, b) => a - b);
  times[numProc - 1] = seconds;
  times.forEach((t, i) => {
    const f = bar.update(shard + (i < extra ? 1 : 0), t);
    if (f !== null) out += `\r${f}`;
  });
  return `${out}\r${bar.closeFrame(seconds)}\n`;
}

/** The data stage as the log shows it, and the seconds it took. */
export interface DataStage {
  text: string;
  seconds: number;
}

/**
 * The data stage's records and bars: the tokenizer's files once the ranks are up (`distMs`),
 * then from `fromMs` the dataset's load and its two map bars, taking at most `maxS` seconds
 * (the start-up's model load shares its time with it). A LLaMA-Factory job's stdout is
 * unbuffered, so its records and the bars on stderr land in the order they are written.
 */
export function lfDataStage(
  cfg: RunConfig,
  prof: HfProfile,
  job: LfJob,
  distMs: number,
  fromMs: number,
  maxS: number,
): DataStage {
  const rng = createRng(cfg.seed, "style:hf:lf-data");
  const rows = prof.trainExamples + prof.evalExamples;
  // Spawning the workers costs a fraction of a second; then rows go at the workers' pace.
  let convertS = rng.range(0.2, 0.5) + rows / rng.range(15_000, 40_000);
  let tokenizeS = rng.range(0.3, 0.8) + rows / rng.range(4_000, 15_000);
  const scale = Math.min(1, (0.6 * maxS) / (convertS + tokenizeS + 0.1));
  convertS *= scale;
  tokenizeS *= scale;
  const loading = (at: number) =>
    lfInfo(job, at, "llamafactory.data.loader", `Loading dataset ${job.dataFile}...`);
  // On several nodes the data sits on a shared file system (`data_shared_file_system`): the
  // other nodes' first processes wait for rank 0's, then load what it cached, without bars.
  const doneMs = fromMs + 1000 * (convertS + tokenizeS) + 60;
  const others = startupNodes(cfg).slice(1).map((_, i) => loading(doneMs + 20 * i)).join("");
  const tag = `(num_proc=${job.numProc})`;
  return {
    text: tokenizerFiles(cfg, prof, Math.round(distMs + 300)) +
      loading(fromMs) +
      mapBar(prof, `Converting format of dataset ${tag}`, rows, job.numProc, convertS, rng) +
      mapBar(prof, `Running tokenizer on dataset ${tag}`, rows, job.numProc, tokenizeS, rng) +
      others,
    seconds: (doneMs + 40 * (startupNodes(cfg).length - 1) - fromMs) / 1000,
  };
}
