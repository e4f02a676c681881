/**
 * What a GPU's used memory is made of, as the driver counts it: each process's CUDA context,
 * the caching allocator's reserved blocks, and the driver's own few MiB. Shared by the
 * telemetry workers (which report the total) and the styles (which split it into processes),
 * so nvidia-smi's per-process column adds up to the GPU's figure.
 */
import { unit3 } from "./hash.ts";

/** The caching allocator reserves memory in whole 2 MiB blocks. */
const BLOCK_MIB = 2;
/** MiB the driver keeps per extra process on a GPU (its channel and context bookkeeping). */
const PER_PROCESS_MIB = 6;

/** A run's constants of GPU memory accounting, drawn once from its seed. */
export interface MemoryTraits {
  /** One process's CUDA context, MiB (kernels load lazily, so about half a GiB). */
  contextMiB: number;
  /** Used minus the processes' own memory on a GPU holding one process, MiB. */
  driverMiB: number;
  /**
   * Contexts other ranks of a node open on its GPU 0 (they touched `cuda:0` before
   * `set_device`), each of `strayMiB`; 0 in most runs.
   */
  strayCount: number;
  strayMiB: number;
  /** Factor on global rank 0's training memory (it gathers metrics and keeps extra buffers). */
  rankZeroFactor: number;
  /** Shares of the training memory the ranks' tiers hold (stages and embedding ranks differ). */
  tiers: number[];
}

/** Draws a run's memory accounting from its seed (pure: the worker and the styles agree). */
export function memoryTraits(seed: number, gpusPerNode: number): MemoryTraits {
  const u = (k: number) => unit3(seed, 0x6d656d, k);
  const contextMiB = 496 + BLOCK_MIB * Math.floor(u(1) * 64);
  const stray = gpusPerNode > 1 && u(2) < 0.3;
  // Some strays only open a context; others also allocate (a tensor moved to cuda:0).
  const strayMiB = contextMiB + (u(3) < 0.35 ? 1024 + BLOCK_MIB * Math.floor(u(4) * 256) : 0);
  const tierCount = 1 + Math.floor(u(5) * 3);
  const tiers = [1, 1.004 + 0.02 * u(6), 0.99 - 0.015 * u(7)].slice(0, tierCount);
  return {
    contextMiB,
    driverMiB: 9 + Math.floor(u(8) * 9),
    strayCount: stray ? gpusPerNode - 1 : 0,
    strayMiB: stray ? strayMiB : 0,
    rankZeroFactor: u(9) < 0.6 ? 1.005 + 0.025 * u(10) : 1,
    tiers,
  };
}

/** A rank's share of the training memory: its tier's, times rank 0's extra. */
export function memoryShare(t: MemoryTraits, seed: number, rank: number): number {
  const tier = t.tiers[Math.floor(unit3(seed, rank, 0x74) * t.tiers.length)];
  return tier * (rank === 0 ? t.rankZeroFactor : 1);
}

/** A rank's own small offset from its tier, MiB (half the ranks have none), even. */
export function memoryJitterMiB(seed: number, rank: number): number {
  const u = unit3(seed, rank, 0x6a);
  return u < 0.5 ? 0 : BLOCK_MIB * Math.floor((u - 0.5) * 40);
}

/** Rounds MiB up to the allocator's block. */
export function blocksMiB(mib: number): number {
  return BLOCK_MIB * Math.ceil(Math.max(0, mib) / BLOCK_MIB);
}

/** The processes on local GPU `local` besides the one that owns it. */
export function strayProcesses(t: MemoryTraits, local: number): number {
  return local === 0 ? t.strayCount : 0;
}

/** MiB the driver and the stray contexts add to a GPU's own process. */
export function sharedMiB(t: MemoryTraits, local: number): number {
  const strays = strayProcesses(t, local);
  return t.driverMiB + strays * (PER_PROCESS_MIB + t.strayMiB);
}

/** The owning process's MiB on a GPU that shows `usedMiB` in all (never below its context). */
export function ownProcessMiB(t: MemoryTraits, local: number, usedMiB: number): number {
  return Math.max(t.contextMiB, usedMiB - sharedMiB(t, local));
}
