/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
/**
 * Telemetry worker: a thin adapter. It receives the hardware facts, its block of nodes (and,
 * after a late start or a restart, the block's last state) and its shared channel, then waits
 * on the channel: each tick the pool posts there is computed by src/cluster/telemetry.ts into
 * the tick's slot. A tick it cannot compute is reported as a failure, after which the worker
 * stops and the pool replaces it. A pool that could not start every thread it asked for lets go
 * of the channel and sends a larger block; the worker then serves that one.
 *
 * The wait is an Atomics.waitAsync in the worker's event loop, not a blocking Atomics.wait: in
 * Deno 2.9.6 (V8 15.0), waking a thread that the system has stopped inside Atomics.wait (a
 * debugger, a ptrace stop) also kept every other thread blocked in Atomics.wait from waking
 * until it ran again, so one frozen worker stalled them all (measured with four workers).
 */
import { initialThermal, sampleBlock, type ThermalState } from "../src/cluster/telemetry.ts";
import type { Fault, Tick, WorkerFailure, WorkerInit } from "../src/cluster/protocol.ts";
import {
  ANSWERED,
  type Channel,
  openChannel,
  POSTED,
  readTick,
  STOP,
  STOPPED,
} from "../src/cluster/channel.ts";

/** Acts out an injected test fault; returns true when the tick must not be answered. */
function injectFault(fault: Fault | undefined, tick: Tick): boolean {
  if (!fault || fault.atSeq !== tick.seq) return false;
  if (fault.kind === "throw") throw new Error(`injected fault at tick ${tick.seq}`);
  if (fault.kind === "escape") throw new EscapedFault(tick.seq);
  self.close();
  return true;
}

/** A test fault thrown past the worker's own handling, as an error event for the pool. */
class EscapedFault extends Error {
  constructor(seq: number) {
    super(`injected uncaught fault at tick ${seq}`);
  }
}

/** Waits until tick `n` (counted from 0) is posted; false once the pool stops or lets go. */
async function awaitTick(control: Int32Array, n: number): Promise<boolean> {
  while (Atomics.load(control, POSTED) <= n && Atomics.load(control, STOP) === 0) {
    const wait = Atomics.waitAsync(control, POSTED, n);
    if (wait.async) await wait.value;
  }
  return Atomics.load(control, STOP) === 0;
}

/** Answers tick `n`; false when the worker must stop (a fault, or the tick failed). */
function answer(init: WorkerInit, thermal: ThermalState, channel: Channel, n: number): boolean {
  const slot = channel.slots[n % channel.slots.length];
  const tick = readTick(slot);
  try {
    if (injectFault(init.fault, tick)) return false;
    sampleBlock(init, thermal, tick, slot);
  } catch (err) {
    if (err instanceof EscapedFault) throw err;
    // Reported rather than thrown, so no stack trace lands on the user's terminal.
    const failure: WorkerFailure = { type: "failure", seq: tick.seq, message: String(err) };
    self.postMessage(failure);
    self.close();
    return false;
  }
  Atomics.store(channel.control, ANSWERED, n + 1);
  Atomics.notify(channel.control, ANSWERED);
  return true;
}

/** Serves ticks from the channel until the pool stops the worker or lets go of the channel. */
async function serve(init: WorkerInit): Promise<void> {
  const channel = openChannel(init.channel!, init.nodeCount * init.gpusPerNode, init.nodeCount);
  const thermal = initialThermal(init);
  for (let n = 0; await awaitTick(channel.control, n); n++) {
    if (!answer(init, thermal, channel, n)) return;
  }
  if (Atomics.load(channel.control, STOP) === STOPPED) self.close();
}

self.onmessage = (e: MessageEvent<WorkerInit>) => {
  // Not awaited: an error that escapes serve() (a test fault) is an unhandled rejection, which
  // ends the worker with an error event for the pool.
  serve(e.data);
};
