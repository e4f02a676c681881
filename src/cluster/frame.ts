/**
 * A frame is the merged telemetry of the whole cluster for one tick. Blocks of nodes arrive in
 * any order, from whichever worker serves them (the main thread never computes telemetry); each
 * lands at its global ranks, so the finished frame never depends on who answered first.
 */
import type { Sample } from "./protocol.ts";

/** Merged telemetry of the whole cluster for one tick; GPU arrays are indexed by global rank. */
export interface Frame {
  seq: number;
  simMs: number;
  utilPct: Float32Array;
  tempC: Float32Array;
  memGiB: Float32Array;
  powerW: Float32Array;
  /** Per node, ms, when the tick carried an all-reduce probe. */
  allreduceMs: Float32Array | null;
}

/** An empty frame for tick `seq` of a cluster of `nodes` × `gpusPerNode`. */
export function createFrame(
  seq: number,
  simMs: number,
  nodes: number,
  gpusPerNode: number,
  allreduce: boolean,
): Frame {
  const gpus = nodes * gpusPerNode;
  return {
    seq,
    simMs,
    utilPct: new Float32Array(gpus),
    tempC: new Float32Array(gpus),
    memGiB: new Float32Array(gpus),
    powerW: new Float32Array(gpus),
    allreduceMs: allreduce ? new Float32Array(nodes) : null,
  };
}

/** Copies a block's sample into the frame at the block's global ranks. */
export function mergeSample(frame: Frame, s: Sample, gpusPerNode: number): void {
  const at = s.firstNode * gpusPerNode;
  frame.utilPct.set(s.utilPct, at);
  frame.tempC.set(s.tempC, at);
  frame.memGiB.set(s.memGiB, at);
  frame.powerW.set(s.powerW, at);
  if (s.allreduceMs && frame.allreduceMs) frame.allreduceMs.set(s.allreduceMs, s.firstNode);
}

/** Splits `nodes` into at most `workers` contiguous blocks: [firstNode, nodeCount] each. */
export function nodeBlocks(nodes: number, workers: number): Array<[number, number]> {
  const n = Math.max(1, Math.min(workers, nodes));
  const out: Array<[number, number]> = [];
  for (let w = 0; w < n; w++) {
    const first = Math.floor((w * nodes) / n);
    out.push([first, Math.floor(((w + 1) * nodes) / n) - first]);
  }
  return out;
}
