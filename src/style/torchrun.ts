/**
 * A plain PyTorch script under `torchrun --tee 3`: the agents' banners and rendezvous on every
 * node, every rank's lines prefixed `[defaultN]:`, then rank 0's Python logger for the run.
 */
import type { DataEvent, Level, LogEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { pyLogTime } from "../format/clock.ts";
import { defineStyle, forKeys, type LogFormatter, NCCL_KEYS } from "./define.ts";
import { formatNative, formatNativeLog } from "./native.ts";
import { ncclLines } from "./nccl_lines.ts";
import { startupTable } from "./nvidia_smi.ts";
import { lineRng, perRank, prefixLines, startupRanks, teePrefix } from "./ranks.ts";
import { agentsFinished, ompBanner, rendezvousReport, startingWorkers } from "./torchrun_lines.ts";
import { formatExp, thousands } from "../format/units.ts";
import { PY_LEVEL } from "../format/python_repr.ts";

const NAME = "torchrun";

/** Rank 0's logger line: `[default0]:2026-11-24 09:00:03,367 - INFO - msg`. */
function logger(cfg: RunConfig, simMs: number, level: Level, msg: string): string {
  const head = `${teePrefix(cfg, 0)}${pyLogTime(simMs)} - ${PY_LEVEL[level]} - `;
  return prefixLines(head, msg);
}

/** Script lines go through the logger; tqdm bars are written bare to stderr. */
const script: LogFormatter = (ev, cfg) =>
  ev.bar
    ? prefixLines(teePrefix(cfg, 0), formatNativeLog(ev, cfg))
    : logger(cfg, ev.simMs, ev.level, formatNativeLog(ev, cfg));
const nccl: LogFormatter = (ev, cfg) => ncclLines(ev, cfg, NAME, (r) => teePrefix(cfg, r));

type StepEvent = Extract<DataEvent, { type: "step" }>;

/** The metrics line rank 0 logs: loss, grad norm, memory, tokens/s per GPU, TFLOP/s, MFU. */
export function torchrunStep(ev: StepEvent, cfg: RunConfig): string {
  const d = ev.data;
  const memGiB = cfg.plan.memory.totalGiB;
  const memPct = (memGiB / (cfg.gpu.memMiB / 1024)) * 100;
  const msg = `step: ${d.step}  loss: ${d.loss.toFixed(4).padStart(7)}  ` +
    `grad_norm: ${d.grad_norm.toFixed(4)}  lr: ${formatExp(d.lr, 4)}  ` +
    `memory: ${memGiB.toFixed(2)}GiB(${memPct.toFixed(2)}%)  ` +
    `tps: ${thousands(d.tokens_per_s / cfg.worldSize)}  tflops: ${d.tflops_per_gpu.toFixed(2)}  ` +
    `mfu: ${(d.mfu * 100).toFixed(2)}%`;
  return logger(cfg, ev.simMs, ev.level, msg);
}

function distInit(ev: LogEvent, cfg: RunConfig): string {
  return perRank(startupRanks(cfg), lineRng(cfg, NAME, ev), (r) => [
    `${teePrefix(cfg, r)}| distributed init (rank ${r}): env://, gpu ${r % cfg.gpusPerNode}`,
  ]);
}

/** fauxtrain's own lines as a torchrun-launched script prints them. */
export const TORCHRUN_STYLE = defineStyle({
  name: NAME,
  logs: {
    launch: () => null,
    "launch.job": () => null,
    "torchrun.omp": (ev, cfg) => ompBanner(ev, cfg, NAME),
    "torchrun.rdzv": (ev, cfg) => rendezvousReport(ev, cfg, NAME),
    "torchrun.start": (ev, cfg) => startingWorkers(ev, cfg, NAME),
    "dist.init": distInit,
    ...forKeys(NCCL_KEYS, nccl),
    "summary.size": (ev, cfg) => `${script(ev, cfg, undefined)}\n${agentsFinished(ev, cfg, NAME)}`,
  },
  otherLog: script,
  data: {
    run: "",
    step: torchrunStep,
    val: (ev, cfg) => logger(cfg, ev.simMs, ev.level, formatNative(ev, cfg)),
    ckpt: (ev, cfg) => logger(cfg, ev.simMs, ev.level, formatNative(ev, cfg)),
    export: (ev, cfg) => logger(cfg, ev.simMs, ev.level, formatNative(ev, cfg)),
    summary: (ev, cfg) => logger(cfg, ev.simMs, ev.level, formatNative(ev, cfg)),
    allreduce: "",
    gpu: (ev, cfg) => prefixLines(teePrefix(cfg, 0), startupTable(ev, cfg)),
  },
});
