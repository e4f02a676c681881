/**
 * A new set of worker processes: the Python warnings every rank prints at its first step, and
 * the whole start-up again after torchrun restarts the workers, ending in the load of the last
 * checkpoint and the step counter set back to it.
 */
import type { LogEventOf } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import type { Rng } from "../sim/rng.ts";
import { lineRng, perRank, teePrefix } from "./ranks.ts";
import { shownRanks } from "./megatron_ranks.ts";
import { type MegatronState, startTraining } from "./megatron_state.ts";
import { buildLines, initializedLines, initializedMilestone, initLines } from "./megatron_setup.ts";
import { rank0 } from "./megatron_ranks.ts";
import {
  builtLines,
  loadDoneLines,
  type LoadFrom,
  loadStartLines,
  optimizerLines,
  setupDoneLines,
  trainingStartLines,
} from "./megatron_data.ts";
import { datasetLines } from "./megatron_datasets.ts";

/** One rank's Python warnings at its first step (the 2024 release on PyTorch 2.4 warns most). */
function rankWarnings(cfg: RunConfig, st: MegatronState): string[] {
  if (st.profile.later) return [];
  const repo = `${st.profile.repo}/megatron/core`,
    out = [
      `${repo}/tensor_parallel/layers.py:609: UserWarning: async_grad_allreduce is deprecated, ` +
      "not in use anymore and will be fully removed with 0.10.0. Please use allreduce_dgrad " +
      "instead.",
      "  warnings.warn(",
    ];
  if (!cfg.cluster.torchVersion.startsWith("2.4") || !st.profile.distributedOptimizer) return out;
  return [
    ...out,
    `${repo}/distributed/param_and_grad_buffer.py:259: FutureWarning: ` +
    "`torch.distributed._reduce_scatter_base` is a private function and will be deprecated. " +
    "Please use `torch.distributed.reduce_scatter_tensor` instead.",
    "  torch.distributed._reduce_scatter_base(",
    `${st.profile.sitePackages}/torch/distributed/c10d_logger.py:79: FutureWarning: ` +
    "`torch.distributed._all_gather_base` is a private function and will be deprecated. " +
    "Please use `torch.distributed.all_gather_into_tensor` instead.",
    "  return func(*args, **kwargs)",
  ];
}

/** Every shown rank's first-step warnings, mixed as the ranks write them. */
export function firstStepWarnings(cfg: RunConfig, st: MegatronState, rng: Rng): string {
  const lines = rankWarnings(cfg, st);
  if (lines.length === 0) return "";
  // A warning and its source line are one write: they stay together.
  const pairs = (r: number) =>
    lines.flatMap((
      l,
      i,
    ) => (i % 2 === 0 ? [`${teePrefix(cfg, r)}${l}\n${teePrefix(cfg, r)}${lines[i + 1]}`] : []));
  return perRank(shownRanks(cfg), rng, pairs);
}

/** The restarted workers' start-up, up to the start of the checkpoint load. */
export function restartStart(
  ev: LogEventOf<"fault.load">,
  cfg: RunConfig,
  st: MegatronState,
): string {
  const rng = lineRng(cfg, "megatron", ev);
  st.initializedMs = ev.simMs;
  const from: LoadFrom = { kind: "iteration", dir: cfg.outputDir, step: ev.data.step };
  return [
    initLines(ev, cfg, st),
    initializedLines(ev, cfg, st),
    rank0(cfg, initializedMilestone(ev.simMs, st)),
    buildLines(ev, cfg, st),
    rank0(cfg, [...optimizerLines(cfg, st, rng), ...loadStartLines(from, cfg)]),
  ].join("\n");
}

/** The load's end, the cached datasets and the milestones; training restarts after `step`. */
export function restartDone(
  ev: LogEventOf<"fault.resume">,
  cfg: RunConfig,
  st: MegatronState,
): string {
  const rng = lineRng(cfg, "megatron", ev), step = ev.data.step;
  const from: LoadFrom = { kind: "iteration", dir: cfg.outputDir, step };
  st.builtMs = ev.simMs;
  st.skippedTotal = st.skippedAtSave.get(step) ?? st.skippedTotal;
  const readyMs = ev.simMs;
  const out = [
    rank0(cfg, loadDoneLines(from, cfg, st)),
    builtLines(cfg, ev.simMs - st.initializedMs, ev.simMs, rng),
    datasetLines(cfg, st, false, rng),
    setupDoneLines(cfg, st, readyMs, rng),
    trainingStartLines(cfg, st, step, readyMs),
  ].join("\n");
  startTraining(st, readyMs, step);
  return out;
}
