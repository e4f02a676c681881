/**
 * The live view's lines drawn ahead (prepare(), as a paced run reads a second of events at a
 * time) are the lines it draws at the frame: the same bytes, and after a resize between the two
 * the frame is drawn for the new width, not the old one.
 */
import assert from "node:assert/strict";
import { createTtyRenderer, type TermSize } from "../../src/render/tty.ts";
import { Sink } from "../../src/render/sink.ts";
import { drawRunConfig } from "../../src/sim/run_config.ts";
import { simulateRun } from "../../src/sim/simulate.ts";
import { applyStyle, openStyle } from "../../src/style/apply.ts";
import { loadStyle } from "../../src/style/load.ts";
import type { SimEvent } from "../../src/sim/events.ts";
import type { Frame } from "../../src/cluster/pool.ts";

const BATCH = 12;

/** The bytes of a live view fed a run in batches; `ahead`: each batch is prepared first. */
async function screen(ahead: boolean, resizeAt: number | null): Promise<string> {
  const cfg = drawRunConfig({ seed: 4, startMs: Date.parse("2026-11-24T09:00:00Z"), nodes: 2 });
  const style = await loadStyle("hf");
  let out = "";
  const dec = new TextDecoder();
  const sink = new Sink({ writeSync: (p) => ((out += dec.decode(p)), p.length) });
  let size: TermSize = { columns: 150, rows: 40 };
  const tty = createTtyRenderer(sink, cfg, { color: true, size: () => size, frameMs: null });
  const n = cfg.worldSize;
  const frame = (simMs: number): Frame => ({
    seq: 0,
    simMs,
    utilPct: new Float32Array(n).fill(97),
    tempC: new Float32Array(n).fill(66),
    memGiB: new Float32Array(n).fill(61.5),
    powerW: new Float32Array(n).fill(640),
    allreduceMs: null,
  });
  const events = [...simulateRun(cfg, { initMs: 5_000, trainMs: 60_000 })].slice(0, 1_500);
  const writer = openStyle(style, cfg);
  for (let at = 0; at < events.length; at += BATCH) {
    const batch: SimEvent[] = events.slice(at, at + BATCH);
    for (const ev of batch) {
      if (ev.type !== "tick" && ev.type !== "phase") {
        applyStyle(writer, ev);
        if (ahead) tty.prepare!(ev);
      }
    }
    // A resize after the batch was drawn ahead and before its frames.
    if (at === resizeAt) size = { columns: 90, rows: 30 };
    for (const ev of batch) {
      tty.clock(ev.simMs);
      if (ev.type === "tick") tty.telemetry(frame(ev.simMs));
      else if (ev.type === "phase") tty.phase(ev);
      else tty.event(ev);
      tty.flush();
    }
  }
  tty.close();
  return out;
}

Deno.test("lines drawn ahead make the frames lines drawn at the frame make", async () => {
  const direct = await screen(false, null);
  assert.ok(direct.includes("'loss': "), "the frames show the run's logged steps");
  assert.equal(await screen(true, null), direct);
});

Deno.test("after a resize the frames are drawn for the new width, not as drawn ahead", async () => {
  const direct = await screen(false, 600);
  assert.equal(await screen(true, 600), direct);
});
