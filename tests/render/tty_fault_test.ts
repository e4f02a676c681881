/** The live terminal view shows fault lines and a down node's GPUs. */
import assert from "node:assert/strict";
import { createTtyRenderer } from "../../src/render/tty.ts";
import { Sink } from "../../src/render/sink.ts";
import { drawRunConfig } from "../../src/sim/run_config.ts";
import { applyStyle, NATIVE_STYLE, openStyle } from "../../src/style/style.ts";
import type { OutputEvent } from "../../src/sim/events.ts";
import type { Frame } from "../../src/cluster/pool.ts";

Deno.test("the tty view prints a fault's line and marks the failed node's GPUs DOWN", () => {
  const cfg = drawRunConfig({ seed: 15, startMs: Date.parse("2026-11-24T09:00:00Z") });
  let out = "";
  const dec = new TextDecoder();
  const sink = new Sink({ writeSync: (p) => ((out += dec.decode(p)), p.length) });
  const tty = createTtyRenderer(sink, cfg, {
    color: false,
    size: () => ({ columns: 160, rows: 40 }),
    frameMs: 60_000,
  });
  const fault: OutputEvent = {
    type: "fault",
    simMs: cfg.startMs,
    level: "error",
    msg: "",
    data: {
      kind: "gpu_fault",
      step: 300,
      rank: 8,
      node: 1,
      host: "gpu-002",
      gpu: 0,
      recovery: "restart_from_checkpoint",
      cause: "Xid 79: GPU has fallen off the bus",
      resume_step: 250,
      lost_steps: 49,
      downtime_s: 725,
      restart: 1,
    },
  };
  const gpus = cfg.nodes * cfg.gpusPerNode;
  const frame: Frame = {
    seq: 1,
    simMs: cfg.startMs,
    utilPct: new Float32Array(gpus).fill(100),
    tempC: new Float32Array(gpus).fill(60),
    memGiB: new Float32Array(gpus).fill(20),
    powerW: new Float32Array(gpus).fill(120).fill(0, 8, 16),
    allreduceMs: null,
  };
  frame.utilPct.fill(0, 8, 16);
  frame.memGiB.fill(0, 8, 16);
  tty.event(applyStyle(openStyle(NATIVE_STYLE, cfg), fault));
  tty.telemetry(frame);
  tty.frame();
  tty.close();
  assert.match(out, /ERROR GPU fault at step 300 on rank 8 \(gpu-002 GPU 0\): Xid 79/);
  // One live frame shows the grid (the closing frame keeps only the bars); a node may take
  // several rows at this width.
  assert.equal(out.match(/✗ DOWN/g)?.length, 8, "all 8 GPUs of node 1 and no others");
  const hostRows = out.split("\n").filter((l) => l.includes("│") && l.includes("kW"));
  assert.equal(hostRows.length, cfg.nodes);
  assert.ok(hostRows[1].includes("DOWN") && !hostRows[0].includes("DOWN"));
});
