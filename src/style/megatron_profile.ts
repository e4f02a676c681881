/**
 * What a Megatron job's script chose for this run, drawn once from the seed: the Megatron-Core
 * release (matched to the cluster's PyTorch and to what the model needs), the logging options,
 * the optimizer's sharding and the paths of the checkout, the data and TensorBoard.
 */
import { createRng } from "../sim/rng.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { validationPlan } from "../sim/phases/train.ts";
import { styleInterval } from "./define.ts";

/** The two Megatron-Core releases this style prints: late 2024 and spring 2025. */
export type CoreRelease = "0.9.0" | "0.12.0";

/** One run's Megatron set-up. */
export interface MegatronProfile {
  core: CoreRelease;
  /** The 2025 release's wording and behaviour (rerun state machine, `[ t 1/1, p 1/1 ]`, ...). */
  later: boolean;
  logInterval: number;
  /** `--timing-log-level`: 0 only set-up, save and evaluation timers; 1 and 2 add per-interval ones. */
  timingLevel: 0 | 1 | 2;
  logNumZeros: boolean;
  logParamsNorm: boolean;
  /** `--tensorboard-dir`, or null without TensorBoard. */
  tensorboard: string | null;
  /** `--overlap-grad-reduce` and `--overlap-param-gather`. */
  overlap: boolean;
  distributedOptimizer: boolean;
  fsdp: boolean;
  /** Rank 0's memory lines reach the log before the last rank's first iteration line. */
  memoryFirst: boolean;
  /** Where Megatron-LM is checked out and where the interpreter's packages live. */
  repo: string;
  sitePackages: string;
  /** `--data-path`: the prefix of the tokenized `.bin`/`.idx` pair. */
  dataPrefix: string;
  evalIters: number;
  /** Pretrained weights a fine-tuning run starts from (`--load` with `--finetune`), or null. */
  pretrained: string | null;
}

const REPOS = ["/workspace/Megatron-LM", "/opt/megatron-lm", "~/Megatron-LM", "~/src/Megatron-LM"];

function torchMinor(cfg: RunConfig): number {
  return Number(cfg.cluster.torchVersion.split(".")[1]);
}

/**
 * Whether the run shards its weights across data-parallel ranks, which in Megatron takes the
 * 2025 release's FSDP2 support (and no pipeline or expert parallelism).
 */
function shardsWeights(cfg: RunConfig): boolean {
  const sharded = cfg.plan.strategy === "zero3" || cfg.plan.strategy === "fsdp";
  return sharded && !cfg.model.moe && cfg.plan.pp === 1;
}

/** 2025 for PyTorch 2.6 and later, for FSDP2, or for models the 2024 release cannot build. */
function coreRelease(cfg: RunConfig, fsdp: boolean): CoreRelease {
  const e = cfg.model.moe;
  const needsLater = e !== undefined && (e.sharedFfn > 0 || e.denseLayers > 0);
  const later = torchMinor(cfg) >= 6 || fsdp || needsLater || cfg.model.family === "deepseek";
  return later ? "0.12.0" : "0.9.0";
}

/** The prefix Megatron's preprocessing script gives a tokenized dataset. */
function dataPrefix(cfg: RunConfig): string {
  const path = cfg.dataset.path;
  const dir = path.includes(".") ? path.slice(0, path.lastIndexOf("/")) : path;
  const tokenizer = cfg.model.tokenizer.split("/").pop()!.toLowerCase();
  return `${dir}/megatron/${cfg.dataset.id}_${tokenizer}_text_document`;
}

/** Python's site-packages directory for the cluster's interpreter. */
function sitePackages(cfg: RunConfig): string {
  const c = cfg.cluster, py = c.pythonVersion.split(".").slice(0, 2).join(".");
  if (c.venv.startsWith("/usr/bin")) return `/usr/local/lib/python${py}/dist-packages`;
  return `${c.venv.replace(/\/bin\/python3?$/, "")}/lib/python${py}/site-packages`;
}

/** The run's Megatron set-up (a pure function of the run: every caller gets the same). */
export function megatronProfile(cfg: RunConfig): MegatronProfile {
  const rng = createRng(cfg.seed, "style:megatron:profile");
  const fsdp = shardsWeights(cfg);
  const core = coreRelease(cfg, fsdp);
  const moe = cfg.model.moe !== undefined;
  const level = rng.weighted([0, 1, 2] as const, [70, 20, 10]);
  const home = cfg.cluster.home;
  const repo = rng.pick(REPOS).replace("~", home);
  const tb = moe || rng.chance(0.7);
  return {
    core,
    later: core === "0.12.0",
    logInterval: styleInterval(cfg, rng.weighted([10, 20, 5], [70, 20, 10])),
    timingLevel: level,
    logNumZeros: rng.chance(moe ? 0.4 : 0.12),
    logParamsNorm: rng.chance(moe ? 0.4 : 0.12),
    tensorboard: tb ? `${cfg.outputDir}/tensorboard` : null,
    overlap: rng.chance(0.5),
    distributedOptimizer: cfg.plan.strategy !== "ddp" && !fsdp,
    fsdp,
    memoryFirst: rng.chance(0.5),
    repo,
    sitePackages: sitePackages(cfg),
    dataPrefix: dataPrefix(cfg),
    evalIters: Math.max(1, Math.ceil(validationPlan(cfg).samples / cfg.globalBatch)),
    pretrained: cfg.task === "finetune"
      ? `${cfg.cluster.ckptRoot}/${cfg.model.id}-mcore-tp${cfg.plan.tp}-pp${cfg.plan.pp}`
      : null,
  };
}
