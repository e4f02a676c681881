/**
 * `engine.save_checkpoint()` and `load_checkpoint()` as DeepSpeed logs them: rank 0 announces
 * the tag and writes the model states (under ZeRO-3 every rank writes its own), every
 * data-parallel rank writes its optimizer shard and commits, each with its own timing; a load
 * reads the model states and the rank's shard back.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { createRng, type Rng } from "../sim/rng.ts";
import { byTime, rankRecord, shownRanks } from "./deepspeed_log.ts";
import type { DsState } from "./deepspeed_state.ts";
import { dsStage } from "./deepspeed_script.ts";

type Timed = Array<[number, string]>;

/** The checkpoint directory of a step: `<output>/global_step<N>`. */
export function tagDir(cfg: RunConfig, step: number): string {
  return `${cfg.outputDir}/global_step${step}`;
}

/** A rank's model-states file (rank 0's only, except under ZeRO-3 where each rank has one). */
function modelFile(cfg: RunConfig, step: number, rank: number): string {
  return dsStage(cfg) === 3
    ? `${tagDir(cfg, step)}/zero_pp_rank_${rank}_mp_rank_00_model_states.pt`
    : `${tagDir(cfg, step)}/mp_rank_00_model_states.pt`;
}

/** A rank's optimizer shard (`bf16_` when the run is bf16). */
function optimFile(cfg: RunConfig, step: number, rank: number): string {
  const prefix = cfg.precision === "fp16" ? "" : "bf16_";
  return `${tagDir(cfg, step)}/${prefix}zero_pp_rank_${rank}_mp_rank_00_optim_states.pt`;
}

/** Ranks that write a model-states file. */
function writesModel(cfg: RunConfig, rank: number): boolean {
  return rank === 0 || dsStage(cfg) === 3;
}

/** Seconds of the save, per rank: [model states written, optimizer shard written]. */
function saveTimes(cfg: RunConfig, rank: number, seconds: number, rng: Rng): [number, number] {
  const dp = cfg.plan.dp;
  if (dsStage(cfg) === 3) return [seconds * rng.range(0.003, 0.02), seconds * rng.range(0.7, 0.97)];
  if (rank !== 0) return [0, seconds * rng.range(0.72, 0.96)];
  const model = seconds * (2 / (2 + 12 / dp)) * rng.range(0.7, 0.9);
  return [model, seconds * rng.range(0.97, 0.995)];
}

/** What the save prints when it starts at `ms`: the tag, rank 0's model file, the shards. */
export function saveStart(cfg: RunConfig, st: DsState, ms: number, step: number): string {
  const s = st.release.sites,
    rng = createRng(cfg.seed, `style:deepspeed:save:${step}:${st.launch}`);
  const t0 = ms + rng.range(2, 9);
  const out: Timed = [[
    t0,
    rankRecord(
      cfg,
      0,
      t0,
      s.logDist,
      `[Rank 0] [Torch] Checkpoint global_step${step} is about to be saved!`,
    ),
  ]];
  for (const r of shownRanks(cfg)) {
    const t = t0 + rng.range(1, 6);
    if (writesModel(cfg, r)) {
      if (r <= 1) {
        out.push([
          t,
          rankRecord(
            cfg,
            r,
            t,
            s.logDist,
            `[Rank ${r}] Saving model checkpoint: ${modelFile(cfg, step, r)}`,
          ),
        ]);
      }
      out.push([
        t,
        rankRecord(cfg, r, t, s.ckptSaving, `[Torch] Saving ${modelFile(cfg, step, r)}...`),
      ]);
    } else {
      out.push([
        t,
        rankRecord(cfg, r, t, s.ckptSaving, `[Torch] Saving ${optimFile(cfg, step, r)}...`),
      ]);
    }
  }
  return byTime(out);
}

/** What the save prints up to its end at `ms`, `seconds` after it started: files, commits. */
export function saveDone(
  cfg: RunConfig,
  st: DsState,
  ms: number,
  step: number,
  seconds: number,
): string {
  const s = st.release.sites,
    rng = createRng(cfg.seed, `style:deepspeed:saved:${step}:${st.launch}`);
  const start = ms - seconds * 1000;
  const out: Timed = [];
  for (const r of shownRanks(cfg)) {
    const [model, optim] = saveTimes(cfg, r, seconds, rng);
    if (writesModel(cfg, r)) {
      const t = start + model * 1000;
      out.push([
        t,
        rankRecord(cfg, r, t, s.ckptSaved, `[Torch] Saved ${modelFile(cfg, step, r)}.`),
      ]);
      out.push([
        t + 1,
        rankRecord(cfg, r, t + 1, s.ckptSaving, `[Torch] Saving ${optimFile(cfg, step, r)}...`),
      ]);
    }
    const t = start + optim * 1000;
    out.push([t, rankRecord(cfg, r, t, s.ckptSaved, `[Torch] Saved ${optimFile(cfg, step, r)}.`)]);
    const copied = t + (r === 0 ? rng.range(2, 12) : rng.range(0, 1.5));
    out.push([
      copied,
      rankRecord(cfg, r, copied, s.zeroSaved, `zero checkpoint saved ${optimFile(cfg, step, r)}`),
    ]);
    out.push([
      copied,
      rankRecord(
        cfg,
        r,
        copied,
        s.ckptCommit,
        `[Torch] Checkpoint global_step${step} is ready now!`,
      ),
    ]);
  }
  st.skippedAt.set(step, st.skipped);
  return byTime(out);
}

/** A load starting at `ms`: each rank opening the model states. */
export function loadStart(cfg: RunConfig, st: DsState, ms: number, step: number): string {
  const s = st.release.sites,
    rng = createRng(cfg.seed, `style:deepspeed:load:${step}:${st.launch}`);
  return byTime(
    shownRanks(cfg).map((r): [number, string] => {
      const t = ms + rng.range(1, 40);
      return [
        t,
        rankRecord(
          cfg,
          r,
          t,
          s.ckptLoading,
          `[Torch] Loading checkpoint from ${modelFile(cfg, step, r)}...`,
        ),
      ];
    }),
  );
}

/** The rest of the load, which ended at `ms` after `seconds`: model states, shards, counts. */
export function loadDone(
  cfg: RunConfig,
  st: DsState,
  ms: number,
  step: number,
  seconds: number,
): string {
  const s = st.release.sites,
    rng = createRng(cfg.seed, `style:deepspeed:loaded:${step}:${st.launch}`);
  const start = ms - seconds * 1000, dp = cfg.plan.dp;
  const out: Timed = [];
  for (const r of shownRanks(cfg)) {
    const model = start + seconds * 1000 * rng.range(0.05, 0.2);
    const optim = start + seconds * 1000 * rng.range(0.8, 0.99);
    // Nothing is stamped after the instant the load is reported done.
    const at = (t: number, where: string, msg: string) =>
      out.push([Math.min(t, ms), rankRecord(cfg, r, Math.min(t, ms), where, msg)]);
    at(model, s.ckptLoaded, `[Torch] Loaded checkpoint from ${modelFile(cfg, step, r)}.`);
    at(
      model + rng.range(50, 900),
      s.ckptLoading,
      `[Torch] Loading checkpoint from ${optimFile(cfg, step, r)}...`,
    );
    at(optim, s.ckptLoaded, `[Torch] Loaded checkpoint from ${optimFile(cfg, step, r)}.`);
    at(optim + 1, s.zeroRead, `successfully read ${dp} ZeRO state_dicts for rank ${r}`);
    const done = optim + rng.range(200, 1500);
    at(done, s.zeroLoaded, `loading ${dp} zero partition checkpoints for rank ${r}`);
  }
  st.skipped = st.skippedAt.get(step) ?? st.skipped;
  return byTime(out);
}
