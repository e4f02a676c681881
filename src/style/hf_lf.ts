/**
 * The facts a LLaMA-Factory job words its own way before and after the Trainer's loop: the
 * CLI's launch, each rank's parser summary, the data stage before the model, the model's set-up
 * after its weights, and the end (train metrics, loss figures, the final evaluation, the card).
 */
import type { LogEvent } from "../sim/events.ts";
import { shuffled, startupNodes } from "./ranks.ts";
import { loadingShards, nodeRecords } from "./hf_ranks.ts";
import { createRng } from "../sim/rng.ts";
import type { HfRun, LastEval } from "./hf_run.ts";
import { pyRound } from "../format/python_repr.ts";
import type { LfJob } from "./hf_llamafactory.ts";
import {
  ddpLoraLine,
  launchLine,
  lfInfo,
  modelSetupLines,
  processRankLine,
} from "./hf_llamafactory.ts";
import { lfDataStage } from "./hf_lf_data.ts";
import { hfRecord, hubCache, launchTrace, modelConfig } from "./hf_setup.ts";
import { metricsBlock } from "./hf_end.ts";

/** Every process's `Process rank` record, in the order the processes get there. */
function processRanks(r: HfRun, job: LfJob, simMs: number): string {
  const cfg = r.cfg;
  const rng = createRng(cfg.seed, `style:hf:lf-ranks:${simMs}`);
  const ranks = startupNodes(cfg).flatMap((n) =>
    Array.from({ length: cfg.gpusPerNode }, (_, i) => n * cfg.gpusPerNode + i)
  );
  const timed = shuffled(ranks, rng)
    .map((rank) => ({ rank, at: rank === 0 ? simMs : simMs + rng.int(-400, 900) }))
    .sort((a, b) => a.at - b.at);
  // A node's first process notes the LoRA/DDP setting just before its own summary.
  return timed.map(({ rank, at }) =>
    (rank % cfg.gpusPerNode === 0 ? ddpLoraLine(cfg, job, at) : "") +
    processRankLine(cfg, job, rank, at)
  ).join("");
}

/** The CLI's launch line on each node, as each node's CLI gets there. */
function launchLines(r: HfRun, job: LfJob, simMs: number): string {
  return nodeRecords(r.cfg, simMs, (at) => [[at, launchLine(r.cfg, job, at)]]);
}

/**
 * The config's records as `from_pretrained` reads it, then the weights file; LLaMA-Factory
 * turns the KV cache off in between.
 */
function modelFiles(r: HfRun, job: LfJob, shards: number, t: number): string {
  const { cfg, prof } = r, cache = hubCache(cfg), site = prof.release.site;
  const file = shards > 1 ? "model.safetensors.index.json" : "model.safetensors";
  return hfRecord(
    t,
    site.configLoad,
    `loading configuration file config.json from cache at ${cache}/config.json`,
  ) + hfRecord(t, site.configShow, modelConfig(cfg, prof.release.version)) +
    // Each node's first process turns it off.
    (job.release.kvCacheLine
      ? nodeRecords(cfg, t, (at) => [[
        at,
        lfInfo(
          job,
          at,
          "llamafactory.model.model_utils.kv_cache",
          "KV cache is disabled during training.",
        ),
      ]])
      : "") +
    hfRecord(
      t + 2,
      site.weightsLoad,
      `loading weights file ${file} from cache at ${cache}/${file}`,
    );
}

/**
 * A log fact as a LLaMA-Factory job words it: true when handled here, false when the Trainer's
 * own wording (hf.ts) applies.
 */
export function lfOnLog(r: HfRun, job: LfJob, ev: LogEvent): boolean {
  const log = r.loop.log;
  switch (ev.key) {
    case "launch":
      log.err(launchTrace(r.cfg, r.prof, r.script));
      log.out(launchLines(r, job, ev.simMs));
      return true;
    case "dist.init":
      r.distMs = ev.simMs;
      log.out(processRanks(r, job, ev.simMs));
      return true;
    case "dist.versions":
      // LLaMA-Factory does not print the TrainingArguments.
      return true;
    case "model.load":
      // LLaMA-Factory prepares the data before it loads the model: both come out once the
      // load is done, sharing its time.
      r.readingShards = ev.data.shards;
      r.loadMs = ev.simMs;
      return true;
    case "load.progress":
      if (ev.bar && ev.bar.done >= ev.bar.total && r.readingShards > 0) {
        const windowS = ev.bar.elapsed_s;
        const data = lfDataStage(r.cfg, r.prof, job, r.distMs, r.loadMs, windowS);
        // The weights' load keeps at least a tenth of the window.
        const dataS = Math.min(data.seconds, 0.9 * windowS);
        const at = Math.round(r.loadMs + 1000 * dataS);
        log.err(data.text + modelFiles(r, job, r.readingShards, at));
        log.err(loadingShards(r.cfg, r.readingShards, windowS - dataS - 0.01, ev.simMs));
        r.readingShards = 0;
      }
      return true;
    case "tokenizer": {
      // nodeRecords asks each node's records in node order.
      let node = 0;
      log.out(
        nodeRecords(r.cfg, ev.simMs, (at) => [[at, modelSetupLines(r.cfg, job, at, node++)]]),
      );
      return true;
    }
  }
  return false;
}

/** The eval metrics block of LLaMA-Factory's workflow: the evaluation's own metrics, as they are. */
export function lfEvalMetrics(r: HfRun, e: LastEval, runtimeS: number): string {
  return metricsBlock("eval", {
    epoch: { float: r.cfg.epochs },
    eval_loss: { float: e.loss },
    eval_runtime: { runtime: runtimeS },
    eval_samples_per_second: { float: pyRound(r.prof.evalExamples / runtimeS, 3) },
    eval_steps_per_second: { float: pyRound(e.batches / runtimeS, 3) },
  });
}

/** What `create_model_card` logs of the result it drops (no dataset metrics to report). */
export function modelCardLine(r: HfRun, simMs: number): string {
  return hfRecord(
    simMs,
    r.prof.release.site.modelCard,
    "Dropping the following result as it does not have all the necessary fields:\n" +
      "{'task': {'name': 'Causal Language Modeling', 'type': 'text-generation'}}",
  );
}
