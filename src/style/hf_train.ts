/**
 * The Trainer's training loop as its captured log shows it: the training bar's `\r` frames at
 * tqdm's cadence, the logged dicts (`tqdm.write` clears the bar, prints on stdout, redraws),
 * the nested evaluation bar, the eval dict and the lines of each save.
 */
import type { DataEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import type { Rng } from "../sim/rng.ts";
import { TqdmBar } from "../format/tqdm.ts";
import { pyDict, pyFloat, pyRound } from "../format/python_repr.ts";
import { EXPORT_FORMATS, exportShards } from "../sim/model/storage.ts";
import type { CapturedLog } from "./hf_capture.ts";
import { hfEpoch, type HfProfile } from "./hf_profile.ts";
import { hfRecord, hubCache, modelConfig } from "./hf_setup.ts";

type StepData = Extract<DataEvent, { type: "step" }>["data"];

/** What the training loop's output depends on between events. */
export interface LoopState {
  cfg: RunConfig;
  prof: HfProfile;
  log: CapturedLog;
  rng: Rng;
  /** Simulated ms of the bar's creation (the banner). */
  startMs: number;
  bar: TqdmBar | null;
  /** Step and seconds since start of the last frame the bar was brought to. */
  step: number;
  elapsedS: number;
  /** End of the last pause (evaluation, save), seconds since start. */
  pauseEndS: number;
  /** The last frame printed, and its length (what a clear overwrites). */
  frame: string;
  evalBar: TqdmBar | null;
  evalFrame: string;
  /** Seconds into the evaluation of its last frame. */
  evalLastS: number;
  /**
   * A resumed run's bar, still at 0, and the first step it will run: the progress callback's
   * first update moves the bar to that global step in one go (`update(global_step - 0)`).
   */
  jumpTo?: number;
}

/** A fresh training bar at `simMs`: its first frame goes to stderr. */
export function openBar(s: LoopState, simMs: number): void {
  s.startMs = simMs;
  s.bar = new TqdmBar(s.cfg.totalSteps, 0, s.prof.ncols, s.prof.ascii);
  s.frame = s.bar.frame(0);
  s.log.err(`\r${s.frame}`);
}

function advanceTo(s: LoopState, step: number, atS: number): void {
  const bar = s.bar!;
  const frame = bar.update(step - bar.n, atS);
  if (frame !== null) {
    s.frame = frame;
    s.log.err(`\r${frame}`);
  }
  s.step = step;
  s.elapsedS = atS;
}

/**
 * Brings the bar to `step`, finished at `atS` seconds; the steps in between (not formatted by
 * the simulation) share the time since the last frame, the last one taking `lastStepS`.
 */
export function catchUp(s: LoopState, step: number, atS: number, lastStepS = 0): void {
  if (!s.bar || step <= s.step) return;
  if (s.jumpTo !== undefined && step >= s.jumpTo) {
    const firstAt = atS - (step - s.jumpTo) * lastStepS;
    advanceTo(s, s.jumpTo, Math.max(s.elapsedS, s.pauseEndS, firstAt));
    s.jumpTo = undefined;
    if (step <= s.step) return;
  }
  const from = Math.max(s.elapsedS, s.pauseEndS);
  const between = step - s.step - 1;
  const spanEnd = lastStepS > 0 && between > 0 ? atS - lastStepS : atS;
  const weights = Array.from(
    { length: between + (spanEnd === atS ? 1 : 0) },
    () => Math.exp(0.03 * s.rng.normal()),
  );
  const sum = weights.reduce((a, b) => a + b, 0);
  let t = from;
  for (let i = 0; i < between; i++) {
    t += ((spanEnd - from) * weights[i]) / sum;
    // A pause counts in the first step after it: tqdm measures from its last print.
    advanceTo(s, s.step + 1, i === 0 ? Math.max(t, s.pauseEndS) : t);
  }
  advanceTo(s, step, atS);
}

/** `tqdm.write`: clear the bars, print on stdout, redraw them at `atS`. */
export function barWrite(s: LoopState, text: string, atS: number): void {
  s.log.err(`\r${" ".repeat(s.frame.length)}\r`);
  if (s.evalBar) s.log.err(`\n\r${" ".repeat(s.evalFrame.length)}\r\x1b[A`);
  s.log.out(`${text}\n`);
  if (s.bar) {
    s.frame = s.bar.frame(atS);
    s.log.err(`\r${s.frame}`);
  }
  if (s.evalBar) s.log.err(`\n\r${s.evalFrame}\x1b[A`);
}

/** The dict the Trainer logs every `logging_steps` (loss averaged over them, rounded to 4). */
export function stepDict(s: LoopState, d: StepData, gradNaN: boolean): string {
  return pyDict([
    ["loss", pyFloat(pyRound(d.loss, 4))],
    ["grad_norm", gradNaN ? "nan" : pyFloat(Math.fround(d.grad_norm))],
    ["learning_rate", pyFloat(d.lr)],
    ["epoch", pyFloat(pyRound(hfEpoch(s.cfg, s.prof, d.step), 2))],
  ]);
}

/**
 * The nested evaluation bar. The progress callback creates it when the first batch is done
 * (`on_prediction_step`) and counts that batch at once, so its clock starts one batch into the
 * evaluation: its elapsed time is shorter than the eval_runtime measured around the whole loop.
 */
export function evalProgress(s: LoopState, done: number, total: number, elapsedS: number): void {
  const startN = s.evalBar?.n ?? 0, startS = s.evalLastS;
  // Batches take their own time (padding, the last short batch, the allocator), a few % apart.
  const weights = Array.from(
    { length: Math.max(0, done - startN) },
    () => Math.exp(0.06 * s.rng.normal()),
  );
  const sum = weights.reduce((a, b) => a + b, 0);
  let at = startS;
  for (let n = startN + 1; n <= done; n++) {
    at += ((elapsedS - startS) * weights[n - startN - 1]) / sum;
    const t = n === done ? elapsedS : at;
    if (!s.evalBar) {
      s.evalBar = new TqdmBar(total, t, s.prof.ncols, s.prof.ascii);
      s.evalFrame = s.evalBar.frame(t);
      s.log.err(`\n\r${s.evalFrame}\x1b[A`);
    }
    const frame = s.evalBar.update(1, t);
    if (frame !== null) {
      s.evalFrame = frame;
      s.log.err(`\n\r${frame}\x1b[A`);
    }
  }
  s.evalLastS = elapsedS;
}

/**
 * The final evaluation's own bar (left on screen: no training bar is open), for an
 * eval_runtime of `runtimeS` over `batches` batches: the loop's set-up before the first batch
 * and its metrics after the last count in the runtime, as does the first batch, before the bar.
 */
export function finalEvalBar(s: LoopState, batches: number, runtimeS: number): string {
  const overhead = Math.min(0.25, runtimeS * 0.12) * s.rng.range(0.4, 1);
  const setupS = overhead * s.rng.range(0.3, 0.7);
  const batchS = (runtimeS - overhead) / batches;
  const bornS = setupS + batchS;
  const bar = new TqdmBar(batches, bornS, s.prof.ncols, s.prof.ascii);
  let out = `\r${bar.frame(bornS)}`;
  bar.update(1, bornS);
  for (let n = 2; n <= batches; n++) {
    const f = bar.update(1, setupS + n * batchS * Math.exp(0.01 * s.rng.normal()));
    if (f !== null) out += `\r${f}`;
  }
  // One batch: close() follows the bar's creation within a millisecond.
  const endS = batches > 1 ? setupS + batches * batchS : bornS + s.rng.range(0.0002, 0.0012);
  return `${out}\r${bar.closeFrame(endS)}\n`;
}

/** The eval dict, then the nested bar cleared away (`leave=False`). */
export function evalDone(s: LoopState, dict: string, atS: number): void {
  barWrite(s, dict, atS);
  if (s.evalBar) s.log.err(`\n\r${" ".repeat(s.evalFrame.length)}\x1b[A`);
  s.evalBar = null;
  s.evalLastS = 0;
}

/** save_pretrained's first records: the configs, written as the save begins. */
export function savingConfigs(s: LoopState, dir: string, t0: number): string {
  // A LoRA adapter's save writes no model configs (PEFT saves its adapter silently).
  if (s.prof.lf?.method === "lora") return "";
  const site = s.prof.release.site;
  const j = (ms: number) => Math.round(ms + s.rng.range(0, 3));
  return hfRecord(j(t0 + 9), site.configSaved, `Configuration saved in ${dir}/config.json`) +
    hfRecord(
      j(t0 + 15),
      site.generationSaved,
      `Configuration saved in ${dir}/generation_config.json`,
    );
}

/** save_pretrained's last records: the weights (sharded above 5 GB), then the tokenizer's. */
export function savedWeights(s: LoopState, dir: string, t1: number): string {
  if (s.prof.lf?.method === "lora") return savedAdapter(s, dir, t1);
  const site = s.prof.release.site;
  const shards = exportShards(s.cfg.model.params, EXPORT_FORMATS[0]).length;
  const weights = shards > 1
    ? hfRecord(
      t1 - 6,
      site.weightsSharded,
      `The model is bigger than the maximum size per checkpoint (5GB) and is going to be split ` +
        `in ${shards} checkpoint shards. You can find where each parameters has been saved in ` +
        `the index located at ${dir}/model.safetensors.index.json.`,
    )
    : hfRecord(t1 - 6, site.weightsSaved, `Model weights saved in ${dir}/model.safetensors`);
  const j = (ms: number) => Math.round(ms + s.rng.range(0, 3));
  return weights +
    hfRecord(
      j(t1),
      site.tokenizerSaved,
      `tokenizer config file saved in ${dir}/tokenizer_config.json`,
    ) +
    hfRecord(
      j(t1 + 5),
      site.specialSaved,
      `Special tokens file saved in ${dir}/special_tokens_map.json`,
    );
}

/**
 * A LoRA adapter's save: PEFT reads the base model's config back (is the vocabulary resized?),
 * then the tokenizer's files are written, its chat template apart where transformers does so.
 */
function savedAdapter(s: LoopState, dir: string, t1: number): string {
  const { cfg, prof } = s, site = prof.release.site, t = t1 - 6;
  const template = prof.lf?.release.chatTemplateSaved;
  // The tokenizer's files follow one another within a millisecond or two.
  let at = t1;
  const j = () => (at = Math.round(at + s.rng.range(0, 1.6)));
  return hfRecord(
    t,
    site.configLoad,
    `loading configuration file config.json from cache at ${hubCache(cfg)}/config.json`,
  ) + hfRecord(t, site.configShow, modelConfig(cfg, prof.release.version)) +
    (template ? hfRecord(j(), template, `chat template saved in ${dir}/chat_template.jinja`) : "") +
    hfRecord(
      j(),
      site.tokenizerSaved,
      `tokenizer config file saved in ${dir}/tokenizer_config.json`,
    ) +
    hfRecord(j(), site.specialSaved, `Special tokens file saved in ${dir}/special_tokens_map.json`);
}
