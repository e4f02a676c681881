/**
 * A run's pacing: what the training script decides about its rhythm (how often it logs and
 * evaluates, whether it evaluates before the first step, what its first step costs, how its
 * model starts). fauxtrain's defaults describe no script in particular; a framework style may
 * ask for its script's own pacing, drawn here from the seed so the simulation stays the judge.
 */
import { CHINCHILLA } from "./model/loss.ts";
import { createRng } from "./rng.ts";
import type { CrashKind } from "./facts.ts";
import type { RunChoices, RunConfig } from "./run_config.ts";

/** The pacing a run follows (every field has a default that changes nothing). */
export interface Pacing {
  /** Logged steps are those `logOffset` past a multiple of the log interval (nanoGPT: 1). */
  logOffset: number;
  /** Steps between evaluations besides the ends of epochs; 0 evaluates at epoch ends only. */
  evalInterval: number;
  /** Evaluate before the first step of every launch: a fresh start, `--resume` and a restart. */
  evalAtLaunch: boolean;
  /** Tokens one evaluation reads (all ranks together); 0 keeps the default validation pass. */
  evalTokens: number;
  /** Seconds a validation pass takes before its first batch (data loader, model.eval(), sync). */
  evalSetupS: number;
  /** Standard deviation of a validation loss around the curve (smaller for larger passes). */
  evalNoise: number;
  /** Whether the job converts its model to export formats after training (scripts that only save checkpoints do not). */
  exports: boolean;
  /** Estimate the training split's loss too at each evaluation (ValData.train_loss). */
  evalTrainLoss: boolean;
  /** Run the HellaSwag benchmark at each evaluation after the first (ValData.hellaswag). */
  hellaswag: boolean;
  /** Range of the first step's slowdown over a steady one (library set-up, allocator warm-up). */
  firstStepFactor: [number, number];
  /** Seconds torch.compile adds to the first step of each launch (0: nothing is compiled). */
  compileS: number;
  /** Loss above ln(vocab) of a freshly initialised model. */
  initExcess: number;
  /** The output head starts at zero: the first evaluation reads exactly ln(padded vocab). */
  zeroHead: boolean;
  /** Factor on tokens seen in the loss curve (a more token-efficient recipe reaches a loss sooner). */
  tokenScale: number;
  /** A GPU snapshot as every launch starts, the first and each relaunch (scripts that run nvidia-smi when they start). */
  relaunchSnapshot: boolean;
  /** How much slower the last step is than the first, as a fraction (a growing attention window). */
  stepRamp: number;
  /** Range of the step-to-step core noise (model/step_time.ts); undefined: the cluster's. */
  stepJitter?: [number, number];
  /** Range of even steps' extra share over odd ones; undefined: none. */
  stepAlternation?: [number, number];
  /**
   * Stages of a batch schedule: from each [fraction of the run], steps take [factor] times the
   * first stage's time (ascending fractions); undefined: one stage.
   */
  stepStages?: [number, number][];
  /**
   * The training loss a recipe's own logs show, [fraction of the run, loss] (ascending); the
   * loss curve follows it from its first point; undefined: the power law.
   */
  recordedLoss?: [number, number][];
  /** Whether steps now and then stall (a loader wait, a collection); undefined: yes. */
  stepStalls?: boolean;
  /**
   * The crashes outside CUDA the script's processes can show (no DataLoader workers, no loader
   * crash; a script without Python tracebacks, none).
   */
  crashes: readonly CrashKind[];
  /**
   * Whether a step can run out of memory mid-run: false for a program that allocates all it will
   * use before its first step (llm.c).
   */
  midRunOom: boolean;
  /**
   * The grad norm's shape when the recipe has its own: ranges of its first value and of its fast
   * decay (steps), then a plateau decaying over `plateauTau` steps; undefined keeps the default.
   */
  gradNorm?: GradNormShape;
}

/** A recipe's grad-norm shape (see Pacing.gradNorm). */
export interface GradNormShape {
  initial: [number, number];
  tau: [number, number];
  plateau: number;
  plateauTau: number;
}

/** What a style asks for; fields left out keep the default, ranges are drawn from the seed. */
export interface PacingRequest {
  /** Steps between logged steps, when the user fixed none. */
  logInterval?: number;
  logOffset?: number;
  /** Steps between checkpoints. */
  ckptInterval?: number;
  evalInterval?: number;
  evalAtLaunch?: boolean;
  evalTokens?: number;
  evalSetupS?: number;
  evalNoise?: number;
  exports?: boolean;
  evalTrainLoss?: boolean;
  hellaswag?: boolean;
  firstStepFactor?: [number, number];
  /** Range of compile seconds for the model's first step. */
  compileS?: [number, number];
  /** Range of the initial excess loss; omitted: 0 (the default curve). */
  initExcess?: [number, number];
  zeroHead?: boolean;
  /** Final training loss the run is tuned to reach (a speedrun's target); omitted: no tuning. */
  targetLoss?: number;
  relaunchSnapshot?: boolean;
  /** Range of the step-time growth over the run. */
  stepRamp?: [number, number];
  /** Range of the step-to-step core noise of a recipe that runs steadier than most. */
  stepJitter?: [number, number];
  /** Range of even steps' extra share over odd ones (a recipe that alternates). */
  stepAlternation?: [number, number];
  /** Stages of a batch schedule, as Pacing.stepStages. */
  stepStages?: [number, number][];
  /** The training curve a recipe's logs show, as Pacing.recordedLoss. */
  recordedLoss?: [number, number][];
  /** Whether steps now and then stall; omitted: yes. */
  stepStalls?: boolean;
  /** The crashes the script can show; omitted: every kind. */
  crashes?: readonly CrashKind[];
  /** Whether a step can run out of memory mid-run; omitted: yes. */
  midRunOom?: boolean;
  gradNorm?: { initial: [number, number]; tau: [number, number]; plateau: [number, number] };
  /**
   * Range of the script's speed relative to a well-tuned run of the same model on the same GPUs
   * (plain PyTorch scripts reach less than hand-written kernels); scales MFU and throughput.
   */
  efficiency?: [number, number];
  /**
   * The script's real recipe for a run drawn to fit a few minutes: the choices the run is drawn
   * again with (model, cluster, steps, resume, time limit). The style's pacing for the redrawn
   * run must name the same recipe (scenario.ts draws once more, never twice).
   */
  recipe?: Partial<RunChoices>;
  /** The recipe's peak and final learning rates and its warm-up steps. */
  lr?: { max: number; min: number; warmupSteps: number };
  /** The recipe's batch: sequences per GPU in a micro-batch and micro-batches per step. */
  batch?: { micro: number; accum: number };
  /** Seconds a steady step of the recipe takes on this cluster (sets throughput and MFU). */
  stepSeconds?: number;
}

/** Every kind of crash, for a script that can show them all. */
export const ALL_CRASHES: readonly CrashKind[] = Object.freeze([
  "loader_bus",
  "loader_killed",
  "host_oom",
  "disk_full",
  "segfault",
]);

/** The pacing of a run no style asked anything of. */
export const DEFAULT_PACING: Readonly<Pacing> = Object.freeze({
  logOffset: 0,
  evalInterval: 0,
  evalAtLaunch: false,
  evalTokens: 0,
  evalSetupS: 2.5,
  evalNoise: 0.006,
  exports: true,
  evalTrainLoss: false,
  hellaswag: false,
  firstStepFactor: [2.5, 7] as [number, number],
  compileS: 0,
  initExcess: 0,
  zeroHead: false,
  tokenScale: 1,
  relaunchSnapshot: false,
  stepRamp: 0,
  crashes: ALL_CRASHES,
  midRunOom: true,
});

/** The step-time factor of the stage a run is in at `fraction` of its steps (1 before any). */
export function stageFactor(stages: [number, number][] | undefined, fraction: number): number {
  let factor = 1;
  for (const [at, f] of stages ?? []) if (fraction >= at) factor = f;
  return factor;
}

/**
 * The factor on tokens that brings the loss curve to `target` at the run's last step (a recipe
 * whose data is harder than the default curve's gets a factor under 1), or 1 when the model
 * cannot reach it.
 */
export function tokenScaleFor(cfg: RunConfig, target: number): number {
  const c = CHINCHILLA;
  const rest = target - c.e - c.a / cfg.model.params ** c.alpha;
  if (!(rest > 0)) return 1;
  const tokens = (c.b / rest) ** (1 / c.beta);
  return Math.max(0.05, tokens / (cfg.totalSteps * cfg.tokensPerStep));
}

/**
 * Applies a style's request to a freshly drawn configuration, in place. `userLogInterval` is the
 * interval the user fixed, which a request never overrides.
 */
export function applyPacing(
  cfg: RunConfig,
  req: PacingRequest | undefined,
  userLogInterval: number | undefined,
  userCkptInterval?: number,
): void {
  if (!req) return;
  const rng = createRng(cfg.seed, "pacing");
  if (req.logInterval !== undefined && userLogInterval === undefined) {
    cfg.logInterval = req.logInterval;
  }
  if (req.ckptInterval !== undefined && userCkptInterval === undefined) {
    cfg.ckptInterval = req.ckptInterval;
  }
  const p: Pacing = { ...DEFAULT_PACING };
  p.logOffset = req.logOffset ?? 0;
  p.evalInterval = req.evalInterval ?? 0;
  p.evalAtLaunch = req.evalAtLaunch ?? false;
  p.evalTokens = req.evalTokens ?? 0;
  p.evalSetupS = req.evalSetupS ?? p.evalSetupS;
  p.evalNoise = req.evalNoise ?? p.evalNoise;
  p.exports = req.exports ?? true;
  p.evalTrainLoss = req.evalTrainLoss ?? false;
  p.hellaswag = req.hellaswag ?? false;
  p.firstStepFactor = req.firstStepFactor ?? p.firstStepFactor;
  p.compileS = req.compileS ? rng.range(req.compileS[0], req.compileS[1]) : 0;
  p.initExcess = req.initExcess ? rng.range(req.initExcess[0], req.initExcess[1]) : 0;
  p.zeroHead = req.zeroHead ?? false;
  p.tokenScale = req.targetLoss && cfg.task === "pretrain" ? tokenScaleFor(cfg, req.targetLoss) : 1;
  p.relaunchSnapshot = req.relaunchSnapshot ?? false;
  p.stepRamp = req.stepRamp ? rng.range(req.stepRamp[0], req.stepRamp[1]) : 0;
  p.stepJitter = req.stepJitter;
  p.stepAlternation = req.stepAlternation;
  p.stepStages = req.stepStages;
  p.recordedLoss = req.recordedLoss;
  p.stepStalls = req.stepStalls;
  p.crashes = req.crashes ?? ALL_CRASHES;
  p.midRunOom = req.midRunOom ?? true;
  if (req.gradNorm) {
    const g = req.gradNorm;
    p.gradNorm = {
      initial: g.initial,
      tau: g.tau,
      plateau: rng.range(g.plateau[0], g.plateau[1]),
      plateauTau: rng.range(120, 260),
    };
  }
  applyRecipe(cfg, req);
  if (req.efficiency) {
    const f = rng.range(req.efficiency[0], req.efficiency[1]);
    cfg.mfu *= f;
    cfg.tokensPerSecond *= f;
  }
  cfg.pacing = p;
}

/** The recipe's learning rates, batch and step time, in place (throughput follows the batch). */
function applyRecipe(cfg: RunConfig, req: PacingRequest): void {
  if (req.lr) {
    cfg.lrMax = req.lr.max;
    cfg.lrMin = req.lr.min;
    cfg.warmupSteps = req.lr.warmupSteps;
    cfg.schedule = "cosine";
  }
  if (req.batch) {
    cfg.plan = { ...cfg.plan, microBatch: req.batch.micro };
    cfg.gradAccum = req.batch.accum;
    cfg.globalBatch = req.batch.micro * cfg.plan.dp * req.batch.accum;
    cfg.tokensPerStep = cfg.globalBatch * cfg.seqLen;
  }
  if (req.stepSeconds) {
    const tokensPerSecond = cfg.tokensPerStep / req.stepSeconds;
    cfg.mfu *= tokensPerSecond / cfg.tokensPerSecond;
    cfg.tokensPerSecond = tokensPerSecond;
  }
}
