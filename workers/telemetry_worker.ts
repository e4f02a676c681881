/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
/**
 * Telemetry worker: a thin adapter. It receives the hardware facts once, then one tick at a
 * time, and answers with its block of nodes' GPU readings computed by src/cluster/telemetry.ts.
 */
import { initialThermal, sampleBlock, type ThermalState } from "../src/cluster/telemetry.ts";
import type { ToWorker, WorkerInit } from "../src/cluster/protocol.ts";

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
    if (!init || !thermal) throw new Error("telemetry worker got a tick before init");
    const s = sampleBlock(init, thermal, msg);
    const buffers = [s.utilPct.buffer, s.tempC.buffer, s.memGiB.buffer, s.powerW.buffer];
    if (s.allreduceMs) buffers.push(s.allreduceMs.buffer);
    self.postMessage(s, buffers as ArrayBuffer[]);
  };
}

serve();
