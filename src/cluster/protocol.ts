/** Messages between the main thread and the telemetry workers. */

/**
 * What the cluster is doing during a tick; sets utilisation, power and memory. `hang`: ranks
 * spin in a collective that will never finish (full utilisation, little power). `empty`: no
 * process holds the GPUs yet (before the launcher starts them, or between two launches), so
 * not even a CUDA context is resident.
 */
export type Activity = "idle" | "load" | "train" | "val" | "ckpt" | "export" | "hang" | "empty";

/** Every activity, in the order the shared channel numbers them. */
export const ACTIVITIES: readonly Activity[] = [
  "idle",
  "load",
  "train",
  "val",
  "ckpt",
  "export",
  "hang",
  "empty",
];

/**
 * The temperatures a block of GPUs had after the last tick, so that a worker started late or
 * restarted after a crash continues exactly where the lost one would have been.
 */
export interface WarmState {
  /** Per GPU of the block, °C. */
  tempC: Float32Array;
  /** Simulated instant of that tick, ms. */
  lastSimMs: number;
}

/**
 * A failure to inject, for tests only (the CLI has no way to set it): at tick `atSeq` the worker
 * throws while computing it (`throw`, reported as a failure), throws where nothing catches it
 * (`escape`, an error event) or stops silently (`close`).
 */
export interface Fault {
  atSeq: number;
  kind: "throw" | "escape" | "close";
}

/**
 * Hardware facts and the block a worker serves: the only message the pool sends it, once, or
 * again with a larger block when the pool goes on with fewer threads than it asked for.
 */
export interface WorkerInit {
  type: "init";
  seed: number;
  gpusPerNode: number;
  firstNode: number;
  nodeCount: number;
  memTotalGiB: number;
  tdpW: number;
  idleW: number;
  /** Absent for a block that has not seen a tick yet. */
  warm?: WarmState;
  fault?: Fault;
  /** Shared memory the ticks and answers pass through (see channel.ts); the pool always sends it. */
  channel?: SharedArrayBuffer;
}

/** An all-reduce each node should time during this tick. */
export interface AllReduceProbe {
  bytes: number;
  ranks: number;
  busbwGBps: number;
}

/** One simulated instant: every node reports its GPUs at `simMs`. */
export interface Tick {
  type: "tick";
  seq: number;
  simMs: number;
  activity: Activity;
  /** Fraction of TDP that the kernels draw at full utilisation (0–1). */
  intensity: number;
  /** Memory each GPU holds during training, GiB. */
  memGiB: number;
  /** 0–1 progress through a loading phase (memory ramps with it). */
  loadFraction: number;
  allreduce?: AllReduceProbe;
  /** Nodes that are down (a GPU fault): their GPUs read 0% and 0 GiB, draw 0 W and cool off. */
  downNodes?: number[];
}

/** A block's readings for a tick; arrays are indexed by GPU within the block. */
export interface Sample {
  type: "sample";
  seq: number;
  firstNode: number;
  nodeCount: number;
  utilPct: Float32Array;
  tempC: Float32Array;
  memGiB: Float32Array;
  powerW: Float32Array;
  /** Per node, milliseconds, when the tick carried an all-reduce probe. */
  allreduceMs: Float32Array | null;
}

/** A worker's report that computing tick `seq` threw; the worker stops after sending it. */
export interface WorkerFailure {
  type: "failure";
  seq: number;
  message: string;
}

/** Worker → main: the only message a worker sends (its answers go through shared memory). */
export type FromWorker = WorkerFailure;
