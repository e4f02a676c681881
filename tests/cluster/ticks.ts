/** A fixed schedule of ticks and cluster facts shared by the cluster tests. */
import type { Tick, WorkerInit } from "../../src/cluster/protocol.ts";
import type { PoolOptions } from "../../src/cluster/pool.ts";

/** A small H100-like cluster of `nodes` nodes. */
export function clusterOptions(nodes: number, maxWorkers: number): PoolOptions {
  return {
    seed: 1234,
    nodes,
    gpusPerNode: 8,
    memTotalGiB: 80,
    tdpW: 700,
    idleW: 70,
    maxWorkers,
    now: () => performance.now(),
  };
}

/** The init a worker serving nodes [firstNode, firstNode + nodeCount) would get cold. */
export function blockInit(o: PoolOptions, firstNode: number, nodeCount: number): WorkerInit {
  const { seed, gpusPerNode, memTotalGiB, tdpW, idleW } = o;
  return { type: "init", seed, gpusPerNode, firstNode, nodeCount, memTotalGiB, tdpW, idleW };
}

const T0 = Date.UTC(2026, 10, 24, 9);

/** Eight ticks through loading, training (one with an all-reduce probe) and a checkpoint. */
export const TICKS: Array<Omit<Tick, "type" | "seq">> = [
  { simMs: T0, activity: "idle", intensity: 0, memGiB: 60, loadFraction: 1 },
  { simMs: T0 + 2_000, activity: "load", intensity: 0.3, memGiB: 60, loadFraction: 0.5 },
  { simMs: T0 + 9_000, activity: "train", intensity: 0.9, memGiB: 60, loadFraction: 1 },
  {
    simMs: T0 + 9_000,
    activity: "train",
    intensity: 0.85,
    memGiB: 60,
    loadFraction: 1,
    allreduce: { bytes: 16e9, ranks: 40, busbwGBps: 180 },
  },
  { simMs: T0 + 31_000, activity: "train", intensity: 0.9, memGiB: 60, loadFraction: 1 },
  { simMs: T0 + 75_000, activity: "train", intensity: 0.9, memGiB: 60, loadFraction: 1 },
  { simMs: T0 + 80_000, activity: "ckpt", intensity: 0.3, memGiB: 60, loadFraction: 1 },
  { simMs: T0 + 95_000, activity: "train", intensity: 0.9, memGiB: 60, loadFraction: 1 },
];
