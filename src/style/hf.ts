/**
 * The Hugging Face Trainer (transformers 4.40 to 4.57, `run_clm.py` under torchrun or accelerate) as a
 * captured job log: every event becomes the bytes the processes write (see hf_capture.ts), and
 * the message is the lines a universal-newline reading of the file completes.
 */
import { learningRate, scheduleOf } from "../sim/model/schedule.ts";
import type { DataEvent, LogEvent, OutputEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { pyDict, pyFloat, pyRound } from "../format/python_repr.ts";
import type { Style, StyleWriter } from "./apply.ts";
import { CapturedLog } from "./hf_capture.ts";
import { evalBatches, hfEpoch, hfProfile } from "./hf_profile.ts";
import { loadingShards, nodeRecords, processRanks } from "./hf_ranks.ts";
import {
  accelerateDefaults,
  hfRecord,
  hubCache,
  launchTrace,
  mainRecord,
  modelConfig,
  resumeLines,
  timedRecord,
  tokenizerFiles,
  trainingBanner,
} from "./hf_setup.ts";
import { trainingArguments } from "./hf_training_args.ts";
import {
  barWrite,
  catchUp,
  evalDone,
  evalProgress,
  finalEvalBar,
  type LoopState,
  openBar,
  savedWeights,
  savingConfigs,
  stepDict,
} from "./hf_train.ts";
import {
  keyboardInterrupt,
  metricsBlock,
  trainMetrics,
  trainOutput,
  trainOutputDict,
} from "./hf_end.ts";
import { lfEvalMetrics, lfOnLog, modelCardLine } from "./hf_lf.ts";
import { lfDir, lfEntry, plotLines } from "./hf_llamafactory.ts";
import { wandbFooter, wandbHeader, wandbRun } from "./hf_wandb.ts";
import { ncclLines } from "./nccl_lines.ts";
import { scriptGpuLines } from "./job_script.ts";
import { ompBanner } from "./torchrun_lines.ts";
import { faultFactLines, type FaultStyle } from "./fault_lines.ts";
import { hfFrames, hfScriptDir } from "./hf_frames.ts";
import {
  type HfRun,
  hfRun,
  recordEval,
  recordStep,
  recordTrainEnd,
  wandbSummary,
} from "./hf_run.ts";

type Ev<T extends DataEvent["type"]> = Extract<DataEvent, { type: T }>;

/**
 * The instant of the main process's next record, no earlier than its last one: one process's
 * log records never go back in time, whatever order the facts behind them arrive in.
 */
function mainAt(r: HfRun, simMs: number): number {
  r.mainMs = Math.max(r.mainMs, simMs);
  return r.mainMs;
}

function since(s: LoopState, simMs: number): number {
  return (simMs - s.startMs) / 1000;
}

function onStart(r: HfRun, ev: LogEvent & { key: "epoch.start" }): void {
  const { cfg, prof, loop } = r;
  if (r.banners > 0 && ev.data.done === 0 && r.bannerMs !== null) return;
  r.banners += 1;
  const t = ev.simMs;
  loop.log.err(
    hfRecord(
      mainAt(r, t - 1290),
      prof.release.site.halfPrecision,
      "Using auto half precision backend",
    ),
  );
  const resumed = ev.data.done + (ev.data.epoch - 1) * cfg.stepsPerEpoch;
  r.resumedAt = resumed;
  // Each node's main process logs the banner and, resuming, where it continues from.
  loop.log.err(
    nodeRecords(
      cfg,
      mainAt(r, t),
      (at) => [
        ...trainingBanner(cfg, prof, at),
        ...(resumed > 0 ? resumeLines(cfg, prof, resumed, at + 5) : []),
      ],
    ),
  );
  // The banner's last line lands up to 4 ms late; what follows comes after it.
  mainAt(r, resumed > 0 ? t + 6 : t + 4);
  r.bannerMs = t;
  if (prof.reportTo === "wandb" && !r.wandb) {
    r.wandb = wandbRun(cfg, t, Date.parse(prof.release.date));
    loop.log.err(
      hfRecord(
        mainAt(r, t + 6),
        prof.release.site.wandb,
        'Automatic Weights & Biases logging enabled, to disable set os.environ["WANDB_DISABLED"] = "true"',
      ),
    );
    loop.log.err(wandbHeader(r.wandb, prof.lf ? lfDir(cfg) : hfScriptDir(cfg)));
  }
  openBar(loop, t);
  loop.step = 0;
  loop.elapsedS = 0;
  loop.pauseEndS = 0;
  // A resumed Trainer's bar starts at 0 and jumps past the checkpoint's step at its first update.
  loop.jumpTo = resumed > 0 ? resumed + 1 : undefined;
}

function onStep(r: HfRun, ev: Ev<"step">): void {
  const d = ev.data, loop = r.loop;
  catchUp(loop, d.step, d.elapsed_s, d.step_time_s);
  recordStep(r, d);
  // The Trainer steps its scheduler only when the optimizer ran: after a skipped update the
  // logged rate is the schedule's at the optimizer's own count.
  if (d.skipped) r.skippedSteps++;
  if (d.step % r.cfg.logInterval !== 0) return;
  const lr = r.skippedSteps > 0 ? learningRate(scheduleOf(r.cfg), d.step - r.skippedSteps) : d.lr;
  const dict = stepDict(loop, { ...d, lr }, r.nanSteps.has(d.step));
  barWrite(loop, dict, d.elapsed_s + 0.05);
}

function evalDict(r: HfRun, ev: Ev<"val">): string {
  const { cfg, prof } = r, d = ev.data;
  const tokens = prof.evalExamples * (cfg.seqLen - 1);
  const batches = evalBatches(cfg, prof);
  return pyDict([
    ["eval_loss", pyFloat(Math.fround(d.loss))],
    ...(prof.lf
      ? []
      : [["eval_accuracy", pyFloat(Math.round(d.accuracy * tokens) / tokens)] as const]),
    ["eval_runtime", pyFloat(pyRound(d.time_s, 4))],
    ["eval_samples_per_second", pyFloat(pyRound(prof.evalExamples / d.time_s, 3))],
    ["eval_steps_per_second", pyFloat(pyRound(batches / d.time_s, 3))],
    ["epoch", pyFloat(pyRound(hfEpoch(cfg, prof, d.step), 2))],
  ]);
}

function evalBanner(r: HfRun, simMs: number): string {
  const { cfg, prof } = r;
  const site = prof.release.site, nl = prof.release.evalBannerNewline ? "\n" : "";
  return nodeRecords(
    cfg,
    mainAt(r, simMs),
    (at) => [
      timedRecord(at, site.evalBanner, `${nl}***** Running Evaluation *****`),
      timedRecord(at + 1, site.evalExamples, `  Num examples = ${prof.evalExamples}`),
      timedRecord(at + 1, site.evalBatch, `  Batch size = ${prof.evalBatch}`),
    ],
  );
}

function onLog(r: HfRun, ev: LogEvent): void {
  const { cfg, prof, loop } = r;
  const log = loop.log;
  if (prof.lf && lfOnLog(r, prof.lf, ev)) return;
  switch (ev.key) {
    case "launch":
      return log.err(launchTrace(cfg, prof, r.script));
    case "torchrun.omp":
      if (prof.launcher === "accelerate") return log.err(accelerateDefaults());
      return cfg.gpusPerNode > 1 ? log.err(`${ompBanner(ev, cfg, "hf")}\n`) : undefined;
    case "dist.init":
      return processRanks(r, ev.simMs);
    case "dist.versions":
      return log.out(
        mainRecord(
          ev.simMs,
          "info",
          `Training/evaluation parameters ${trainingArguments(cfg, prof, ev.simMs).join("\n")}`,
        ),
      );
    case "model.init":
      return log.err(modelFiles(r, ev));
    case "model.load":
      r.readingShards = ev.data.shards;
      return log.err(modelFiles(r, ev));
    case "load.progress":
      // transformers' bar is from_pretrained's; the Trainer reads a checkpoint back silently.
      if (ev.bar && ev.bar.done >= ev.bar.total && r.readingShards > 0) {
        log.err(loadingShards(cfg, r.readingShards, ev.bar.elapsed_s, ev.simMs));
        r.readingShards = 0;
      }
      return;
    case "tokenizer":
      return log.err(tokenizerFiles(cfg, prof, ev.simMs));
    case "epoch.start":
      return onStart(r, ev);
    case "val.start": {
      catchUp(loop, ev.data.epoch * cfg.stepsPerEpoch, since(loop, ev.simMs));
      r.valStartMs = ev.simMs;
      return log.err(evalBanner(r, ev.simMs));
    }
    case "val.progress":
      if (ev.bar) evalProgress(loop, ev.bar.done, ev.bar.total, ev.bar.elapsed_s);
      return;
    case "ckpt.start":
      if (ev.data.emergency) return;
      catchUp(loop, ev.data.step, since(loop, ev.simMs));
      r.saveStartMs = ev.simMs;
      // The configs are written at once; the weights take the save's time.
      return log.err(
        hfRecord(
          mainAt(r, ev.simMs),
          prof.release.site.saving,
          `Saving model checkpoint to ${ev.data.path}`,
        ) + savingConfigs(loop, ev.data.path, mainAt(r, ev.simMs + 18) - 18),
      );
    case "export.start":
      return onCompleted(r, ev.simMs);
    case "interrupt":
      if (ev.data.cause === "time_limit") return log.err(faultLines(r, ev));
      return onInterrupt(r, ev as LogEvent & { key: "interrupt" });
    case "interrupt.shutdown":
      return ev.data.cause === "time_limit" ? log.err(faultLines(r, ev)) : undefined;
    case "fault.cuda":
    case "fault.oom":
    case "fault.crash":
    case "fault.watchdog":
    case "fault.exit":
    case "fault.srun":
      return log.err(faultLines(r, ev));
    default:
      if (ev.key.startsWith("nccl.") && prof.ncclDebug) {
        log.err(ncclLines(ev, cfg, "hf", () => "") + "\n");
      }
  }
}

function modelFiles(r: HfRun, ev: LogEvent): string {
  const { cfg, prof } = r, cache = hubCache(cfg), t = ev.simMs;
  const head = hfRecord(
    t,
    prof.release.site.configLoad,
    `loading configuration file config.json from cache at ${cache}/config.json`,
  ) + hfRecord(t, prof.release.site.configShow, modelConfig(cfg, prof.release.version));
  if (ev.key === "model.init") {
    // run_clm.py's own logger writes to stdout, transformers' to stderr: the config's records
    // come first (from_config builds the model from it), then the script's count.
    const mib = (cfg.model.params / 2 ** 20).toFixed(2);
    r.loop.log.err(head);
    r.loop.log.out(
      mainRecord(t + 40, "info", `Training new model from scratch - Total size=${mib}M params`),
    );
    return "";
  }
  const shards = ev.key === "model.load" ? ev.data.shards : 1;
  const file = shards > 1 ? "model.safetensors.index.json" : "model.safetensors";
  return head +
    hfRecord(
      t + 2,
      prof.release.site.weightsLoad,
      `loading weights file ${file} from cache at ${cache}/${file}`,
    );
}

function onSaved(r: HfRun, ev: Ev<"ckpt">): void {
  const { loop, prof } = r;
  if (ev.data.emergency) return;
  loop.log.err(savedWeights(loop, ev.data.path, ev.simMs));
  // savedWeights' last record lands up to 8 ms after the save's end.
  mainAt(r, ev.simMs + 8);
  r.saved.push(ev.data.path);
  const limit = prof.saveTotalLimit;
  while (limit !== null && r.saved.length > limit) {
    const old = r.saved.shift()!;
    loop.log.err(
      hfRecord(
        mainAt(r, ev.simMs + 31),
        prof.release.site.rotate,
        `Deleting older checkpoint [${old}] due to args.save_total_limit`,
      ),
    );
  }
  loop.pauseEndS = since(loop, ev.simMs);
}

function onCompleted(r: HfRun, eventMs: number): void {
  const { cfg, prof, loop } = r;
  // The loop ends after the last save's records (rotation included): a few ms after them.
  const simMs = eventMs < r.mainMs ? mainAt(r, r.mainMs + 2 + loop.rng.int(0, 9)) : eventMs;
  mainAt(r, simMs);
  catchUp(loop, cfg.totalSteps, since(loop, simMs));
  loop.log.err(
    hfRecord(
      simMs,
      prof.release.site.completed,
      "\n\nTraining completed. Do not forget to share your model on huggingface.co/models =)\n\n",
    ),
  );
  const runtime = (simMs - (r.bannerMs ?? simMs)) / 1000;
  // The Trainer sums this session's step losses and divides by the global step: a resumed run's
  // train_loss counts the steps it did not run as zeros.
  const meanLoss = r.lossSum / Math.max(1, r.lossCount);
  const ran = cfg.totalSteps - r.resumedAt;
  r.output = trainOutput(cfg, prof, runtime, (meanLoss * ran) / cfg.totalSteps);
  recordTrainEnd(r);
  const at = since(loop, simMs) + 0.02;
  barWrite(loop, trainOutputDict(r.output, cfg.epochs), at);
  loop.log.err(`\r${loop.bar!.closeFrame(at + 0.01)}\n`);
  loop.bar = null;
  r.saveStartMs = simMs + 37;
  loop.log.err(
    hfRecord(
      r.saveStartMs,
      prof.release.site.saving,
      `Saving model checkpoint to ${cfg.outputDir}`,
    ) + savingConfigs(loop, cfg.outputDir, r.saveStartMs),
  );
  // A LoRA adapter is a few megabytes: its save is over at once.
  if (prof.lf?.method === "lora") {
    loop.log.err(savedWeights(loop, cfg.outputDir, mainAt(r, r.saveStartMs + 140)));
    mainAt(r, r.saveStartMs + 146);
  }
}

function onExport(r: HfRun, ev: Ev<"export">): void {
  if (ev.data.format === "gguf" || r.output === null || r.prof.lf?.method === "lora") return;
  r.loop.log.err(savedWeights(r.loop, r.cfg.outputDir, ev.simMs));
}

/** run_clm.py's last steps: train metrics, the final evaluation, its metrics, then exit. */
function onSummary(r: HfRun, ev: Ev<"summary">): void {
  const { cfg, prof, loop } = r;
  const log = loop.log;
  if (ev.data.signal === "SIGTERM") return;
  if (!ev.data.signal && r.output && prof.lf) {
    // After a LoRA save the workflow goes on at once (metrics, state, plots: about a second).
    const t = prof.lf.method === "lora" ? mainAt(r, r.mainMs + loop.rng.int(700, 1400)) : ev.simMs;
    log.out(trainMetrics(cfg, prof, r.output));
    log.out(plotLines(prof.lf, cfg.outputDir, r.lastEval !== null, t));
    const e = r.lastEval;
    if (e) {
      log.err(evalBanner(r, t));
      const runtime = pyRound(e.time_s * Math.exp(0.02 * r.loop.rng.normal()), 4);
      log.err(finalEvalBar(loop, e.batches, runtime));
      log.out(lfEvalMetrics(r, e, runtime));
      recordEval(r, e.loss, e.accuracy, runtime, cfg.totalSteps);
    }
    log.err(modelCardLine(r, mainAt(r, t + 1000 * (e ? e.time_s : 0) + 240)));
  } else if (!ev.data.signal && r.output && r.lastEval) {
    log.out(trainMetrics(cfg, prof, r.output));
    log.out(mainRecord(ev.simMs, "info", "*** Evaluate ***"));
    log.err(evalBanner(r, ev.simMs));
    const e = r.lastEval;
    const runtime = pyRound(e.time_s * Math.exp(0.02 * r.loop.rng.normal()), 4);
    log.err(finalEvalBar(loop, e.batches, runtime));
    log.out(metricsBlock("eval", {
      epoch: { float: cfg.epochs },
      eval_accuracy: { float: e.accuracy },
      eval_loss: { float: e.loss },
      eval_runtime: { runtime },
      eval_samples: { int: prof.evalExamples },
      eval_samples_per_second: { float: pyRound(prof.evalExamples / runtime, 3) },
      eval_steps_per_second: { float: pyRound(e.batches / runtime, 3) },
      perplexity: { float: Math.exp(e.loss) },
    }));
    recordEval(r, e.loss, e.accuracy, runtime, cfg.totalSteps);
  }
  // At exit: wandb's atexit hook prints its footer, then the interpreter flushes stdout.
  if (r.wandb) log.err(wandbFooter(r.wandb, r.history, wandbSummary(r)));
  log.flushOut();
  log.close();
}

function onInterrupt(r: HfRun, ev: LogEvent & { key: "interrupt" }): void {
  const { cfg, loop } = r;
  if (ev.data.signal === "SIGTERM") {
    const at = new Date(ev.simMs).toISOString().slice(0, 19);
    loop.log.err(
      `slurmstepd: error: *** JOB ${cfg.cluster.jobId} ON ${r.host0} CANCELLED AT ${at} ***\n`,
    );
    return;
  }
  if (loop.bar) catchUp(loop, ev.data.step, since(loop, ev.simMs));
  // Python flushes stdout before it prints the traceback of the exception that ends it.
  loop.log.flushOut();
  loop.log.err(keyboardInterrupt(cfg, r.prof));
}

/**
 * How torchrun (no `--tee`) shows a worker's fault: every rank's stderr straight into the job's
 * output (srun gathers the nodes'), run_clm.py's frames.
 */
function hfFaults(r: HfRun): FaultStyle {
  return {
    style: "hf",
    view: { tee: () => "", shows: () => true, frames: hfFrames },
    agent: { entrypoint: r.prof.lf ? lfEntry(r.cfg) : "run_clm.py" },
  };
}

/** A fault's lines as torch, torchrun and Slurm write them (after any bar left open). */
function faultLines(r: HfRun, ev: LogEvent): string {
  const text = faultFactLines(ev, r.cfg, hfFaults(r));
  return text === "" ? "" : `${text}\n`;
}

function open(cfg: RunConfig): StyleWriter {
  const r = hfRun(cfg, new CapturedLog(hfProfile(cfg).buffered));
  return {
    message(ev: OutputEvent): string {
      // The Trainer prints nothing for a GPU reading; the job script's nvidia-smi and monitor,
      // when it has them, write whole lines from their own processes. Telemetry comes in its own order, so these
      // lines stay out of the capture, whose last unfinished line belongs to a later instant.
      if (ev.type === "gpu") return scriptGpuLines(ev, r.cfg, r.script, r.monitor);
      switch (ev.type) {
        case "log":
          onLog(r, ev);
          break;
        case "step":
          if (ev.logged) onStep(r, ev);
          break;
        case "val":
          evalDone(r.loop, evalDict(r, ev), since(r.loop, ev.simMs));
          recordEval(r, ev.data.loss, ev.data.accuracy, ev.data.time_s, ev.data.step);
          r.loop.pauseEndS = since(r.loop, ev.simMs);
          break;
        case "ckpt":
          onSaved(r, ev);
          break;
        case "export":
          onExport(r, ev);
          break;
        case "summary":
          onSummary(r, ev);
          break;
        case "fault":
          if (ev.data.kind === "nan") r.nanSteps.add(ev.data.step);
          break;
        case "allreduce":
        case "run":
          break;
      }
      return r.loop.log.take();
    },
  };
}

/** The Hugging Face Trainer's look. */
export const HF_STYLE: Style = { name: "hf", open };

export { hfEpoch };
