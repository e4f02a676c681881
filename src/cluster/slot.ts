/**
 * One block of the pool: the worker serving it, its channel, the ticks on their way through it
 * and the block's state after its last answer (what a replacement starts from).
 */
import type { Pending } from "./pool.ts";
import type { Fault, WorkerInit } from "./protocol.ts";
import { type Channel, createChannel } from "./channel.ts";

/** A block's worker and what the pool knows of it. */
export interface Slot {
  worker: Worker | null;
  channel: Channel | null;
  /** Ticks waiting for a free place in the channel, oldest first. */
  queued: Pending[];
  /** Ticks in the channel, not yet collected, oldest first (the worker answers in order). */
  sent: Pending[];
  /** Ticks written into the channel and collected from it, since the worker started. */
  posted: number;
  collected: number;
  /** Whether an Atomics.waitAsync on the channel's answers is outstanding. */
  watching: boolean;
  /** A passive pool's block whose answers watch() asked to wait for. */
  watched: boolean;
  /** Failures since the block last answered from a worker. */
  failures: number;
  /** Between a failure and the replacement's first answer. */
  recovering: boolean;
  /** The block's temperatures after the last tick it answered (handed to a replacement). */
  warmTempC: Float32Array;
  warmSimMs: number | null;
  fault?: Fault;
}

/** Every GPU's temperature after one tick, and that tick's simulated instant. */
export interface WarmCluster {
  tempC: Float32Array;
  simMs: number;
}

/** A block of `gpus` GPUs without a worker yet. */
export function newSlot(gpus: number, fault?: Fault): Slot {
  return {
    worker: null,
    channel: null,
    queued: [],
    sent: [],
    posted: 0,
    collected: 0,
    watching: false,
    watched: false,
    failures: 0,
    recovering: false,
    warmTempC: new Float32Array(gpus),
    warmSimMs: null,
    fault,
  };
}

/** The cluster facts and the block a worker is handed. */
export type BlockFacts = Omit<WorkerInit, "type" | "warm" | "fault" | "channel">;

/**
 * Hands worker `w` the slot's block: a fresh channel, and the block's state after its last
 * answer (none before the first); the slot's injected fault goes to this worker only.
 */
export function bindWorker(slot: Slot, w: Worker, facts: BlockFacts): void {
  const channel = createChannel(facts.nodeCount * facts.gpusPerNode, facts.nodeCount);
  const init: WorkerInit = {
    type: "init",
    seed: facts.seed,
    gpusPerNode: facts.gpusPerNode,
    firstNode: facts.firstNode,
    nodeCount: facts.nodeCount,
    memTotalGiB: facts.memTotalGiB,
    tdpW: facts.tdpW,
    idleW: facts.idleW,
    warm: slot.warmSimMs === null
      ? undefined
      : { tempC: slot.warmTempC.slice(), lastSimMs: slot.warmSimMs },
    fault: slot.fault,
    channel: channel.buffer,
  };
  slot.fault = undefined;
  w.postMessage(init);
  slot.worker = w;
  slot.channel = channel;
  slot.sent = [];
  slot.posted = slot.collected = 0;
  slot.watching = false;
}
