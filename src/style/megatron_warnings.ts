/**
 * A new set of worker processes (the first launch, or the job relaunched after a fault): the
 * Python warnings every rank prints at its first step.
 */
import type { RunConfig } from "../sim/run_config.ts";
import type { Rng } from "../sim/rng.ts";
import { perRank } from "./ranks.ts";
import { shownRanks, workerPrefix } from "./megatron_ranks.ts";
import type { MegatronState } from "./megatron_state.ts";

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
    ) => (i % 2 === 0
      ? [`${workerPrefix(cfg, r)}${l}\n${workerPrefix(cfg, r)}${lines[i + 1]}`]
      : [])
    );
  return perRank(shownRanks(cfg), rng, pairs);
}
