/**
 * The shared memory between the pool and one telemetry worker: a few control words and a ring
 * of tick slots. The pool writes a tick into the next free slot, counts it posted and wakes the
 * worker's Atomics.waitAsync; the worker writes its block's readings into the same slot and
 * counts it answered, which wakes the pool's. No message crosses between the threads for a tick.
 */
import { ACTIVITIES, type Sample, type Tick } from "./protocol.ts";

/** Index of the control word counting ticks posted (the worker waits on it). */
export const POSTED = 0;
/** Index of the control word counting ticks answered (the pool waits on it). */
export const ANSWERED = 1;
/** Index of the control word that tells the worker to stop waiting: STOPPED or RELEASED. */
export const STOP = 2;
/** STOP's value when the worker is to end. */
export const STOPPED = 1;
/** STOP's value when the pool has let go of the channel; the worker waits for its next block. */
export const RELEASED = 2;

const CONTROL_BYTES = 16;
/** Float64 fields of a slot's header, in this order. */
const H = {
  seq: 0,
  simMs: 1,
  activity: 2,
  intensity: 3,
  memGiB: 4,
  loadFraction: 5,
  probe: 6,
  bytes: 7,
  ranks: 8,
  busbwGBps: 9,
  downCount: 10,
} as const;
const HEADER_BYTES = 96;
/** Most ticks one channel holds at once, and about the most memory its slots may take. */
const MAX_SLOTS = 16;
const MAX_CHANNEL_BYTES = 1 << 20;

/** Typed views of one slot: the tick asked for, and the block's readings for it. */
export interface TickSlot {
  header: Float64Array;
  /** Down nodes of the block (global node numbers), the first `downCount` entries. */
  down: Int32Array;
  utilPct: Float32Array;
  tempC: Float32Array;
  memGiB: Float32Array;
  powerW: Float32Array;
  /** Per node of the block, ms. */
  allreduceMs: Float32Array;
}

/** Typed views of a channel for a block of `nodes` nodes and `gpus` GPUs. */
export interface Channel {
  buffer: SharedArrayBuffer;
  control: Int32Array;
  slots: TickSlot[];
}

function slotBytes(gpus: number, nodes: number): number {
  const bytes = HEADER_BYTES + 4 * nodes + 16 * gpus + 4 * nodes;
  return Math.ceil(bytes / 8) * 8;
}

/** New shared memory for a block: 2 to 16 slots, fewer when the block is large. */
export function createChannel(gpus: number, nodes: number): Channel {
  const size = slotBytes(gpus, nodes);
  const count = Math.max(2, Math.min(MAX_SLOTS, Math.floor(MAX_CHANNEL_BYTES / size)));
  return openChannel(new SharedArrayBuffer(CONTROL_BYTES + count * size), gpus, nodes);
}

/** Views of shared memory made by createChannel() for the same block size. */
export function openChannel(buffer: SharedArrayBuffer, gpus: number, nodes: number): Channel {
  const size = slotBytes(gpus, nodes);
  const slots: TickSlot[] = [];
  for (let at = CONTROL_BYTES; at + size <= buffer.byteLength; at += size) {
    let o = at + HEADER_BYTES;
    const down = new Int32Array(buffer, o, nodes);
    o += 4 * nodes;
    const floats = (n: number) => ((o += 4 * n), new Float32Array(buffer, o - 4 * n, n));
    slots.push({
      header: new Float64Array(buffer, at, HEADER_BYTES / 8),
      down,
      utilPct: floats(gpus),
      tempC: floats(gpus),
      memGiB: floats(gpus),
      powerW: floats(gpus),
      allreduceMs: floats(nodes),
    });
  }
  return { buffer, control: new Int32Array(buffer, 0, CONTROL_BYTES / 4), slots };
}

/** Writes `tick` into a slot, keeping of its down nodes those in the block. */
export function writeTick(slot: TickSlot, tick: Tick, firstNode: number, nodes: number): void {
  const h = slot.header;
  h[H.seq] = tick.seq;
  h[H.simMs] = tick.simMs;
  h[H.activity] = ACTIVITIES.indexOf(tick.activity);
  h[H.intensity] = tick.intensity;
  h[H.memGiB] = tick.memGiB;
  h[H.loadFraction] = tick.loadFraction;
  h[H.probe] = tick.allreduce ? 1 : 0;
  h[H.bytes] = tick.allreduce?.bytes ?? 0;
  h[H.ranks] = tick.allreduce?.ranks ?? 0;
  h[H.busbwGBps] = tick.allreduce?.busbwGBps ?? 0;
  let down = 0;
  for (const node of tick.downNodes ?? []) {
    if (node >= firstNode && node < firstNode + nodes) slot.down[down++] = node;
  }
  h[H.downCount] = down;
}

/** The tick a slot holds (down nodes outside the block left out). */
export function readTick(slot: TickSlot): Tick {
  const h = slot.header;
  const tick: Tick = {
    type: "tick",
    seq: h[H.seq],
    simMs: h[H.simMs],
    activity: ACTIVITIES[h[H.activity]],
    intensity: h[H.intensity],
    memGiB: h[H.memGiB],
    loadFraction: h[H.loadFraction],
  };
  if (h[H.probe]) {
    tick.allreduce = { bytes: h[H.bytes], ranks: h[H.ranks], busbwGBps: h[H.busbwGBps] };
  }
  if (h[H.downCount] > 0) tick.downNodes = Array.from(slot.down.subarray(0, h[H.downCount]));
  return tick;
}

/** The block's readings in a slot, as a sample for tick `seq` (views, valid until reused). */
export function slotSample(slot: TickSlot, firstNode: number): Sample {
  return {
    type: "sample",
    seq: slot.header[H.seq],
    firstNode,
    nodeCount: slot.allreduceMs.length,
    utilPct: slot.utilPct,
    tempC: slot.tempC,
    memGiB: slot.memGiB,
    powerW: slot.powerW,
    allreduceMs: slot.header[H.probe] ? slot.allreduceMs : null,
  };
}
