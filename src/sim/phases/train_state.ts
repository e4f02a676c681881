/** The evolving state of the training loop and the pure step update that drives it. */
import { createRng, type Rng } from "../rng.ts";
import type { RunConfig } from "../run_config.ts";
import { stageFactor } from "../pacing.ts";
import {
  ar1,
  expectedGradNorm,
  expectedLoss,
  type GradNormCurve,
  type LossCurve,
  lossNoiseSigma,
} from "../model/loss.ts";
import { learningRate, type Schedule, scheduleOf } from "../model/schedule.ts";

export { scheduleOf };
import {
  drawStepTimeModel,
  stepTimeFactor,
  type StepTimeModel,
  type StepTimeState,
} from "../model/step_time.ts";
import { NoiseLog, type NoiseReplay, type StepNoise } from "./noise_log.ts";

/** Everything the training loop carries from one step to the next. */
export interface TrainState {
  step: number;
  trainStartMs: number;
  /** The step that pays the start-up cost: 1, or the first step after a resume or restart. */
  warmStep: number;
  /** The last saved (or resumed-from) checkpoint: what a restart rolls back to. */
  lastCkpt: CheckpointMark;
  /** Noise of each step since that checkpoint, and (last first) the noise a rollback replays. */
  noiseSinceCkpt: NoiseLog;
  /** After a rollback: the noise the first pass drew, replayed step by step. */
  replay: NoiseReplay | null;
  /** The current step's noise and numbers (objects refilled every step: nothing to collect). */
  noise: StepNoise;
  numbers: StepNumbers;
  /** Fault events so far, and steps run again after rolling back to a checkpoint. */
  faults: number;
  stepsReplayed: number;
  /** Micro batch and gradient accumulation now (an out-of-memory recovery halves the first). */
  microBatch: number;
  gradAccum: number;
  curve: LossCurve;
  gradCurve: GradNormCurve;
  schedule: Schedule;
  lossNoise: number;
  gradNoise: number;
  /** The run's step-time character and where its wandering parts are (model/step_time.ts). */
  speedModel: StepTimeModel;
  speedState: StepTimeState;
  /** Seconds of the first step (CUDA graph capture, compile, allocator warm-up) over a steady one. */
  firstStepFactor: number;
  /** EMA of step seconds, null before the second step. */
  emaStepS: number | null;
  /** Multiplier on the next step's time after a pause (validation, checkpoint). */
  resumePenalty: number;
  lossScale: number;
  /** fp16: loss scale the early overflow burst settles at. */
  lossScaleFloor: number;
  /** fp16: overflows still tolerated before the scale halves (the scaler's delayed shift). */
  hysteresis: number;
  /** fp16: step of the last overflow, where the growth window counts from (0 before any). */
  lastOverflowStep: number;
  skipped: number;
  lastLoss: number;
  bestValLoss: number;
  checkpoints: number;
  /** Per-domain loss offsets (weighted mean 0), one per dataset domain. */
  domainOffsets: number[];
  rngLoss: Rng;
  rngGrad: Rng;
  rngSpeed: Rng;
  rngEvents: Rng;
  /** Spread of repeated durations (validations, checkpoint writes): no two take the same time. */
  rngDurations: Rng;
  /** Noise of what an evaluation measures besides the validation loss (train split, HellaSwag). */
  rngEval: Rng;
}

/** A checkpoint's step and when it was saved. */
export interface CheckpointMark {
  step: number;
  simMs: number;
}

/** One optimizer step's numbers. */
export interface StepNumbers {
  loss: number;
  gradNorm: number;
  lr: number;
  stepS: number;
  overflow: boolean;
  /** The update was not applied (overflow, or a batch skipped for non-finite or spiking grads). */
  skipped: boolean;
  /** fp16 overflow: the loss scale the step tried, and the hysteresis left before it. */
  attemptedScale: number;
  hysteresisBefore: number;
}

/** What the faults in flight do to one step: factors on loss, grad norm and step time. */
export interface StepDisturbance {
  lossFactor: number;
  gradFactor: number;
  speedFactor: number;
  /** Force an fp16 overflow (loss scale halved, update skipped). */
  overflow: boolean;
  /** Skip the batch (non-finite or spiking gradients). */
  skip: boolean;
}

/** A step nothing disturbs. */
export const CALM: StepDisturbance = Object.freeze({
  lossFactor: 1,
  gradFactor: 1,
  speedFactor: 1,
  overflow: false,
  skip: false,
});

/** Fresh state for a run, before the first step. */
export function initialTrainState(cfg: RunConfig, trainStartMs: number): TrainState {
  const rng = createRng(cfg.seed, "train");
  const domains = cfg.dataset.domains;
  const raw = domains.map(() => rng.range(-0.12, 0.12));
  const mean = raw.reduce((s, o, i) => s + o * domains[i].weight, 0);
  const s: TrainState = {
    step: cfg.resumeStep,
    trainStartMs,
    warmStep: cfg.resumeStep + 1,
    lastCkpt: { step: cfg.resumeStep, simMs: trainStartMs },
    noiseSinceCkpt: new NoiseLog(),
    replay: null,
    noise: { lossAr: 0, white: 0, grad: 0 },
    numbers: {
      loss: 0,
      gradNorm: 0,
      lr: 0,
      stepS: 0,
      overflow: false,
      skipped: false,
      attemptedScale: 1,
      hysteresisBefore: 0,
    },
    faults: 0,
    stepsReplayed: 0,
    microBatch: cfg.plan.microBatch,
    gradAccum: cfg.gradAccum,
    curve: {
      kind: cfg.task,
      params: cfg.model.params,
      vocab: cfg.model.vocab,
      tokensPerStep: cfg.tokensPerStep,
      totalSteps: cfg.totalSteps,
      stepsPerEpoch: cfg.stepsPerEpoch,
      startLoss: rng.range(1.3, 2.0),
      endLoss: rng.range(0.45, 1.0),
      epochDrop: rng.range(0.05, 0.12),
      initExcess: cfg.pacing.initExcess,
      tokenScale: cfg.pacing.tokenScale,
      warmupSteps: cfg.warmupSteps,
      recorded: cfg.pacing.recordedLoss,
    },
    gradCurve: gradCurve(cfg, rng),
    schedule: scheduleOf(cfg),
    lossNoise: 0,
    gradNoise: 0,
    speedModel: drawStepTimeModel(createRng(cfg.seed, "speed:model"), cfg.nodes, {
      core: cfg.pacing.stepJitter,
      alternation: cfg.pacing.stepAlternation,
      stalls: cfg.pacing.stepStalls,
    }),
    speedState: { core: 0, drift: 0 },
    firstStepFactor: rng.range(cfg.pacing.firstStepFactor[0], cfg.pacing.firstStepFactor[1]),
    emaStepS: null,
    resumePenalty: 1,
    lossScale: cfg.precision === "fp16" ? initialLossScale(cfg) : 1,
    lossScaleFloor: 2 ** rng.int(11, 15),
    hysteresis: LOSS_SCALE_HYSTERESIS,
    lastOverflowStep: cfg.resumeStep,
    skipped: 0,
    lastLoss: Math.log(cfg.model.vocab),
    bestValLoss: Infinity,
    checkpoints: 0,
    domainOffsets: raw.map((o) => o - mean),
    rngLoss: createRng(cfg.seed, "loss"),
    rngGrad: createRng(cfg.seed, "grad"),
    rngSpeed: createRng(cfg.seed, "speed"),
    rngEvents: createRng(cfg.seed, "train-events"),
    rngDurations: createRng(cfg.seed, "durations"),
    rngEval: createRng(cfg.seed, "eval"),
  };
  // A resumed fp16 run restores the settled loss scale from its checkpoint.
  if (cfg.precision === "fp16" && cfg.resumeStep > 0) s.lossScale = s.lossScaleFloor;
  return s;
}

/** Overflows a dynamic loss scaler tolerates before it halves (DeepSpeed's and Megatron's 2). */
export const LOSS_SCALE_HYSTERESIS = 2;
/** Clean steps after the last overflow before the loss scale doubles (both frameworks' 1000). */
export const LOSS_SCALE_WINDOW = 1000;

/** fp16's first loss scale: Megatron's default 2^32, DeepSpeed's and torch's 2^16. */
export function initialLossScale(cfg: RunConfig): number {
  return cfg.plan.strategy === "megatron" ? 2 ** 32 : 2 ** 16;
}

/**
 * One step of a dynamic loss scaler (DeepSpeed's DynamicLossScaler, Megatron's grad scaler): an
 * overflow first spends the hysteresis, then halves the scale; a clean step that closes a window
 * of clean steps since the last overflow doubles it and restores the hysteresis.
 */
function updateLossScale(s: TrainState, n: StepNumbers, step: number, overflow: boolean): void {
  n.attemptedScale = s.lossScale;
  n.hysteresisBefore = s.hysteresis;
  if (overflow) {
    if (s.hysteresis > 1) s.hysteresis -= 1;
    else s.lossScale = Math.max(1, s.lossScale / 2);
    s.lastOverflowStep = step;
  } else if ((step - s.lastOverflowStep) % LOSS_SCALE_WINDOW === 0) {
    s.lossScale *= 2;
    s.hysteresis = LOSS_SCALE_HYSTERESIS;
  }
}

/** The grad-norm curve: drawn from the defaults, or from the ranges the run's pacing sets. */
function gradCurve(cfg: RunConfig, rng: Rng): GradNormCurve {
  const pretrain = cfg.task === "pretrain";
  const own = cfg.pacing.gradNorm;
  // The same three draws either way, so the streams after them stay where they were.
  const initial = own ? rng.range(...own.initial) : pretrain ? rng.range(18, 48) : rng.range(2, 9);
  const steady = pretrain ? rng.range(0.14, 0.26) : rng.range(0.35, 0.9);
  const tauSteps = own ? rng.range(...own.tau) : pretrain ? rng.range(20, 60) : rng.range(5, 20);
  const curve: GradNormCurve = { initial, steady, tauSteps, totalSteps: cfg.totalSteps };
  if (own) {
    curve.plateau = own.plateau;
    curve.plateauTauSteps = own.plateauTau;
  }
  return curve;
}

/** Steady seconds per step from the run's throughput. */
export function steadyStepSeconds(cfg: RunConfig): number {
  return cfg.tokensPerStep / cfg.tokensPerSecond;
}

/**
 * How much of the loss noise shows at an expected loss of `expected`: a freshly initialised model
 * predicts almost the same for every batch, so the noise grows as pre-training loss leaves
 * ln(vocab).
 */
export function noiseSpread(curve: LossCurve, expected: number): number {
  if (curve.kind !== "pretrain") return 1;
  return Math.min(1, Math.max(0.1, (Math.log(curve.vocab) - expected) / 2.5));
}

/** Draws the next step's noise into `out`. */
function freshNoise(s: TrainState, out: StepNoise): void {
  // Each batch is other documents: most of a step's loss noise is its own (white, in log
  // space); the rest wanders with the data's order and the optimizer's state.
  const sigma = lossNoiseSigma(s.curve);
  out.lossAr = ar1(s.lossNoise, 0.75, 0.7 * sigma, s.rngLoss.normal());
  out.white = 0.7 * sigma * s.rngLoss.normal();
  out.grad = ar1(s.gradNoise, 0.55, 0.12, s.rngGrad.normal());
}

/** The step's noise: replayed after a rollback while the first pass's lasts, else fresh. */
function stepNoise(s: TrainState): StepNoise {
  const noise = s.noise;
  const r = s.replay;
  if (r && r.next < r.log.steps) r.log.read(r.next++, noise);
  else freshNoise(s, noise);
  s.noiseSinceCkpt.push(noise.lossAr, noise.white, noise.grad);
  return noise;
}

/**
 * Advances the state by one optimizer step and returns that step's numbers (in `s.numbers`,
 * valid until the next step).
 */
export function nextStep(cfg: RunConfig, s: TrainState, d: StepDisturbance = CALM): StepNumbers {
  s.step += 1;
  const step = s.step;
  const noise = stepNoise(s);
  s.lossNoise = noise.lossAr;
  s.gradNoise = noise.grad;
  const expected = expectedLoss(s.curve, step);
  const spread = noiseSpread(s.curve, expected);
  const smooth = expected * Math.exp(spread * (s.lossNoise + noise.white));
  const loss = smooth * d.lossFactor;
  const gradNorm = expectedGradNorm(s.gradCurve, step) * Math.exp(s.gradNoise) * d.gradFactor;
  const jitter = stepTimeFactor(s.speedModel, s.speedState, step, s.rngSpeed);
  const warm = step === s.warmStep ? s.firstStepFactor : 1;
  // A script that compiles its model pays for it in the first step of each launch.
  const compileS = step === s.warmStep ? cfg.pacing.compileS : 0;
  const ramp = (cfg.pacing.stepRamp === 0 ? 1 : 1 + cfg.pacing.stepRamp * (step / cfg.totalSteps)) *
    stageFactor(cfg.pacing.stepStages, step / cfg.totalSteps);
  const stepS = steadyStepSeconds(cfg) * jitter * warm * s.resumePenalty *
      d.speedFactor * ramp + compileS;
  s.resumePenalty = 1;
  const fp16 = cfg.precision === "fp16";
  // Under fp16 a batch skipped for non-finite gradients is the scaler's overflow.
  const overflow = fp16 && (s.lossScale > s.lossScaleFloor || d.overflow || d.skip);
  const n = s.numbers;
  if (fp16) updateLossScale(s, n, step, overflow);
  const skipped = overflow || d.skip;
  if (skipped) s.skipped += 1;
  // The warm-up step stays out of the EMA (a fresh process has none; a restarted one keeps it).
  if (step !== s.warmStep) {
    s.emaStepS = s.emaStepS === null ? stepS : 0.9 * s.emaStepS + 0.1 * stepS;
  }
  s.lastLoss = loss;
  n.loss = loss;
  n.gradNorm = gradNorm;
  n.lr = skipped ? 0 : learningRate(s.schedule, step);
  n.stepS = stepS;
  n.overflow = overflow;
  n.skipped = skipped;
  return n;
}

/** `seconds` as one occurrence takes it: within a few percent of the plan, never twice the same. */
export function jitteredSeconds(s: TrainState, seconds: number, spread: number): number {
  return seconds * Math.exp(spread * Math.max(-2.5, Math.min(2.5, s.rngDurations.normal())));
}

/** Records a checkpoint saved at the current step. */
export function markCheckpoint(s: TrainState, simMs: number): void {
  s.lastCkpt = { step: s.step, simMs };
  // The log starts over in its own memory: a replay holds only logs a rollback handed over.
  s.noiseSinceCkpt.clear();
}

/**
 * Rolls the state back to the last checkpoint after a restart. The restored weights see the same
 * batches again, so the replayed steps repeat the first pass's loss and grad norm; step times
 * are new, and the first step pays the start-up cost again.
 */
export function rollBack(s: TrainState): void {
  const c = s.lastCkpt;
  s.stepsReplayed += s.step - c.step;
  s.step = c.step;
  s.warmStep = c.step + 1;
  s.replay = { log: s.noiseSinceCkpt, next: 0 };
  s.noiseSinceCkpt = new NoiseLog();
}

/** Seconds left by the EMA of recent step times (the last step's time until there is an EMA). */
export function etaSeconds(cfg: RunConfig, s: TrainState, lastStepS: number): number {
  return (s.emaStepS ?? lastStepS) * (cfg.totalSteps - s.step);
}

/** Per-domain losses that average, by the mixture's weights, to `loss`. */
export function domainLosses(cfg: RunConfig, s: TrainState, loss: number): Record<string, number> {
  const out: Record<string, number> = {};
  cfg.dataset.domains.forEach((d, i) => (out[d.name] = loss * (1 + s.domainOffsets[i])));
  return out;
}
