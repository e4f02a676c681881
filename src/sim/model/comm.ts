/** Collective communication: ring all-reduce time from bytes, ranks and bus bandwidth. */
import type { GpuSpec } from "../catalog.ts";

/** Per-hop latency of one NCCL ring step, seconds. */
const HOP_LATENCY_S = 6e-6;

/**
 * Bus bandwidth an all-reduce over `nodes` nodes reaches, GB/s: NVLink inside one node, the
 * node's NICs between nodes, losing a little per doubling of the node count.
 */
export function busBandwidthGBps(gpu: GpuSpec, nodes: number): number {
  if (nodes <= 1) return gpu.intraBusbwGBps;
  const network = gpu.nicsPerNode * gpu.nicGBps * 0.95;
  return Math.min(gpu.intraBusbwGBps, network) * (1 - 0.03 * Math.log2(nodes));
}

/** The NCCL algorithm name a run of this size would pick for large messages. */
export function allReduceAlgo(gpu: GpuSpec, nodes: number): "NVLS" | "Ring" | "Tree" {
  if (nodes === 1) return gpu.arch === "Hopper" || gpu.arch === "Blackwell" ? "NVLS" : "Ring";
  return nodes >= 32 ? "Tree" : "Ring";
}

/** All-reduce time in seconds: 2(n−1)/n × bytes / bus bandwidth + per-hop latency. */
export function allReduceSeconds(bytes: number, ranks: number, busbwGBps: number): number {
  if (ranks <= 1) return 0;
  const volume = (2 * (ranks - 1)) / ranks * bytes;
  return volume / (busbwGBps * 1e9) + 2 * (ranks - 1) * HOP_LATENCY_S;
}

/** Bus bandwidth a measured all-reduce achieved, GB/s (the nccl-tests definition). */
export function achievedBusbw(bytes: number, ranks: number, seconds: number): number {
  if (ranks <= 1 || seconds <= 0) return 0;
  return ((2 * (ranks - 1)) / ranks * bytes) / seconds / 1e9;
}
