/**
 * Which transformers release a Hugging Face job runs, drawn once per run: the releases in
 * data/hf_releases.json (their dates, the `file.py:line` of each call site this style prints and
 * the lines of the traceback frames it shows, read from each release's own source), weighted
 * by how old each is on the run's start date.
 */
import torchJson from "../../data/torch_releases.json" with { type: "json" };
import releasesJson from "../../data/hf_releases.json" with { type: "json" };
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";

/** Where one release logs each line this style prints (module basename:line). */
export interface HfSites {
  halfPrecision: string;
  /** The eight `***** Running training *****` banner lines, in order. */
  banner: readonly string[];
  /** The four lines of a resumed run, in order. */
  resume: readonly string[];
  completed: string;
  saving: string;
  rotate: string;
  evalBanner: string;
  evalExamples: string;
  evalBatch: string;
  wandb: string;
  configLoad: string;
  configShow: string;
  configSaved: string;
  generationLoad: string;
  generationShow: string;
  generationSaved: string;
  weightsLoad: string;
  weightsSaved: string;
  weightsSharded: string;
  tokenizerFile: string;
  tokenizerSaved: string;
  specialSaved: string;
  modelCard: string;
}

/** A traceback frame: its line in the release's file, the source line, the call 3.11 marks. */
export interface HfFrameSite {
  line: number;
  code: string;
  call?: string;
}

/** The frames of run_clm.py and trainer.py a worker's traceback passes through in one release. */
export interface HfFrameSites {
  /** run_clm.py's `main()` under `if __name__ == "__main__":` and its `trainer.train(…)`. */
  runClmModule: HfFrameSite;
  runClmMain: HfFrameSite;
  /** `Trainer.train` into the inner loop. */
  train: HfFrameSite;
  /** `_inner_training_loop`: the step, the batch fetch, the optimizer, the NaN check, the save. */
  loopStep: HfFrameSite;
  loopBatches: HfFrameSite;
  loopOptimizer: HfFrameSite;
  loopNanCheck: HfFrameSite;
  loopSave: HfFrameSite;
  /** `_maybe_log_save_evaluate`, `_save_checkpoint` and `_save_optimizer_and_scheduler`. */
  maybeSave: HfFrameSite;
  saveCheckpoint: HfFrameSite;
  saveOptimizer: HfFrameSite;
  /** `get_batch_samples` (4.46 and later; before it the loop iterates the loader itself). */
  batchSamples?: HfFrameSite;
  /** `training_step` into `compute_loss` and the backward, `compute_loss` into the model. */
  stepLoss: HfFrameSite;
  stepBackward: HfFrameSite;
  lossForward: HfFrameSite;
}

/** One transformers release as its log shows it. */
export interface HfRelease {
  /** `4.44.2`. */
  version: string;
  /** Its day on PyPI, `YYYY-MM-DD` (UTC). */
  date: string;
  /** The eval banner starts with an empty line (`"\n***** Running …"`, 4.41 and later). */
  evalBannerNewline: boolean;
  /** `from_pretrained` also looks up `chat_template.jinja` (4.47 and later). */
  chatTemplateFile: boolean;
  site: HfSites;
  frames: HfFrameSites;
}

/** The modelled releases, oldest first. */
export const HF_RELEASES: readonly HfRelease[] = releasesJson.releases;

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;

/** When each torch minor the clusters install came out (`YYYY-MM-DD`, UTC). */
const TORCH_DATES: Readonly<Record<string, string>> = torchJson.releases;

/** The day torch `version`'s minor came out, or undefined for one not listed. */
export function torchReleaseDay(version: string): string | undefined {
  return TORCH_DATES[version.split(".").slice(0, 2).join(".")];
}

function dateMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/**
 * The releases a job starting at `startMs` could have installed, with their weights: out by
 * then, a year old at most when its torch came out (a pinned environment installs them
 * together), and four times likelier when at most a year old at the start.
 */
export function releaseChoices(
  startMs: number,
  torchVersion: string,
): Array<{ release: HfRelease; weight: number }> {
  const out = HF_RELEASES.filter((r) => dateMs(r.date) <= startMs);
  if (out.length === 0) return [{ release: HF_RELEASES[0], weight: 1 }];
  const torchDay = torchReleaseDay(torchVersion);
  const fits = torchDay === undefined
    ? out
    : out.filter((r) => dateMs(r.date) >= dateMs(torchDay) - YEAR_MS);
  const pool = fits.length > 0 ? fits : out.slice(-1);
  return pool.map((release) => ({
    release,
    weight: startMs - dateMs(release.date) <= YEAR_MS ? 4 : 1,
  }));
}

/** The run's transformers release, drawn from its own stream of the seed. */
export function hfRelease(cfg: RunConfig): HfRelease {
  const choices = releaseChoices(cfg.startMs, cfg.cluster.torchVersion);
  const rng = createRng(cfg.seed, "style:hf:release");
  return rng.weighted(choices.map((c) => c.release), choices.map((c) => c.weight));
}
