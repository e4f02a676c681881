/**
 * Quantities some frameworks log beside the loss, as functions of the run and the step: the
 * mixture-of-experts load-balancing loss, the L2 norm of the parameters and the count of
 * gradient elements that are exactly zero. Noise comes in as an argument, so each caller's
 * seeded stream decides it.
 */
import type { RunConfig } from "../run_config.ts";
import { learningRate, type Schedule } from "./schedule.ts";

/**
 * The switch-transformer auxiliary loss over its coefficient: 1 when the router spreads tokens
 * evenly, about 1.4 at initialisation, settling at 1.01–1.02 within a few hundred steps.
 * `normal` is a standard normal draw.
 */
export function loadBalancingLoss(step: number, normal: number): number {
  return 1.012 + 0.42 * Math.exp(-step / 45) + 0.0016 * normal;
}

/** Sum of the learning rate over the first `step` steps, in steps at the peak rate. */
function fullRateSteps(cfg: RunConfig, step: number): number {
  const s: Schedule = {
    kind: cfg.schedule,
    lrMax: cfg.lrMax,
    lrMin: cfg.lrMin,
    warmupSteps: cfg.warmupSteps,
    totalSteps: cfg.totalSteps,
  };
  const samples = 48, width = step / samples;
  let sum = 0;
  for (let i = 0; i < samples; i++) sum += learningRate(s, (i + 0.5) * width);
  return (sum * width) / cfg.lrMax;
}

/**
 * L2 norm of all parameters: the initial weights' (std 0.02, output projections scaled down,
 * norm weights at 1), growing with the updates the learning rate has allowed.
 */
export function paramsNorm(cfg: RunConfig, step: number): number {
  const m = cfg.model;
  const matrices = 0.02 * 0.9 * Math.sqrt(m.params);
  const norms = Math.sqrt(m.hidden * (2 * m.layers + 1));
  const start = Math.hypot(matrices, norms);
  const learned = cfg.task === "pretrain" ? 0.6 : 0.04;
  return start * (1 + learned * (1 - Math.exp(-fullRateSteps(cfg, step) / 1500)));
}

/**
 * Gradient elements that are exactly zero on a model-parallel rank: embedding rows of padding
 * and of tokens no sequence of the batch used, experts no token was routed to, and a few
 * underflows. `u` is a uniform draw in [0, 1).
 */
export function numZeros(cfg: RunConfig, step: number, paddedVocab: number, u: number): number {
  const m = cfg.model, p = cfg.plan, h = m.hidden;
  const tokens = cfg.globalBatch * cfg.seqLen;
  const unseen = m.vocab * 0.55 * Math.exp(-tokens / (6 * m.vocab));
  let zeros = ((paddedVocab - m.vocab + unseen * (0.9 + 0.2 * u)) * h) / p.tp;
  const e = m.moe;
  if (e) {
    const experts = 3 * h * e.expertFfn * e.experts * (m.layers - e.denseLayers) / (p.tp * p.pp);
    const idle = 0.012 + 0.25 * Math.exp(-step / 30);
    zeros += experts * idle * (0.85 + 0.3 * u);
  }
  return Math.round(zeros + 10 ** (1 + 2.5 * u));
}
