/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
/**
 * Telemetry worker: a thin adapter. It receives the hardware facts (and, after a late start or
 * a restart, its block's last state) once, then one tick at a time, and answers with its block
 * of nodes' GPU readings computed by src/cluster/telemetry.ts. A tick it cannot compute is
 * reported as a failure, after which the worker stops and the pool replaces it.
 */
import { initialThermal, sampleBlock, type ThermalState } from "../src/cluster/telemetry.ts";
import type { Fault, Tick, ToWorker, WorkerFailure, WorkerInit } from "../src/cluster/protocol.ts";

/** Acts out an injected test fault; returns true when the tick must not be answered. */
function injectFault(fault: Fault | undefined, tick: Tick): boolean {
  if (!fault || fault.atSeq !== tick.seq) return false;
  if (fault.kind === "throw") throw new Error(`injected fault at tick ${tick.seq}`);
  if (fault.kind === "escape") {
    setTimeout(() => {
      throw new Error(`injected uncaught fault at tick ${tick.seq}`);
    }, 0);
  } else self.close();
  return true;
}

function answer(init: WorkerInit, thermal: ThermalState, tick: Tick): void {
  if (injectFault(init.fault, tick)) return;
  const s = sampleBlock(init, thermal, tick);
  const buffers = [s.utilPct.buffer, s.tempC.buffer, s.memGiB.buffer, s.powerW.buffer];
  if (s.allreduceMs) buffers.push(s.allreduceMs.buffer);
  self.postMessage(s, buffers as ArrayBuffer[]);
}

function serve(): void {
  let init: WorkerInit | null = null;
  let thermal: ThermalState | null = null;
  self.onmessage = (e: MessageEvent<ToWorker>) => {
    const msg = e.data;
    if (msg.type === "init") {
      init = msg;
      thermal = initialThermal(msg);
      return;
    }
    try {
      if (!init || !thermal) throw new Error("telemetry worker got a tick before init");
      answer(init, thermal, msg);
    } catch (err) {
      // Reported rather than thrown, so no stack trace lands on the user's terminal.
      const failure: WorkerFailure = { type: "failure", seq: msg.seq, message: String(err) };
      self.postMessage(failure);
      self.close();
    }
  };
}

serve();
