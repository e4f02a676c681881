/**
 * Quantities some frameworks log beside the loss, as functions of the run and the step: the
 * mixture-of-experts load-balancing loss, the L2 norm of the parameters and the count of
 * gradient elements that are exactly zero. Noise comes in as an argument, so each caller's
 * seeded stream decides it.
 */
import type { RunConfig } from "../run_config.ts";
import { learningRate, scheduleOf } from "./schedule.ts";
import { hashUnit } from "../rng.ts";

/**
 * The switch-transformer auxiliary loss over its coefficient: 1 when the router spreads tokens
 * evenly, about 1.4 at initialisation, settling at 1.01–1.02 within a few hundred steps.
 * `normal` is a standard normal draw.
 */
export function loadBalancingLoss(step: number, normal: number): number {
  return 1.012 + 0.42 * Math.exp(-step / 45) + 0.0016 * normal;
}

/**
 * Integral of the learning rate over the first `step` steps, in steps at the peak rate (exact,
 * so that it grows smoothly step by step at any run length).
 */
export function fullRateSteps(cfg: RunConfig, step: number): number {
  const w = Math.max(1, cfg.warmupSteps), a = cfg.lrMin / cfg.lrMax;
  if (step <= w) return (step * step) / (2 * w);
  const span = Math.max(1, cfg.totalSteps - w), x = Math.min(step - w, span);
  const tail = a * Math.max(0, step - w - span);
  if (cfg.schedule === "cosine") {
    return w / 2 + a * x + 0.5 * (1 - a) * (x + (span / Math.PI) * Math.sin((Math.PI * x) / span)) +
      tail;
  }
  // Warmup-stable-decay: flat, then a linear cool-down over the last fifth.
  const flat = 0.8 * span, d = Math.max(0, x - flat), len = span - flat;
  return w / 2 + Math.min(x, flat) + d - ((1 - a) * d * d) / (2 * len) + tail;
}

/**
 * L2 norm of all parameters: the initial weights' (std 0.02, output projections scaled down,
 * norm weights at 1), growing fast with the first updates, then slowly for as long as the
 * learning rate moves the weights, while weight decay pulls it back as the rate decays (the
 * norm settles where the two balance, and drifts with the rate).
 */
export function paramsNorm(cfg: RunConfig, step: number): number {
  const m = cfg.model;
  const matrices = 0.02 * 0.9 * Math.sqrt(m.params);
  const norms = Math.sqrt(m.hidden * (2 * m.layers + 1));
  const start = Math.hypot(matrices, norms);
  const learned = cfg.task === "pretrain" ? 0.6 : 0.04;
  const f = fullRateSteps(cfg, step);
  const rate = learningRate(scheduleOf(cfg), step) / cfg.lrMax;
  const grown = (1 - Math.exp(-f / 1500)) + 0.12 * Math.log1p(f / 5000) - 0.05 * (1 - rate);
  // Each update's own direction moves the norm a little either way, more while the rate is high:
  // a seeded walk, rough from step to step and drifting over hundreds.
  const wobble = [1, 7, 61, 701].reduce(
    (sum, span, k) => sum + Math.sqrt(span) * valueNoise(cfg.seed, k, step / span),
    0,
  );
  return start * (1 + learned * grown + 1e-5 * (0.3 + rate) * wobble * Math.min(1, f / 50));
}

/** Seeded noise in [-1, 1], smooth between whole `x`, independent between octaves `k`. */
function valueNoise(seed: number, k: number, x: number): number {
  const i = Math.floor(x), t = x - i, s = t * t * (3 - 2 * t);
  const at = (n: number) => 2 * hashUnit(seed, 0x6e6f, k, n) - 1;
  return at(i) + (at(i + 1) - at(i)) * s;
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
