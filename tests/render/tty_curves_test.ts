/**
 * The live view agrees with itself: in every frame of a run, the curves' titles show the latest
 * loss and learning rate the metrics line shows, and the lowest loss is never above it.
 */
import assert from "node:assert/strict";
import { createTtyRenderer } from "../../src/render/tty.ts";
import { Sink } from "../../src/render/sink.ts";
import { drawRunConfig, type RunChoices } from "../../src/sim/run_config.ts";
import { simulateRun } from "../../src/sim/simulate.ts";
import { applyStyle, NATIVE_STYLE, openStyle } from "../../src/style/apply.ts";
import type { SimEvent } from "../../src/sim/events.ts";
import type { Frame } from "../../src/cluster/pool.ts";
import { VirtualTerminal } from "./vt.ts";

/** Events read ahead at a time, as the paced driver reads a few seconds of a run. */
const BATCH = 16;

/** What a frame's metrics line and curve titles say (null: not on screen). */
interface Shown {
  metrics: { loss: string; lr: string } | null;
  curves: { loss: string; min: string | null; lr: string } | null;
}

/** Reads the metrics line and the curves' titles (plots or sparklines) off the screen. */
function shownValues(lines: string[]): Shown {
  let metrics: Shown["metrics"] = null, curves: Shown["curves"] = null;
  for (const l of lines) {
    const m = /^loss (\S+) │ ppl \S+ │ lr (\S+)/.exec(l);
    if (m) metrics = { loss: m[1], lr: m[2] };
    const plot = /^loss (\S+) min (\S+) +lr (\S+) /.exec(l);
    if (plot) curves = { loss: plot[1], min: plot[2], lr: plot[3] };
    const spark = /^loss [▁-█ ]+ (\S+) +lr [▁-█ ]+ (\S+)$/.exec(l);
    if (spark) curves = { loss: spark[1], min: null, lr: spark[2] };
  }
  return { metrics, curves };
}

/**
 * Draws a run on a `columns` × `rows` terminal as the paced driver does (a batch prepared ahead,
 * then each event delivered and a frame drawn) and checks every frame; returns how many frames
 * it checked and how many of them showed a skipped step.
 */
function checkEveryFrame(choices: Partial<RunChoices>, columns: number, rows: number) {
  const cfg = drawRunConfig({ seed: 21, startMs: Date.parse("2026-11-24T09:00:00Z"), ...choices });
  const vt = new VirtualTerminal(columns, rows);
  const dec = new TextDecoder();
  let frames = 0;
  const sink = new Sink({ writeSync: (p) => (vt.write(dec.decode(p)), frames++, p.length) });
  const tty = createTtyRenderer(sink, cfg, {
    color: false,
    size: () => ({ columns: vt.columns, rows: vt.rows }),
    frameMs: null,
  });
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
  const writer = openStyle(NATIVE_STYLE, cfg);
  const events = [...simulateRun(cfg, { initMs: 5_000, trainMs: 1_000 })].slice(0, 12_000);
  let checked = 0, skippedShown = 0, drawn = 0;
  for (let at = 0; at < events.length; at += BATCH) {
    const batch: SimEvent[] = events.slice(at, at + BATCH);
    for (const ev of batch) {
      if (ev.type !== "tick" && ev.type !== "phase") tty.prepare!(applyStyle(writer, ev));
    }
    for (const ev of batch) {
      tty.clock(ev.simMs);
      if (ev.type === "tick") tty.telemetry(frame(ev.simMs));
      else if (ev.type === "phase") tty.phase(ev);
      else tty.event(ev);
      tty.flush();
      if (frames === drawn) continue;
      drawn = frames;
      const { metrics, curves } = shownValues(vt.lines());
      if (!metrics || !curves) continue;
      const when = `frame ${frames}, ${columns}×${rows}`;
      assert.equal(curves.loss, metrics.loss, `${when}: the loss curve's title`);
      assert.equal(curves.lr, metrics.lr, `${when}: the learning-rate curve's title`);
      if (curves.min !== null) {
        assert.ok(Number(curves.min) <= Number(curves.loss), `${when}: min above the loss`);
      }
      checked++;
      if (metrics.lr === "0.000e+00") skippedShown++;
    }
  }
  tty.close();
  return { checked, skippedShown };
}

Deno.test("every frame's curve titles show the metrics line's loss and LR, min ≤ loss (plots)", () => {
  const { checked } = checkEveryFrame({ nodes: 2 }, 120, 40);
  assert.ok(checked > 500, `${checked} frames checked`);
});

Deno.test("every frame's sparklines end with the metrics line's loss and LR (80×24)", () => {
  const { checked } = checkEveryFrame({ nodes: 2 }, 80, 24);
  assert.ok(checked > 500, `${checked} frames checked`);
});

Deno.test("a run whose faults skip steps keeps the titles and the metrics line together", () => {
  // Seed 1 at chaos "high" skips steps 13, 25 and 43 (a skipped step's learning rate shows 0).
  const { checked, skippedShown } = checkEveryFrame({ seed: 1, nodes: 4, chaos: "high" }, 120, 40);
  assert.ok(skippedShown > 0, "frames showed a skipped step");
  assert.ok(checked > 100, `${checked} frames checked`);
});
