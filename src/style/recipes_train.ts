/**
 * The llama-recipes training loop as its ranks print it: every batch refreshes the bar with the
 * rank's own (unreduced) loss over the accumulation steps, the optimizer step advances it; an
 * epoch ends with the bar's close and rank 0's MemoryTrace report; the evaluation draws its own
 * bar, prints perplexity and loss as tensors, saves the adapters when the loss improved, and
 * the epoch's line follows.
 */
import type { DataEvent, LogEvent, LogEventOf } from "../sim/events.ts";
import { hashUnit } from "../sim/rng.ts";
import { closeBars, closeOne, openBars, redescribe, step, type Written } from "./recipes_bars.ts";
import { bestLine, evalLine, memoryReport, perfCounterDiff, trainDesc } from "./recipes_lines.ts";
import { lag, type RecipesState, said } from "./recipes_state.ts";
import { finishEpoch } from "./recipes_setup.ts";

type StepEvent = Extract<DataEvent, { type: "step" }>;
type ValEvent = Extract<DataEvent, { type: "val" }>;

/** A standard normal from two hashed uniforms (Box–Muller). */
function normalAt(...key: number[]): number {
  const u = Math.max(1e-12, hashUnit(...key, 1)), v = hashUnit(...key, 2);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Seconds since the interpreter started, as perf_counter's readings sit near it. */
function uptimeS(st: RecipesState, t: number): number {
  return t - st.cfg.startMs / 1000 + 31.5 + 20 * hashUnit(st.cfg.seed, 6201) +
    1e-7 * hashUnit(st.cfg.seed, t);
}

/** One optimizer step on every shown rank: a refresh per batch, an update per step. */
export function trainStep(st: RecipesState, ev: StepEvent): Written[] {
  const cfg = st.cfg, d = ev.data, a = cfg.gradAccum;
  const endS = ev.simMs / 1000, stepS = d.step_time_s;
  if (!st.train) {
    const total = d.steps_per_epoch - d.epoch_step + 1;
    const [bars, opened] = openBars(
      st.ranks,
      `Training Epoch: ${d.epoch}`,
      total,
      () => endS - stepS,
    );
    st.train = bars;
    st.lossSum = 0;
    st.epochSteps = 0;
    st.epochBatches = total * a;
    st.epochStartS = endS - stepS;
    st.pending.push(...opened.map((w) => w.text));
  }
  st.epochSteps += 1;
  const batches = st.epochBatches;
  const out: Written[] = [];
  for (const [r, bar] of st.train) {
    for (let j = 0; j < a; j++) {
      const t = endS - stepS + ((j + 1) * stepS) / a + lag(cfg, r, 11);
      // Each rank's own batch loss (not reduced), divided by the accumulation steps.
      const local = Math.fround(d.loss * Math.exp(0.05 * normalAt(cfg.seed, r, d.step, j))) / a;
      const batch = (st.epochSteps - 1) * a + j;
      if (j === a - 1) out.push(...step(bar, t));
      out.push(...redescribe(bar, trainDesc(d.epoch, d.epochs, batch, batches, local), t + 1e-4));
    }
  }
  st.lossSum = Math.fround(st.lossSum + Math.fround(d.loss));
  st.lastStepS = endS;
  if (d.epoch_step >= d.steps_per_epoch) out.push(...endEpoch(st, d.epoch, endS));
  return out;
}

/**
 * The bars close, the epoch's loss is the summed batch losses over the loader's batches (so the
 * accumulation divisor stays in it, as the script computes it), and rank 0 reports memory.
 */
function endEpoch(st: RecipesState, epoch: number, endS: number): Written[] {
  const cfg = st.cfg, bars = st.train!;
  const out = closeBars(bars, (r) => endS + 0.01 + lag(cfg, r, 11));
  st.train = null;
  const loss = Math.fround(st.lossSum / st.epochBatches);
  const ppl = Math.fround(Math.exp(loss));
  const seconds = perfCounterDiff(uptimeS(st, st.epochStartS), endS - st.epochStartS + 0.06);
  st.results.trainPpl.push(ppl);
  st.results.trainLoss.push(loss);
  st.results.epochS.push(seconds);
  st.epochDone = { epoch, ppl, loss, seconds };
  const m = cfg.plan.memory;
  // LoRA: the sharded bf16 weights, a gathered layer, activations; the adapters' states are tiny.
  const peak = m.weightsGiB + m.activationsGiB + 0.25;
  out.push(...said(
    st,
    endS + 0.3,
    memoryReport({
      peakGiB: peak,
      reservedGiB: peak * 1.07 + 0.6,
      activeGiB: peak + 0.1,
      retries: 0,
      cpuGiB: 3 + 4 * hashUnit(cfg.seed, 6202),
    }),
  ));
  return out;
}

/** The evaluation bar opens on every rank (after any training bar still open closes). */
export function valStart(st: RecipesState, ev: LogEventOf<"val.start">): Written[] {
  const cfg = st.cfg, t = ev.simMs / 1000;
  const out: Written[] = [];
  if (st.train) {
    out.push(...closeBars(st.train, (r) => Math.max(t, st.lastStepS + 0.01) + lag(cfg, r, 11)));
    st.train = null;
  }
  const [bars, opened] = openBars(
    st.ranks,
    "evaluating Epoch",
    ev.data.batches,
    (r) => t + lag(cfg, r, 15),
  );
  st.evalBars = bars;
  st.evalN = 0;
  st.evalLastS = t;
  return [...out, ...opened];
}

/** Every rank's evaluation bar brought to `done` batches at `t`, the batches spread evenly. */
function evalTo(st: RecipesState, done: number, t: number): Written[] {
  const out: Written[] = [];
  if (!st.evalBars || done <= st.evalN) return out;
  const from = st.evalN, span = t - st.evalLastS;
  for (const [r, bar] of st.evalBars) {
    for (let n = from + 1; n <= done; n++) {
      const at = st.evalLastS + (span * (n - from)) / (done - from) + lag(st.cfg, r, 16);
      out.push(...step(bar, at));
    }
  }
  st.evalN = done;
  st.evalLastS = t;
  return out;
}

/** Progress of the evaluation. */
export function valProgress(st: RecipesState, ev: LogEvent): Written[] {
  return ev.bar ? evalTo(st, ev.bar.done, ev.simMs / 1000) : [];
}

/** The evaluation's end: bars close, the tensors, the adapters' save, the epoch's line. */
export function valEnd(st: RecipesState, ev: ValEvent): Written[] {
  const cfg = st.cfg, t = ev.simMs / 1000;
  const bars = st.evalBars;
  const out = bars ? evalTo(st, [...bars.values()][0]?.total ?? 0, t) : [];
  if (bars) {
    for (const [r, bar] of bars) out.push(...closeOne(bar, t + 0.001 + lag(cfg, r, 16)));
  }
  st.evalBars = null;
  const loss = Math.fround(ev.data.loss), ppl = Math.fround(Math.exp(loss));
  out.push(...said(st, t + 0.05, [evalLine(ppl, loss)], true));
  const improved = loss < st.best;
  // Saving the adapters gathers the full state dict to rank 0's CPU first.
  const saveS = improved
    ? 1.5 + (cfg.model.params / 1e9) * (0.8 + 0.8 * hashUnit(cfg.seed, ev.data.epoch, 6203))
    : 1e-6 * (1.2 + hashUnit(cfg.seed, ev.data.epoch, 6204));
  if (improved) {
    out.push(...said(st, t + 0.1, ["we are about to save the PEFT modules"]));
    out.push(
      ...said(st, t + 0.1 + saveS, [`PEFT modules are saved in ${cfg.outputDir} directory`]),
    );
    st.best = loss;
    out.push(...said(st, t + 0.2 + saveS, [bestLine(ev.data.epoch, loss)]));
  }
  st.results.checkpointS.push(perfCounterDiff(uptimeS(st, t), saveS));
  st.results.evalPpl.push(ppl);
  st.results.evalLoss.push(st.rel.evalLossAveraged === "best" ? st.best : loss);
  return [...out, ...finishEpoch(st, t + 0.25 + saveS)];
}
