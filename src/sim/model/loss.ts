/**
 * Loss and gradient-norm curves. Pretraining starts near ln(vocab), falls fast, then follows a
 * Chinchilla power law in tokens seen; fine-tuning decays from 1.3–2.0 toward 0.3–1.1 with a
 * drop at each new epoch. Noise is autocorrelated (AR(1)), never white.
 */

/** Chinchilla fit (Hoffmann et al. 2022): L(N, D) = E + A/N^α + B/D^β. */
export const CHINCHILLA = { e: 1.69, a: 406.4, b: 410.7, alpha: 0.34, beta: 0.28 } as const;

/** Everything the smooth loss curve depends on. */
export interface LossCurve {
  kind: "pretrain" | "finetune";
  params: number;
  vocab: number;
  tokensPerStep: number;
  totalSteps: number;
  stepsPerEpoch: number;
  /** Fine-tuning only: loss at step 1 and the level the curve approaches. */
  startLoss: number;
  endLoss: number;
  /** Fine-tuning only: fraction of the loss shed at each new epoch (memorisation). */
  epochDrop: number;
  /** Pretraining only: loss above ln(vocab) of the freshly initialised model (default 0). */
  initExcess?: number;
  /** Pretraining only: factor on tokens seen, for recipes that learn faster (default 1). */
  tokenScale?: number;
  /** Pretraining only: the learning rate's linear warm-up, in steps (default none). */
  warmupSteps?: number;
  /**
   * Pretraining only: the curve a recipe's own logs show, [fraction of the run, loss] in
   * ascending order; from its first point on the loss runs straight between them (default none).
   */
  recorded?: [number, number][];
}

/**
 * Steps' worth of learning after `step` steps of a `warmup`-step linear warm-up: a step at a
 * fraction f of the peak rate counts about √f of a full one (Adam's steps scale with the rate,
 * but the first, coarse things a model learns need little of it). Past the warm-up, one each.
 */
export function effectiveSteps(step: number, warmup: number): number {
  if (warmup <= 0 || step >= warmup) return step;
  return step * Math.sqrt(step / warmup);
}

/** Steps over which pretraining loss sheds the excess above the power law (about e^-3 by 100). */
const PRETRAIN_FAST_STEPS = 35;
/** Steps over which a random initialisation's excess over ln(vocab) disappears. */
const INIT_EXCESS_STEPS = 6;

/** Chinchilla loss for `params` parameters after `tokens` tokens. */
export function chinchillaLoss(params: number, tokens: number): number {
  const c = CHINCHILLA;
  return c.e + c.a / params ** c.alpha + c.b / Math.max(1, tokens) ** c.beta;
}

/**
 * Beyond this many e-folds a decaying term (at most ~50 here) is far below half an ulp of the
 * level it is added to, so the sum is that level exactly: the exp can be skipped.
 */
const NEGLIGIBLE_EFOLDS = 60;

/** Noise-free training loss after optimizer step `step` (1-based). */
export function expectedLoss(c: LossCurve, step: number): number {
  if (c.kind === "pretrain") {
    return c.recorded && c.recorded.length > 0 ? recordedLoss(c, step) : powerLawLoss(c, step);
  }
  const tau = Math.max(3, c.totalSteps * 0.03);
  const decay = (1 + (step - 1) / tau) ** -0.7;
  const epoch = Math.floor((step - 1) / c.stepsPerEpoch);
  const base = c.endLoss + (c.startLoss - c.endLoss) * decay;
  return base * (1 - c.epochDrop) ** epoch;
}

/**
 * A recorded curve: straight between its points; before the first, the power law's fall from
 * its start, rescaled to land on the first point.
 */
function recordedLoss(c: LossCurve, step: number): number {
  const pts = c.recorded!;
  const f = step / Math.max(1, c.totalSteps);
  const [f0, l0] = pts[0];
  if (f < f0) {
    const start = powerLawLoss(c, 1), end = powerLawLoss(c, f0 * c.totalSteps);
    const share = start > end ? (powerLawLoss(c, step) - end) / (start - end) : 0;
    return l0 + (start - l0) * share;
  }
  for (let i = 1; i < pts.length; i++) {
    const [fa, la] = pts[i - 1], [fb, lb] = pts[i];
    if (f <= fb) return la + ((lb - la) * (f - fa)) / Math.max(1e-9, fb - fa);
  }
  return pts[pts.length - 1][1];
}

/** The power-law pretraining curve: a fast fall from ln(vocab), then Chinchilla in tokens. */
function powerLawLoss(c: LossCurve, step: number): number {
  const lnV = Math.log(c.vocab);
  const eff = effectiveSteps(step, c.warmupSteps ?? 0);
  const tokens = eff * c.tokensPerStep * (c.tokenScale ?? 1);
  const law = Math.min(lnV, chinchillaLoss(c.params, tokens));
  const efolds = Math.max(0, eff - 1) / PRETRAIN_FAST_STEPS;
  if (efolds > NEGLIGIBLE_EFOLDS) return law;
  const excess = c.initExcess ? c.initExcess * Math.exp(-(step - 1) / INIT_EXCESS_STEPS) : 0;
  return law + (lnV - law) * Math.exp(-efolds) + excess;
}

/** Relative size of the loss noise (log-space standard deviation). */
export function lossNoiseSigma(c: LossCurve): number {
  return c.kind === "pretrain" ? 0.012 : 0.05;
}

/** Next value of an AR(1) process with correlation `rho` and stationary deviation `sigma`. */
export function ar1(prev: number, rho: number, sigma: number, normal: number): number {
  return rho * prev + Math.sqrt(1 - rho * rho) * sigma * normal;
}

/** Grad-norm curve parameters. */
export interface GradNormCurve {
  initial: number;
  steady: number;
  tauSteps: number;
  totalSteps: number;
  /** A slower second decay some recipes show after the first drop (default none). */
  plateau?: number;
  plateauTauSteps?: number;
}

/** Noise-free gradient norm: high at the start, settling, creeping up as the LR decays. */
export function expectedGradNorm(g: GradNormCurve, step: number): number {
  const t = step / Math.max(1, g.totalSteps);
  const level = g.steady * (1 + 0.2 * t * t);
  const efolds = step / g.tauSteps;
  const slow = g.plateau ? g.plateau * Math.exp(-step / (g.plateauTauSteps ?? 1)) : 0;
  return efolds > NEGLIGIBLE_EFOLDS
    ? level + slow
    : level + slow + (g.initial - g.steady) * Math.exp(-efolds);
}

/** Validation loss: the smooth training curve plus a generalisation gap growing per epoch. */
export function validationLoss(c: LossCurve, step: number, epoch: number, noise: number): number {
  const gap = c.kind === "pretrain" ? 0.025 + 0.01 * epoch : 0.04 + 0.09 * epoch;
  return expectedLoss(c, step) + gap + noise;
}

/** Loss of a model whose output head starts at zero: uniform logits over the padded vocabulary. */
export function uniformLoss(vocab: number): number {
  return Math.log(Math.ceil(vocab / 128) * 128);
}

/**
 * HellaSwag accuracy (acc_norm) that goes with a validation loss: chance (0.25) for an untrained
 * model, ~0.30 at a loss of 3.27 and ~0.38 at 2.95 (GPT-2 124M and 350M trained on FineWeb).
 */
export function hellaswagAccuracy(loss: number): number {
  return Math.min(0.9, 0.25 + 0.386 * Math.exp(-2.42 * (loss - 2.5)));
}

/** Next-token accuracy that goes with a loss (fitted to published pairs: 2.0 → 0.55, 0.5 → 0.86). */
export function tokenAccuracy(loss: number): number {
  return Math.exp(-0.3 * loss);
}
