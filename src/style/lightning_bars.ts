/**
 * Lightning's TQDMProgressBar as it writes to the job's output: the sanity-check bar, the
 * "Training" bar renamed "Epoch N" at each epoch, each refresh printed twice (once when `n` is
 * set, once more when the metrics are set), and the validation bar one line below it. Bars
 * refresh every `refresh_rate` batches and on an epoch's last batch; their rate is the overall
 * average since the bar was reset (Lightning sets `n` itself, so tqdm's EMA never runs).
 */
import type { StepData } from "../sim/events.ts";
import { validationPlan } from "../sim/phases/train.ts";
import { close, describe, openBar, reset, setN, setPostfix, update } from "../format/tqdm_bar.ts";
import { type LightningState, postfixText, write } from "./lightning_state.ts";
import { evalModeWarning, syncDistWarning, workersWarning } from "./lightning_setup.ts";
import { moduleModes } from "./lightning_summary.ts";

/** Seconds between two writes of one callback (a metrics dict built, a bar closed). */
/** Seconds a validation pass spends before its first batch, as the run is paced. */
function cfgSetup(st: LightningState): number {
  return st.cfg.pacing.evalSetupS;
}

function gap(st: LightningState): number {
  return st.rng.range(0.0003, 0.004);
}

function due(st: LightningState, n: number, total: number): boolean {
  return n % st.p.r.refreshRate === 0 || n === total;
}

/** The sanity check before the first epoch of a process: validation batches on a cleared bar. */
export function sanityCheck(st: LightningState, nowS: number): void {
  const plan = validationPlan(st.cfg);
  const perBatch = Math.max(0.05, plan.seconds - cfgSetup(st)) / plan.batches;
  const total = Math.min(st.p.r.sanitySteps, plan.batches);
  // num_sanity_val_steps=0: no sanity loop, no bar.
  if (total === 0) return;
  const times = [perBatch * st.rng.range(1.8, 4.5), perBatch * st.rng.range(0.92, 1.1)];
  let t = nowS - times.slice(0, total).reduce((a, b) => a + b, 0) - st.rng.range(0.3, 1.2);
  write(st, workersWarning(st.p, "val"));
  const [bar, opened] = openBar({ desc: "Sanity Checking", format: "lightning", leave: false }, t);
  write(st, opened);
  write(st, reset(bar, total, t));
  write(st, describe(bar, "Sanity Checking DataLoader 0", t));
  for (let n = 1; n <= total; n++) {
    t += times[n - 1];
    if (due(st, n, total)) write(st, setN(bar, n, t));
  }
  // The epoch-level metrics are computed once the last batch is in (warned once per process).
  for (const metric of st.p.r.valKeys) write(st, syncDistWarning(st.p, metric));
  write(st, close(bar, t + gap(st)));
}

/** `on_train_start`: the training bar, created before the first epoch of a process. */
export function trainStart(st: LightningState, nowS: number): void {
  write(st, workersWarning(st.p, "train"));
  write(st, evalModeWarning(moduleModes(st.cfg, st.p)[1], st.p));
  const [bar, opened] = openBar(
    { desc: "Training", format: "lightning", leave: true, smoothing: 0 },
    nowS,
  );
  st.train = bar;
  write(st, opened);
  st.trainStarted = true;
}

/** `on_train_epoch_start`: the bar reset to the epoch's batches, then renamed. */
export function epochStart(st: LightningState, epoch: number, nowS: number): void {
  if (!st.train) return;
  write(st, reset(st.train, st.cfg.stepsPerEpoch * st.p.accumulate, nowS));
  write(st, describe(st.train, `Epoch ${epoch - 1}`, nowS + gap(st)));
  st.lossSum = 0;
  st.lossCount = 0;
  st.lastBatchS = nowS;
  st.lastBatch = 0;
}

/** The bar's name of the training loss as logged on each step. */
function stepKey(st: LightningState): string {
  return st.p.r.epochLoss ? `${st.p.r.trainKey}_step` : st.p.r.trainKey;
}

/** `on_train_batch_end` of a step's last batch: the loss logged, the bar refreshed when due. */
export function trainStep(st: LightningState, d: StepData, nowS: number): void {
  const loss = Math.fround(d.loss);
  const total = d.steps_per_epoch * st.p.accumulate;
  const n = d.epoch_step * st.p.accumulate;
  const from = Math.max(st.lastBatch, n - st.p.accumulate);
  const fromS = st.lastBatchS;
  st.lossSum += loss;
  st.lossCount += 1;
  if (st.p.r.lrKey) st.metrics.set(st.p.r.lrKey, Math.fround(d.lr));
  // Each batch of the step logs its own loss (micro-batches scatter around the step's mean);
  // the bar shows the ones that fall on a refresh.
  for (let b = from + 1; b <= n; b++) {
    if (!due(st, b, total)) continue;
    const scatter = b === n ? 1 : Math.exp(0.05 * st.rng.normal());
    st.metrics.set(stepKey(st), Math.fround(loss * scatter));
    const t = fromS + ((b - from) / (n - from)) * (nowS - fromS);
    if (st.train) {
      write(st, setN(st.train, b, t));
      write(st, setPostfix(st.train, postfixText(st), t + gap(st)));
    }
  }
  st.metrics.set(stepKey(st), loss);
  st.lastBatch = n;
  st.lastBatchS = nowS;
}

/** Seconds before the first validation batch arrives: loader workers start, or none do. */
function loaderStartS(st: LightningState): number {
  return st.p.workersHint !== null ? st.rng.range(0.04, 0.35) : st.rng.range(0.6, cfgSetup(st));
}

/** Seconds of one validation batch: the pass's forward time over the simulation's batches. */
function valBatchS(st: LightningState): number {
  const plan = validationPlan(st.cfg);
  return (Math.max(0.05, plan.seconds - cfgSetup(st)) / plan.batches) * st.rng.range(0.86, 0.98);
}

/**
 * `on_validation_start`, then the first batch's start: the bar one line down is reset and
 * renamed once the loader has handed over that batch, so its clock leaves the loader's start out.
 */
export function validationStart(st: LightningState, batches: number, nowS: number): void {
  const [bar, opened] = openBar(
    { desc: "Validation", format: "lightning", leave: false, pos: 1 },
    nowS,
  );
  write(st, opened);
  const firstS = nowS + loaderStartS(st);
  write(st, reset(bar, batches, firstS));
  write(st, describe(bar, "Validation DataLoader 0", firstS));
  st.val = { bar, total: batches, shown: 0, atS: firstS, perBatchS: valBatchS(st) };
}

/** Validation batches up to the simulation's progress point (`done` of them). */
export function validationProgress(st: LightningState, done: number): void {
  const v = st.val;
  if (!v) return;
  for (let n = v.shown + 1; n <= done; n++) {
    // The first batch pays for cold kernels and allocations.
    v.atS += v.perBatchS * (n === 1 ? st.rng.range(1.2, 1.7) : st.rng.range(0.93, 1.07));
    if (due(st, n, v.total)) write(st, setN(v.bar, n, v.atS));
  }
  v.shown = done;
}

/** `on_validation_end` of the bar: the epoch bar shows the new metrics, the bar is cleared. */
export function validationEnd(st: LightningState, nowS: number): number {
  const v = st.val;
  const end = Math.max(nowS, v ? v.atS : nowS) + gap(st);
  if (st.train) write(st, setPostfix(st.train, postfixText(st), end));
  if (v) write(st, close(v.bar, end + gap(st)));
  st.val = null;
  st.lastBatchS = end;
  return end;
}

/**
 * `on_train_epoch_end`: the bar's metrics once more, now read at the epoch level, so the epoch's
 * mean loss is among them (reducing it is what warns about `sync_dist`, first).
 */
export function epochEnd(st: LightningState, nowS: number): void {
  const key = `${st.p.r.trainKey}_epoch`;
  if (st.p.r.epochLoss && st.lossCount > 0) {
    if (!st.metrics.has(key)) write(st, syncDistWarning(st.p, st.p.r.trainKey));
    st.metrics.set(key, Math.fround(st.lossSum / st.lossCount));
  }
  if (st.train) write(st, setPostfix(st.train, postfixText(st), nowS));
}

/** `on_train_end`: the epoch bar printed a last time at its average rate, and a newline. */
export function trainEnd(st: LightningState, nowS: number): void {
  if (st.train) write(st, close(st.train, nowS));
  st.train = null;
}

/**
 * Where each shard of a rank's read ends, as a fraction of its whole read: shards take their
 * own time and the last one, the remainder of the weights, is smaller.
 */
function shardEnds(st: LightningState, shards: number): number[] {
  const sizes = Array.from(
    { length: shards },
    (_, k) =>
      st.rng.range(0.88, 1.14) * (k === shards - 1 && shards > 1 ? st.rng.range(0.15, 0.9) : 1),
  );
  const total = sizes.reduce((a, b) => a + b, 0);
  let sum = 0;
  return sizes.map((size) => (sum += size) / total);
}

/** Every local rank starts reading the pretrained weights' shards (transformers' own bars). */
export function loadStart(st: LightningState, shards: number, nowS: number, ranks: number): void {
  const bars = [], ends = [], shown = [], lastS = [];
  for (let r = 0; r < ranks; r++) {
    const [bar, opened] = openBar(
      { desc: "Loading checkpoint shards", total: shards },
      nowS + st.rng.range(0, st.rng.chance(0.3) ? 2.5 : 0.6),
    );
    write(st, opened);
    bars.push(bar);
    // Ranks share the file system: each reads at its own pace.
    const speed = Math.exp(0.1 * st.rng.normal());
    ends.push(shardEnds(st, shards).map((f) => f * speed));
    shown.push(0);
    lastS.push(bar.startS);
  }
  st.loading = { bars, ends, shown, lastS, startS: nowS, pending: [] };
}

/**
 * Shards read up to the simulation's progress point (`done` of them after `elapsedS`, at an
 * even pace), every rank's bar in time order: a rank's read that ends after this point waits
 * for a later one, so fast and slow ranks mix.
 */
export function loadProgress(st: LightningState, done: number, elapsedS: number): void {
  const l = st.loading;
  if (!l) return;
  const total = l.bars[0].total ?? done;
  const wholeS = (elapsedS * total) / done;
  l.bars.forEach((bar, r) => {
    for (let k = l.shown[r] + 1; k <= done; k++) {
      l.lastS[r] = Math.max(bar.startS + wholeS * l.ends[r][k - 1], l.lastS[r]);
      l.pending.push([l.lastS[r], r]);
    }
    l.shown[r] = done;
  });
  const last = done >= total;
  const nowS = last ? Infinity : l.startS + elapsedS;
  // [when, rank, closes]: a rank that is through closes its bar while others still read.
  const due: Array<[number, number, boolean]> = l.pending.filter(([t]) => t <= nowS)
    .map(([t, r]) => [t, r, false]);
  l.pending = l.pending.filter(([t]) => t > nowS);
  if (last) l.lastS.forEach((t, r) => due.push([t + gap(st), r, true]));
  due.sort((a, b) => a[0] - b[0]);
  for (const [t, r, closes] of due) {
    write(st, closes ? close(l.bars[r], t) : update(l.bars[r], 1, t));
  }
  if (last) st.loading = null;
}
