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

/**
 * The data stage's records and bars, from `fromMs` (ranks up) to `toMs` (model load), as the
 * job's file gets them: a LLaMA-Factory job's stdout is unbuffered, so its records and the
 * bars on stderr land in the order they are written.
 */
export function lfDataStage(
  cfg: RunConfig,
  prof: HfProfile,
  job: LfJob,
  fromMs: number,
  toMs: number,
): string {
  const rng = createRng(cfg.seed, "style:hf:lf-data");
  const gap = Math.max(0, toMs - fromMs);
  const rows = prof.trainExamples + prof.evalExamples;
  const convertS = (gap / 1000) * rng.range(0.1, 0.2);
  const tokenizeS = (gap / 1000) * rng.range(0.35, 0.55);
  const loadAt = Math.round(fromMs + gap * rng.range(0.12, 0.2));
  const tag = `(num_proc=${job.numProc})`;
  const loading = (at: number) =>
    lfInfo(job, at, "llamafactory.data.loader", `Loading dataset ${job.dataFile}...`);
  // On several nodes the data sits on a shared file system (`data_shared_file_system`): the
  // other nodes' first processes wait for rank 0's, then load what it cached, without bars.
  const doneAt = loadAt + 1000 * (convertS + tokenizeS) + 300;
  const others = startupNodes(cfg).slice(1).map((_, i) => loading(doneAt + 40 * i)).join("");
  return tokenizerFiles(cfg, prof, Math.round(fromMs + gap * 0.08)) +
    loading(loadAt) +
    mapBar(prof, `Converting format of dataset ${tag}`, rows, job.numProc, convertS, rng) +
    mapBar(prof, `Running tokenizer on dataset ${tag}`, rows, job.numProc, tokenizeS, rng) +
    others;
}
