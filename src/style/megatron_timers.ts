/**
 * Megatron's `(min, max) time across ranks (ms):` blocks: each timer's name padded with dots to
 * column 52, then its fastest and slowest rank. Set-up, save and evaluation timers time one
 * event; with `--timing-log-level` 1 or 2 the training timers print per interval, summed over
 * it and divided by the log interval.
 */
import type { RunConfig } from "../sim/run_config.ts";
import type { Rng } from "../sim/rng.ts";
import type { MegatronState } from "./megatron_state.ts";
import type { IterationNumbers } from "./megatron_train.ts";

/** A timer's fastest and slowest rank, ms. */
export type TimerRow = readonly [name: string, minMs: number, maxMs: number];

/** The block as `Timers.log` prints it. */
export function timerBlock(rows: readonly TimerRow[]): string[] {
  return [
    "(min, max) time across ranks (ms):",
    ...rows.map(([name, min, max]) =>
      `    ${(name + " ").padEnd(48, ".")}: (${min.toFixed(2)}, ${max.toFixed(2)})`
    ),
  ];
}

/** A timer whose ranks stopped within `spread` (a fraction) of the slowest. */
function row(name: string, maxMs: number, spread: number, rng: Rng): TimerRow {
  return [name, maxMs * (1 - spread * rng.next()), maxMs];
}

/** Seconds of a collective moving `bytes` across `ranks` at the run's bus bandwidth. */
function collectiveMs(cfg: RunConfig, bytes: number, ranks: number): number {
  if (ranks <= 1) return 0.02;
  return (bytes * (ranks - 1)) / ranks / (cfg.busbwGBps * 1e9) * 1000 + 0.08;
}

/** The optimizer's sub-timers for one iteration that applied its update (ms). */
function optimizerParts(cfg: RunConfig, st: MegatronState, rng: Rng): Array<[string, number]> {
  const p = cfg.plan, prof = st.profile;
  const local = cfg.model.params / (p.tp * p.pp);
  const shard = prof.distributedOptimizer ? local / p.dp : local;
  const hbm = cfg.gpu.bf16Tflops * 3e9;
  const parts: Array<[string, number]> = [];
  if (prof.distributedOptimizer && !prof.overlap) {
    parts.push(["params-all-gather", collectiveMs(cfg, local * 2, p.dp) * rng.range(1, 1.15)]);
  }
  parts.push(
    ["optimizer-clip-main-grad", 0.35 + (shard * 8) / hbm * 1000 * rng.range(1, 1.3)],
    ["optimizer-inner-step", 0.9 + (shard * 48) / hbm * 1000 * rng.range(1, 1.2)],
    ["optimizer-copy-main-to-model-params", 0.1 + (shard * 6) / hbm * 1000],
  );
  if (prof.logNumZeros) {
    parts.splice(1, 0, ["optimizer-count-zeros", 0.3 + (shard * 4) / hbm * 1000]);
  }
  return parts;
}

/** The order `training_log` lists its timers in (those that did not run are left out). */
const ORDER = [
  "forward-backward",
  "forward-compute",
  "backward-compute",
  "batch-generator",
  "forward-recv",
  "forward-send",
  "backward-recv",
  "backward-send",
  "forward-send-backward-recv",
  "backward-send-forward-recv",
  "layernorm-grads-all-reduce",
  "embedding-grads-all-reduce",
  "all-grads-sync",
  "params-all-gather",
  "optimizer-copy-to-main-grad",
  "optimizer-unscale-and-check-inf",
  "optimizer-clip-main-grad",
  "optimizer-count-zeros",
  "optimizer-inner-step",
  "optimizer-copy-main-to-model-params",
  "optimizer",
];

/** The timers of one interval at the run's timing level, ranks' spread drawn from `rng`. */
export function intervalTimers(
  cfg: RunConfig,
  st: MegatronState,
  n: IterationNumbers,
  rng: Rng,
): string[] {
  const p = cfg.plan, prof = st.profile, per = prof.logInterval;
  // Sums over the interval's iterations, divided by the log interval (not the iterations run).
  const share = n.iterations / per, applied = n.applied / per;
  const subs: TimerRow[] = [row("optimizer-copy-to-main-grad", 0.12 * share, 0.3, rng)];
  if (cfg.precision === "fp16") {
    subs.push(row("optimizer-unscale-and-check-inf", 0.6 * share, 0.2, rng));
  }
  for (const [name, ms] of optimizerParts(cfg, st, rng)) {
    if (applied > 0) {
      subs.push(row(name, ms * applied, name === "params-all-gather" ? 0.2 : 0.04, rng));
    }
  }
  const optimizerMs = 0.4 * share + subs.reduce((sum, r) => sum + r[2], 0);
  const gradBytes = (cfg.model.params / (p.tp * p.pp)) * 4;
  const sync = prof.overlap
    ? rng.range(3, 12)
    : collectiveMs(cfg, gradBytes, p.dp) * rng.range(0.97, 1.09);
  const total = n.elapsedMs * share;
  const fb = Math.max(total * 0.5, total * rng.range(0.985, 0.996) - optimizerMs);
  const rows: TimerRow[] = [
    row("forward-backward", fb, 0.0008, rng),
    row("layernorm-grads-all-reduce", (p.tp > 1 ? 0.9 : 0.03) * share, 0.5, rng),
    row("embedding-grads-all-reduce", (p.pp > 1 ? 4 : 0.04) * share, 0.5, rng),
    row("all-grads-sync", sync * share, 0.25, rng),
    ...subs,
    row("optimizer", optimizerMs, 0.01, rng),
  ];
  if (prof.timingLevel === 2) rows.push(...computeTimers(cfg, fb - sync * share, rng));
  return timerBlock(rows.sort((a, b) => ORDER.indexOf(a[0]) - ORDER.indexOf(b[0])));
}

/** Level 2's compute, data and pipeline timers, out of the forward-backward time. */
function computeTimers(cfg: RunConfig, computeMs: number, rng: Rng): TimerRow[] {
  const p = cfg.plan;
  const backward = cfg.plan.recompute === "full" ? 0.74 : 0.66;
  const comm = p.pp > 1 ? computeMs * 0.12 : 0;
  const work = computeMs - comm;
  // Data-parallel replicas compute alike; pipeline stages (embedding, head) do not.
  const spread = p.pp > 1 ? 0.3 : 0.025;
  const rows: TimerRow[] = [
    row("forward-compute", work * (1 - backward), spread, rng),
    row("backward-compute", work * backward, spread, rng),
    row("batch-generator", cfg.gradAccum * rng.range(0.08, 0.6), 0.6, rng),
  ];
  if (p.pp > 1) {
    rows.push(
      row("forward-recv", comm * 0.45, 0.9, rng),
      row("forward-send", comm * 0.08, 0.8, rng),
      row("backward-recv", comm * 0.3, 0.9, rng),
      row("backward-send", comm * 0.07, 0.8, rng),
      row("forward-send-backward-recv", comm * 0.6, 0.7, rng),
      row("backward-send-forward-recv", comm * 0.2, 0.7, rng),
    );
  }
  return rows;
}
