/**
 * The pacing each framework's training script gives a run (log and evaluation intervals, the
 * cost of its first step), asked of the simulation before it starts. Kept apart from the styles
 * so that choosing a style's pacing loads no style.
 */
import type { PacingRequest } from "../sim/pacing.ts";
import { freshStart } from "../sim/scenario.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import type { StyleName } from "./names.ts";
import { lightningPacing } from "./lightning_pacing.ts";
import { speedrunRecipe } from "./speedrun_eras.ts";
import { llmcFlags, llmcRecipe } from "./llmc_recipes.ts";
import { nanogptRecipe, TRAIN_GPT2 } from "./nanogpt_recipes.ts";
import { savesCheckpoints } from "./deepspeed_script.ts";

/** nanoGPT's eval_iters: batches per split that estimate_loss() averages (~2,400 sequences). */
export function nanogptEvalIters(cfg: RunConfig): number {
  if (cfg.totalSteps < 500) return 20;
  return Math.max(20, Math.min(200, Math.round(2400 / cfg.plan.microBatch / 10) * 10));
}

/** The largest of `choices` that still fits `times` into `steps` (else the smallest). */
function intervalFor(steps: number, times: number, choices: number[]): number {
  return [...choices].reverse().find((c) => steps / c >= times) ?? choices[0];
}

/**
 * nanoGPT's train.py: iterations counted from 0 (the sim's step 1 is `iter 0`), log_interval 1
 * or 10, an evaluation of both splits at iter 0 and every eval_interval (run by rank 0 alone),
 * a checkpoint at each, and a first iteration that pays for torch.compile. A run drawn to fit a
 * few minutes is a slice of config/train_gpt2.py (nanogpt_recipes.ts).
 */
function nanogptPacing(cfg: RunConfig): PacingRequest {
  const rng = createRng(cfg.seed, "pacing:nanogpt");
  // The intervals configs use: finetune_shakespeare.py's 5 for its 20 iterations, else 100 to
  // train.py's default 2000 (never an evaluation and checkpoint every ten iterations).
  const every = cfg.task === "finetune" && cfg.totalSteps <= 100
    ? 5
    : intervalFor(cfg.totalSteps, 6, [100, 200, 250, 500, 1000, 2000]);
  const recipe = cfg.scenario !== null ? nanogptRecipe(cfg) : null;
  const full = recipe?.batch !== undefined;
  const micro = recipe?.batch?.micro ?? cfg.plan.microBatch;
  const evalIters = full ? TRAIN_GPT2.evalIters : nanogptEvalIters(cfg);
  return {
    logInterval: cfg.totalSteps < 300 || rng.chance(0.3) ? 1 : 10,
    logOffset: 1,
    evalInterval: every,
    ckptInterval: every,
    evalAtLaunch: true,
    // Rank 0 evaluates alone: 2 splits × eval_iters batches, as long as the whole world's share.
    evalTokens: 2 * evalIters * micro * cfg.seqLen * cfg.worldSize,
    evalTrainLoss: true,
    firstStepFactor: [1.02, 1.25],
    compileS: [22, 75],
    initExcess: [0.08, 0.2],
    // Plain PyTorch with torch.compile: well short of tuned kernels, most of all on Hopper.
    ...(full ? {} : { efficiency: cfg.gpu.bf16Tflops > 500 ? [0.5, 0.66] : [0.78, 0.94] }),
    ...recipe,
  };
}

/** llm.c's val_loss_every (`-v`). */
export function llmcValEvery(cfg: RunConfig): number {
  return llmcFlags(cfg).valEvery;
}

/** llm.c's val_max_steps (`-m`): batches of B × T per process in each validation. */
export const LLMC_VAL_STEPS = 20;

/**
 * llm.c's train_gpt2cu: a line per step, validation at step 0 and every `-v` steps (HellaSwag
 * too when the run asks for it), and a first step barely slower than the rest (no compiling). A
 * run drawn to fit a few minutes is a slice of a real reproduction (llmc_recipes.ts).
 */
function llmcPacing(cfg: RunConfig): PacingRequest {
  const rng = createRng(cfg.seed, "pacing:llmc");
  const recipe = cfg.scenario !== null ? llmcRecipe(cfg) : {};
  const micro = recipe.batch?.micro ?? cfg.plan.microBatch;
  return {
    logInterval: 1,
    evalInterval: llmcFlags(cfg).valEvery,
    evalAtLaunch: true,
    evalTokens: LLMC_VAL_STEPS * micro * cfg.seqLen * cfg.worldSize,
    hellaswag: recipe.batch ? true : cfg.plan.microBatch >= 4 && rng.chance(0.75),
    firstStepFactor: [1.04, 1.18],
    // A d12 from scratch reads ~11.0 at step 0: ln(50257) and a little more.
    initExcess: [0.1, 0.22],
    gradNorm: gpt2GradNorm(cfg.model.params),
    ...recipe,
  };
}

/** GPT-2's grad norm from scratch: ~16 at step 1 (124M) to ~50 (1.5B), ~2 within ten steps. */
function gpt2GradNorm(params: number): PacingRequest["gradNorm"] {
  if (params < 2e8) return { initial: [18, 23], tau: [2.6, 3.6], plateau: [1.6, 2.4] };
  if (params < 6e8) return { initial: [24, 34], tau: [3, 4.5], plateau: [1.8, 2.8] };
  return { initial: [55, 75], tau: [4, 6], plateau: [2.2, 4] };
}

/** Tokens a modded-nanogpt record evaluates at each validation (val_tokens). */
export const SPEEDRUN_VAL_TOKENS = 10485760;
/** Validation loss a record run must reach: GPT-2 small's 3.28 and medium's 2.92. */
export function speedrunTarget(cfg: RunConfig): number | undefined {
  return cfg.model.params < 2e8 ? 3.28 : cfg.model.params < 5e8 ? 2.92 : undefined;
}

/**
 * modded-nanogpt's record script: a line per step, validation at step 0 and every
 * val_loss_every steps, compiling in the first steps, and a step count tuned so that the last
 * validation just reaches the target. GPT-2 small replays a real record (speedrun_eras.ts).
 */
function speedrunPacing(cfg: RunConfig): PacingRequest {
  const target = speedrunTarget(cfg);
  const base: PacingRequest = {
    logInterval: 1,
    evalInterval: 125,
    evalAtLaunch: true,
    evalTokens: SPEEDRUN_VAL_TOKENS,
    firstStepFactor: [1.4, 2.6],
    compileS: [15, 80],
    zeroHead: true,
    // The validation loss sits 0.025–0.035 above the training curve the target is set on, and a
    // record must end just under the target.
    ...(target ? { targetLoss: target - 0.027 } : {}),
    // The attention window grows over the run, and each step with it.
    stepRamp: [0.09, 0.17],
    relaunchSnapshot: true,
  };
  const era = speedrunRecipe(cfg);
  // Other models than GPT-2 small: hand-tuned kernels, faster than a well-tuned ordinary run.
  const other = era.stepSeconds === undefined
    ? { efficiency: [1.05, 1.3] as [number, number] }
    : {};
  return { ...base, ...other, ...era };
}

/**
 * transformers' `get_scheduler("cosine")` (the Trainer's, and DeepSpeed-Chat's) decays the
 * learning rate to zero at the last step: no floor.
 */
function toZero(cfg: RunConfig): { max: number; min: number; warmupSteps: number } {
  return { max: cfg.lrMax, min: 0, warmupSteps: cfg.warmupSteps };
}

/** Steps between checkpoints of a script that saves none before its end. */
const NEVER = 1_000_000_000;

/**
 * DeepSpeed-Chat's step-1 script: it evaluates before its first epoch; its own `main.py` saves
 * only the final model (some teams' copies add `save_checkpoint`).
 */
function deepspeedChatPacing(cfg: RunConfig): PacingRequest {
  return {
    // The script evaluates the pretrained model it loaded (a fine-tune's).
    evalAtLaunch: cfg.task === "finetune",
    ...(savesCheckpoints(cfg) ? {} : { ckptInterval: NEVER }),
  };
}

/** The pacing style `name` asks for the run `cfg`, or undefined for fauxtrain's defaults. */
export function stylePacing(name: StyleName, cfg: RunConfig): PacingRequest | undefined {
  switch (name) {
    case "nanogpt":
      // get_batch() reads a memmap in the training process: no DataLoader workers to lose.
      return { ...nanogptPacing(cfg), crashes: ["host_oom", "disk_full", "segfault"] };
    case "llmc":
      // llm.c allocates everything it will use before its first step.
      return { ...llmcPacing(cfg), crashes: [], midRunOom: false };
    case "speedrun":
      return { ...speedrunPacing(cfg), crashes: [] };
    case "lightning":
      return { ...lightningPacing(cfg), crashes: [] };
    case "torchrun":
      // torchtitan loads in-process (num_workers 0) and saves through DCP, not torch.save.
      return { crashes: ["host_oom", "segfault"] };
    case "megatron":
      // Megatron's loaders run --num-workers processes; its torch_dist checkpoints go through DCP.
      return { crashes: ["loader_bus", "loader_killed", "host_oom", "segfault"] };
    case "deepspeed": {
      const own = deepspeedChatPacing(cfg);
      // DeepSpeed-Chat's scripts cannot resume: a run drawn as a resumed slice starts afresh,
      // and one drawn with checkpoints its script does not write is drawn again without them.
      const saves = own.ckptInterval !== undefined && cfg.ckptInterval !== own.ckptInterval;
      const redraw = cfg.scenario !== null && (cfg.resumeStep > 0 || saves);
      const recipe = redraw
        ? { recipe: { ...freshStart(cfg), ...(saves ? { ckptInterval: own.ckptInterval } : {}) } }
        : {};
      return { ...recipe, lr: toZero(cfg), ...own };
    }
    case "hf":
      return { lr: toZero(cfg) };
    default:
      return undefined;
  }
}

/** The pacing hook for `--style` (RunChoices.pacing): `auto` asks the style it will pick. */
export function pacingHook(
  style: "auto" | StyleName,
  auto: (cfg: RunConfig) => StyleName,
): (cfg: RunConfig) => PacingRequest | undefined {
  return (cfg) => stylePacing(style === "auto" ? auto(cfg) : style, cfg);
}
