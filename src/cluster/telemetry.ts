/**
 * Per-GPU telemetry, computed inside the workers: utilisation from the activity, power from
 * utilisation up to the TDP, temperature lagging toward a level set by power, and memory as
 * the driver counts it (contexts, the allocator's reserved blocks; see gpu_memory.ts).
 */
import { allReduceSeconds } from "../sim/model/comm.ts";
import { unit3, unit4 } from "./hash.ts";
import {
  blocksMiB,
  memoryJitterMiB,
  memoryShare,
  type MemoryTraits,
  memoryTraits,
  sharedMiB,
} from "./gpu_memory.ts";
import type { Sample, Tick, WorkerInit } from "./protocol.ts";

const AMBIENT_C = 27;
/** Degrees above ambient at full TDP. */
const RISE_AT_TDP_C = 44;
/** Thermal time constant of a GPU and its heat sink, simulated seconds. */
const THERMAL_TAU_S = 40;

/**
 * What a worker keeps between ticks for its GPUs: temperatures, and the per-GPU constants of
 * the run, drawn once rather than at every tick.
 */
export interface ThermalState {
  tempC: Float32Array;
  lastSimMs: number;
  /** Per GPU, °C: some cards sit in hotter slots than others. */
  offsetC: Float64Array;
  /** Per GPU: how fast its heat sink follows the load (the thermal time constant's share). */
  lag: Float64Array;
  /** Per GPU: degrees above ambient at full TDP, as its airflow and paste allow. */
  riseC: Float64Array;
  /** Per GPU: how much more or less power than its peers a card draws (about 0.96–1.04). */
  spread: Float64Array;
  /** Per GPU: the share of the training memory it holds (pipeline stages, embeddings). */
  memShare: Float64Array;
  /** Per GPU: its own offset from its tier, MiB. */
  memJitterMiB: Float64Array;
  /** Per GPU: what an idle card draws, W (no two cards idle at quite the same power). */
  idleW: Float64Array;
  /** The run's memory accounting. */
  mem: MemoryTraits;
}

/**
 * The state a worker starts from: the warm state it was handed (a late start or a restart), or
 * before any tick every GPU at ambient plus its own offset. Depends on global ranks only, so
 * the same GPU starts the same whichever worker owns it.
 */
export function initialThermal(init: WorkerInit): ThermalState {
  const n = init.nodeCount * init.gpusPerNode;
  const offsetC = new Float64Array(n), spread = new Float64Array(n), memShare = new Float64Array(n);
  const memJitterMiB = new Float64Array(n), idleW = new Float64Array(n);
  const lag = new Float64Array(n), riseC = new Float64Array(n);
  const mem = memoryTraits(init.seed, init.gpusPerNode);
  for (let i = 0; i < n; i++) {
    const rank = globalRank(init, i);
    const u = unit3(init.seed, rank, 7);
    offsetC[i] = -3 + 10 * u * u;
    spread[i] = 0.96 + 0.08 * unit3(init.seed, rank, 3);
    memShare[i] = memoryShare(mem, init.seed, rank);
    memJitterMiB[i] = memoryJitterMiB(init.seed, rank);
    idleW[i] = init.idleW * (0.94 + 0.12 * unit3(init.seed, rank, 9));
    lag[i] = THERMAL_TAU_S * (0.6 + 0.8 * unit3(init.seed, rank, 11));
    riseC[i] = RISE_AT_TDP_C * (0.88 + 0.24 * unit3(init.seed, rank, 13));
  }
  const fixed = { offsetC, lag, riseC, spread, memShare, memJitterMiB, idleW, mem };
  if (init.warm) {
    return { tempC: Float32Array.from(init.warm.tempC), lastSimMs: init.warm.lastSimMs, ...fixed };
  }
  const tempC = new Float32Array(n);
  for (let i = 0; i < n; i++) tempC[i] = AMBIENT_C + offsetC[i] * 0.5;
  return { tempC, lastSimMs: -1, ...fixed };
}

function globalRank(init: WorkerInit, i: number): number {
  return init.firstNode * init.gpusPerNode + i;
}

function utilFor(tick: Tick, rank: number, seed: number, second: number): number {
  const u = unit4(seed, rank, second, 1);
  switch (tick.activity) {
    case "train":
      // Kernels (NCCL included) keep the GPU busy; brief data-loader stalls show as dips.
      return unit4(seed, rank >> 3, second, 2) < 0.03 ? 72 + 20 * u : Math.min(100, 96 + 4.3 * u);
    case "val":
      return 88 + 10 * u;
    case "hang":
      return 100;
    case "ckpt":
      return 3 * u;
    case "export":
      return 12 * u;
    case "load":
      return 6 * u * tick.loadFraction;
    default:
      return 0;
  }
}

/** Where sampleBlock() writes a block's readings: per GPU, and per node for the all-reduce. */
export type SampleArrays = Pick<Sample, "utilPct" | "tempC" | "memGiB" | "powerW"> & {
  allreduceMs: Float32Array;
};

/** Fresh arrays for a block's readings. */
function newArrays(init: WorkerInit): SampleArrays {
  const n = init.nodeCount * init.gpusPerNode;
  return {
    utilPct: new Float32Array(n),
    tempC: new Float32Array(n),
    memGiB: new Float32Array(n),
    powerW: new Float32Array(n),
    allreduceMs: new Float32Array(init.nodeCount),
  };
}

/**
 * Computes one tick for a worker's block of nodes into `out` (fresh arrays by default; a worker
 * passes its shared slot) and advances the block's thermal state.
 */
export function sampleBlock(
  init: WorkerInit,
  state: ThermalState,
  tick: Tick,
  out: SampleArrays = newArrays(init),
): Sample {
  const n = init.nodeCount * init.gpusPerNode;
  const { utilPct, tempC, memGiB, powerW } = out;
  const dtS = state.lastSimMs < 0 ? 0 : Math.max(0, tick.simMs - state.lastSimMs) / 1000;
  const second = Math.floor(tick.simMs / 1000);
  for (let i = 0; i < n; i++) {
    const rank = globalRank(init, i);
    const down = tick.downNodes?.includes(Math.floor(rank / init.gpusPerNode)) ?? false;
    const util = down ? 0 : utilFor(tick, rank, init.seed, second);
    // A sample lands in a matmul, an all-reduce or a data wait: the draw moves by ±12%.
    const wobble = 0.88 + 0.24 * unit4(init.seed, rank, second, 4);
    const dynamic = (init.tdpW - init.idleW) * tick.intensity * (util / 100) * state.spread[i] *
      wobble;
    // An idle card's draw drifts by a watt or two between readings.
    const idle = state.idleW[i] * (0.985 + 0.03 * unit4(init.seed, rank, second, 8));
    const power = down ? 0 : Math.min(init.tdpW * 1.06, idle + dynamic);
    const target = AMBIENT_C + state.offsetC[i] + state.riseC[i] * (power / init.tdpW);
    // Each card's heat sink follows the load at its own pace.
    const alpha = 1 - Math.exp(-dtS / state.lag[i]);
    const temp = state.tempC[i] + (target - state.tempC[i]) * alpha;
    state.tempC[i] = temp;
    utilPct[i] = util;
    powerW[i] = power;
    tempC[i] = temp;
    memGiB[i] = down ? 0 : memoryFor(init, state, tick, i) / 1024;
  }
  state.lastSimMs = tick.simMs;
  return {
    type: "sample",
    seq: tick.seq,
    firstNode: init.firstNode,
    nodeCount: init.nodeCount,
    utilPct,
    tempC,
    memGiB,
    powerW,
    allreduceMs: tick.allreduce ? allReduceTimes(init, tick, out.allreduceMs) : null,
  };
}

/**
 * What the driver reports used on GPU `i`, MiB: nothing without a process; else the driver's
 * share and any stray contexts, the owner's context, and its allocator's reserved blocks
 * (ramping up while the model loads).
 */
function memoryFor(init: WorkerInit, state: ThermalState, tick: Tick, i: number): number {
  if (tick.activity === "empty") return 0;
  const t = state.mem;
  const shared = sharedMiB(t, i % init.gpusPerNode) + t.contextMiB;
  if (tick.activity === "idle") return shared;
  // Pipeline stages and embedding ranks hold slightly different amounts.
  const want = tick.memGiB * 1024 * state.memShare[i] + state.memJitterMiB[i] - t.contextMiB;
  const room = init.memTotalGiB * 1024 * 0.985 - shared;
  const reserved = Math.min(blocksMiB(want), blocksMiB(room - 2));
  if (tick.activity === "load") return shared + blocksMiB(reserved * tick.loadFraction * 0.6);
  return shared + reserved;
}

/** Each node's time for the probe's all-reduce, ms, with a per-node jitter of a few percent. */
function allReduceTimes(init: WorkerInit, tick: Tick, out: Float32Array): Float32Array {
  const probe = tick.allreduce!;
  const base = allReduceSeconds(probe.bytes, probe.ranks, probe.busbwGBps) * 1000;
  for (let k = 0; k < init.nodeCount; k++) {
    const node = init.firstNode + k;
    out[k] = base * (1 + 0.04 * unit4(init.seed, node, tick.seq, 6));
  }
  return out;
}
