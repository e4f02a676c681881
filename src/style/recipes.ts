/**
 * llama-recipes' FSDP fine-tuning (`torchrun ... finetuning.py --enable_fsdp --use_peft
 * --peft_method lora`): the torchrun style's second script. Every rank prints (no tee, no
 * filter): plain `print`s, some on rank 0 only, some on each node's local rank 0, some on all;
 * every rank's tqdm bars; NCCL's set-up at the first collective, after the first bar appears.
 */
import type { LogEvent, LogEventOf, OutputEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import type { Style } from "./apply.ts";
import { hashUnit } from "../sim/rng.ts";
import { faultFactLines, type FaultStyle, isFaultFact } from "./fault_lines.ts";
import { ncclLines } from "./nccl_lines.ts";
import { ncclLib } from "./nccl_version.ts";
import { ompBanner } from "./torchrun_lines.ts";
import { nodeClockMs } from "./ranks.ts";
import { notDestroyedLine } from "./torch_faults.ts";
import { closeOne, openBars, step, type Written } from "./recipes_bars.ts";
import { modelSizeLines } from "./recipes_lines.ts";
import { loraParams, trainableLine } from "./peft.ts";
import { trainStep, valEnd, valProgress, valStart } from "./recipes_train.ts";
import {
  everyRank,
  initRecipes,
  lag,
  RECIPES_NAME,
  type RecipesState,
  said,
  startLaunch,
} from "./recipes_state.ts";
import { epochOpen, finishEpoch, loaderLines } from "./recipes_setup.ts";
import { recipesFrames } from "./recipes_frames.ts";

/**
 * Whether the torchrun style runs llama-recipes for this run: a fine-tune of a Llama (the only
 * fine-tuning script the style has; which runs `auto` gives it is `runsLlamaRecipes` in names.ts).
 */
export function runsRecipes(cfg: RunConfig): boolean {
  return cfg.task === "finetune" && cfg.model.family === "llama";
}

/** transformers' checkpoint-shard bar on every rank, then the model's size and the adapters. */
function modelLoaded(st: RecipesState, ev: LogEventOf<"model.load">): Written[] {
  const cfg = st.cfg, t0 = ev.simMs / 1000, shards = ev.data.shards;
  /** Seconds rank `r` takes over shard `i`. */
  const shardS = (r: number, i: number) =>
    (1.2 + 2.2 * hashUnit(cfg.seed, r, i, 3)) * Math.min(2, cfg.model.params / 7e9 + 0.3);
  const out: Written[] = [];
  let end = t0;
  if (shards <= 1) {
    // transformers shows the bar only for a sharded checkpoint: one file loads without a word.
    end += shardS(0, 0);
  } else {
    const [bars, opened] = openBars(
      st.ranks,
      "Loading checkpoint shards",
      shards,
      (r) => t0 + lag(cfg, r, 1),
    );
    out.push(...opened);
    for (const [r, bar] of bars) {
      let t = bar.startS;
      for (let i = 0; i < shards; i++) {
        t += shardS(r, i);
        out.push(...step(bar, t));
      }
      out.push(...closeOne(bar, t));
      end = Math.max(end, t);
    }
  }
  // The script's default lora_config: r 8 on q_proj and v_proj.
  const lora = loraParams(cfg.model, 8, ["q", "v"]);
  return [
    ...out,
    ...said(st, end + 0.4, modelSizeLines(cfg.model.hf, cfg.model.params)),
    ...everyRank(st, end + 0.9, [trainableLine(lora, cfg.model.params + lora)], 4),
  ];
}

/** NCCL's lines as NCCL_DEBUG lets them through, held until the first collective. */
function holdNccl(st: RecipesState, ev: LogEvent): void {
  const cfg = st.cfg;
  let text = "";
  if (st.ncclDebug === "INFO") {
    text = ncclLines(ev, cfg, RECIPES_NAME, () => "", { ranks: st.ranks, channelsShown: 2 });
  } else if (st.ncclDebug === "WARN" && ev.key === "nccl.version") {
    text = `${ncclLib(cfg)} version ${cfg.cluster.ncclVersion}`;
  }
  if (text) st.ncclHeld.push(...text.split("\n"));
}

/** How a fault shows: every rank unprefixed, the example script as torchrun's entry point. */
function recipesFaults(st: RecipesState): FaultStyle {
  return {
    style: RECIPES_NAME,
    view: { tee: () => "", shows: () => true, frames: recipesFrames },
    agent: { entrypoint: st.rel.entrypoint },
  };
}

/** Each shown rank's warning at exit: the script never destroys its process group. */
function exitWarnings(st: RecipesState, simMs: number): Written[] {
  const cfg = st.cfg;
  return st.ranks.map((r) => {
    const node = Math.floor(r / cfg.gpusPerNode);
    const t = simMs / 1000 + 0.3 + lag(cfg, r, 9) * 5;
    return { t, text: notDestroyedLine(cfg, r, nodeClockMs(cfg, node, t * 1000)) };
  });
}

/** The lines one event adds to the job's output, in the order they were written. */
function linesOf(st: RecipesState, ev: OutputEvent): Written[] {
  const cfg = st.cfg, t = ev.simMs / 1000;
  if (ev.type === "step") return trainStep(st, ev);
  if (ev.type === "val") return valEnd(st, ev);
  if (ev.type === "summary") {
    return [...finishEpoch(st, t), ...exitWarnings(st, ev.simMs)];
  }
  if (ev.type !== "log") return [];
  if (ev.key.startsWith("nccl.")) {
    holdNccl(st, ev);
    return [];
  }
  if (isFaultFact(ev)) {
    const text = faultFactLines(ev, cfg, recipesFaults(st));
    return text ? text.split("\n").map((l) => ({ t, text: l })) : [];
  }
  switch (ev.key) {
    case "torchrun.omp":
      startLaunch(st);
      return ompBanner(ev, cfg, RECIPES_NAME).split("\n").map((l) => ({ t, text: l }));
    case "dist.init":
      return [
        ...said(st, t + 0.5, ["Clearing GPU cache for all ranks"], true),
        ...said(st, t + 0.6, ["--> Running with torch dist debug set to detail"]),
      ];
    case "model.load":
      // The bars go out as the read ends: the log holds nothing of them before.
      st.loading = ev as LogEventOf<"model.load">;
      return [];
    case "load.progress": {
      const from = st.loading;
      if (!from || !ev.bar || ev.bar.done < ev.bar.total) return [];
      st.loading = null;
      return modelLoaded(st, from);
    }
    case "model.wrap":
      return said(st, t, [
        cfg.precision === "fp16"
          ? "FP16 enabled"
          : "bFloat16 enabled for mixed precision - using bfSixteen policy",
      ]);
    case "dataset.open":
      return loaderLines(st, t);
    case "epoch.start":
      return epochOpen(st, ev as LogEventOf<"epoch.start">);
    case "val.start":
      return valStart(st, ev as LogEventOf<"val.start">);
    case "val.progress":
      return valProgress(st, ev);
    default:
      return [];
  }
}

/** Whether the output modes print this event's message (steps not logged and bars in flight
 * do not). */
function printable(ev: OutputEvent): boolean {
  if (ev.type === "gpu" || ev.type === "allreduce") return false;
  if (ev.type === "step") return ev.logged;
  return !(ev.type === "log" && ev.bar && ev.bar.done < ev.bar.total);
}

/** The message of one event: what the job's output gained since the last printed message. */
export function recipesMessage(st: RecipesState, ev: OutputEvent): string {
  if (ev.type === "gpu" || ev.type === "allreduce") return "";
  const written = linesOf(st, ev);
  st.pending.push(...written.sort((a, b) => a.t - b.t).map((w) => w.text));
  if (!printable(ev) || st.pending.length === 0) return "";
  // A lone empty line would read as "no message": it waits for the next lines.
  if (st.pending.length === 1 && st.pending[0] === "") return "";
  const out = st.pending.join("\n");
  st.pending = [];
  return out;
}

/** llama-recipes under torchrun. */
export const RECIPES_STYLE: Style = {
  name: "torchrun",
  open(cfg: RunConfig) {
    const st = initRecipes(cfg);
    return { unloggedSteps: true, message: (ev: OutputEvent) => recipesMessage(st, ev) };
  },
};
