/** Golden frames of the whole live region (colour off) and its fit to every terminal size. */
import assert from "node:assert/strict";
import { liveLines, liveRows } from "../../src/render/views/live.ts";
import { visibleWidth } from "../../src/render/ansi.ts";
import { liveState } from "./fixtures.ts";

const live = (nodes: number, width: number, height: number, steps: number, color = false) =>
  liveLines(liveState(nodes, steps), width, height, color);

Deno.test("64 GPUs on 80×24: bars, metrics, one-row curves and a glyph for every GPU", () => {
  assert.deepEqual(live(8, 80, 24, 300), [
    "job 4182734 demo-run · 8 nodes gpu-a[001-008] · elapsed 00:12:34 / 04:00:00",
    "Epoch 1/2 ███████████████                                     30%",
    "Step 300/1000 ██████████▌                          30% 0:10:00<0:20:00 1.50s/it",
    "loss 2.5000 │ ppl 12.18 │ lr 1.000e-04 │ grad 0.500 │ 500.0k tok/s",
    "loss ▇▆▅▄▃▃▂▂▂▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁ 2.0050   lr ▂▄▅▇███████████████▇▇▇▇▇▇ 2.564e-04",
    "node     │ util ▁-█, colour temp per GPU",
    "gpu-a001 │ ▇█▇██▇██ │ 4.64kW",
    "gpu-a002 │ ▇██▇█▇██ │ 4.80kW",
    "gpu-a003 │ ▃▃▃▃▃▃▃▃ │ 4.77kW",
    "gpu-a004 │ ▇██▇██▇█ │ 4.94kW",
    "gpu-a005 │ █▇█▇██▇█ │ 4.71kW",
    "gpu-a006 │ █▇██▇█▇█ │ 4.88kW",
    "gpu-a007 │ █▇██▇██▇ │ 4.84kW",
    "gpu-a008 │ █▇██▇██▇ │ 4.81kW",
  ]);
});

Deno.test("32 GPUs on 80×36: util/temp cells for every GPU, two rows a node", () => {
  assert.deepEqual(live(4, 80, 36, 300), [
    "job 4182734 demo-run · 4 nodes gpu-a[001-004] · elapsed 00:12:34 / 04:00:00",
    "Epoch 1/2 ███████████████                                     30%",
    "Step 300/1000 ██████████▌                          30% 0:10:00<0:20:00 1.50s/it",
    "loss 2.5000 │ ppl 12.18 │ lr 1.000e-04 │ grad 0.500 │ 500.0k tok/s",
    "loss 2.0050 min 2.0050                   lr 2.564e-04 cosine, warm-up 50       ",
    "⠑⢄⡀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀   ⠀⠀⠀⠀⢀⠔⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠤",
    "⠀⠀⠈⠒⠤⣀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀   ⠀⠀⡠⠔⠁⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀",
    "⠀⠀⠀⠀⠀⠀⠉⠉⠒⠒⠢⠤⠤⠤⠤⠤⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀   ⡠⠊⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀",
    "node     │ util temp per GPU",
    "gpu-a001 │  90% 55C  97% 68C  93% 81C 100% 67C │ 4.64kW",
    "         │  96% 80C  92% 66C  99% 79C  95% 65C",
    "gpu-a002 │  91% 78C  98% 64C  94% 77C  90% 63C │ 4.80kW",
    "         │  97% 76C  93% 62C 100% 75C  96% 61C",
    "gpu-a003 │  40% 74C  40% 60C  40% 73C  40% 59C │ 4.77kW",
    "         │  40% 72C  40% 58C  40% 71C  40% 57C",
    "gpu-a004 │  93% 70C 100% 56C  96% 69C  92% 55C │ 4.94kW",
    "         │  99% 68C  95% 81C  91% 67C  98% 80C",
  ]);
});

Deno.test("one node on 40×16 stacks the sparklines, fits the bars by dropping s/it, glyph cells", () => {
  assert.deepEqual(live(1, 40, 16, 120), [
    "job 4182734 demo-run · 00:12:34/04:00:00",
    "Epoch 1/2 ██▊                      12%",
    "Step 120/1000 ▍     12% 0:10:00<0:20:00",
    "loss 2.5000 │ ppl 12.18 │ lr 1.000e-04",
    "loss █▇▆▆▅▅▄▄▄▃▃▃▃▂▂▂▂▂▂▂▁▁▁▁▁▁▁▁ 2.4481",
    "lr ▁▂▃▃▄▄▅▆▆▇█████████████████ 2.964e-04",
    "node     │ util ▁-█, colour temp per GPU",
    "gpu-a001 │ ▇█▇██▇██ │ 4.64kW",
  ]);
});

Deno.test("8192 GPUs on 72×30: braille loss and learning-rate plots above a heat map", () => {
  assert.deepEqual(live(1024, 72, 30, 900), [
    "job 4182734 demo-run · 1024 nodes · elapsed 00:12:34 / 04:00:00",
    "Epoch 1/2 █████████████████████████████████████████████       90%",
    "Step 900/1000 ████████████████████████▎    90% 0:10:00<0:20:00 1.50s/it",
    "loss 2.5000 │ ppl 12.18 │ lr 1.000e-04 │ grad 0.500 │ 500.0k tok/s",
    "loss 2.0000 min 2.0000               lr 3.731e-05 cosine, warm-up 50   ",
    "⢢⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀   ⠀⢰⠉⠉⠉⠉⠉⠒⠒⠒⠒⠤⠤⠤⣀⣀⡀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀",
    "⠈⢆⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀   ⢀⠇⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠈⠉⠉⠒⠒⠤⠤⢄⣀⣀⠀⠀⠀⠀⠀⠀⠀⠀",
    "⠀⠀⠑⠤⠤⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀   ⠜⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠉⠉⠉⠒⠒⠒⠒⠤",
    "1024 nodes × 8 GPUs, 3 nodes per cell · util 94.9% min 40 max 100",
    "temp 68.0C min 55 max 81 · power 4.91 MW · mem 61.0/80.0 GiB per GPU",
    "cells: height util, colour temp",
    "hottest gpu-a00001/2 81C, gpu-a00004/5 81C, gpu-a00008/0 81C",
    "slowest gpu-a00003 util 40.0%",
    "gpu-a00001 ▆████████████████████████████████████████████████████████████",
    "gpu-a00184 █████████████████████████████████████████████████████████████",
    "gpu-a00367 █████████████████████████████████████████████████████████████",
    "gpu-a00550 █████████████████████████████████████████████████████████████",
    "gpu-a00733 █████████████████████████████████████████████████████████████",
    "gpu-a00916 █████████████████████████████████████",
  ]);
});

Deno.test("before the first step and the first telemetry only the title and bars show", () => {
  assert.deepEqual(live(0, 50, 8, 0), [
    "job 4182734 demo-run · elapsed 00:12:34 / 04:00:00",
    "Epoch 1/2                                     0%",
    "Step 0/1000                                  0% ?",
  ]);
});

Deno.test("nothing wraps at any width from 40 to 300, and the region fits the height", () => {
  for (const nodes of [1, 8, 64, 16384]) {
    for (let width = 40; width <= 300; width += nodes > 1000 ? 11 : 1) {
      for (const height of [4, 9, 24, 61]) {
        for (const color of [false, true]) {
          const lines = live(nodes, width, height, 400, color);
          assert.ok(lines.length <= height - 1, `${nodes} nodes ${width}×${height}`);
          for (const l of lines) assert.ok(visibleWidth(l) <= width, `${width}: ${l}`);
        }
      }
    }
  }
});

Deno.test("the live region gets the grid and the curves whenever it has the rows", () => {
  const lines = live(16384, 120, 30, 400);
  assert.ok(lines.some((l) => /^loss \S+ min/.test(l)), "loss plot title");
  assert.ok(lines.some((l) => /^16384 nodes × 8 GPUs, \d+ nodes per cell/.test(l)), "totals");
  assert.ok(lines.some((l) => l.startsWith("hottest ")), "outliers");
  assert.ok(lines.length <= 29);
});

Deno.test("liveRows() leaves the log a third of the screen, up to half for wrapped lines", () => {
  const table: Array<[height: number, logRowsWanted: number, liveRows: number]> = [
    [40, 0, 25],
    [40, 9, 25],
    [40, 15, 24],
    [40, 60, 19],
    [24, 0, 15],
    [24, 12, 11],
    [60, 0, 39],
    [10, 0, 5],
    [10, 9, 5],
    [5, 0, 4],
    [3, 0, 2],
    [2, 0, 1],
  ];
  for (const [height, wanted, rows] of table) {
    assert.equal(liveRows(height, wanted), rows, `${height} rows, the log wanting ${wanted}`);
  }
});

Deno.test("16 to 32 nodes on 120×40 leave the log 14 rows; fewer nodes leave it more", () => {
  for (const nodes of [16, 20, 24, 32, 512]) {
    const lines = live(nodes, 120, 40, 400);
    assert.ok(lines.length <= 25, `${nodes} nodes: ${lines.length} live lines`);
    assert.ok(lines.some((l) => /^loss \S+ min/.test(l)), `${nodes} nodes: the loss plot`);
  }
  assert.ok(live(16, 120, 40, 400).some((l) => l.startsWith("gpu-a016 │")), "16 rows of cells");
  assert.ok(live(32, 120, 40, 400).some((l) => l.startsWith("32 nodes × 8 GPUs")), "heat map");
  assert.ok(live(2, 120, 40, 400).length <= 13, "two nodes leave the log most of the screen");
});
