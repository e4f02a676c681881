/** Golden frames of the GPU grid (colour off) and its fit to every terminal size. */
import assert from "node:assert/strict";
import { gridLines } from "../../src/render/views/grid.ts";
import { clusterStats, flow } from "../../src/render/views/heat_map.ts";
import { visibleWidth } from "../../src/render/ansi.ts";
import { gridInfo, telemetry } from "./fixtures.ts";

const grid = (nodes: number, width: number, rows: number, color = false) =>
  gridLines(telemetry(nodes), gridInfo(nodes), width, rows, color);

Deno.test("a single node on 40 columns gets util and temp cells, two GPUs per row", () => {
  assert.deepEqual(grid(1, 40, 10), [
    "node     │ util temp per GPU",
    "gpu-a001 │  90% 55C  97% 68C │ 4.64kW",
    "         │  93% 81C 100% 67C",
    "         │  96% 80C  92% 66C",
    "         │  99% 79C  95% 65C",
  ]);
});

Deno.test("small clusters on a wide terminal get util, temp, memory and power per GPU", () => {
  assert.deepEqual(grid(2, 120, 12), [
    "node     │ util temp mem power per GPU",
    "gpu-a001 │  90% 55C  60.0G  500W  97% 68C  60.5G  537W  93% 81C  61.0G  574W 100% 67C  61.5G  611W │ 4.64kW",
    "         │  96% 80C  62.0G  648W  92% 66C  60.0G  685W  99% 79C  60.5G  522W  95% 65C  61.0G  559W",
    "gpu-a002 │  91% 78C  61.5G  596W  98% 64C  62.0G  633W  94% 77C  60.0G  670W  90% 63C  60.5G  507W │ 4.80kW",
    "         │  97% 76C  61.0G  544W  93% 62C  61.5G  581W 100% 75C  62.0G  618W  96% 61C  60.0G  655W",
  ]);
});

Deno.test("eight nodes in ten rows of 80 columns get one glyph per GPU", () => {
  assert.deepEqual(grid(8, 80, 10), [
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

Deno.test("64 nodes on 60 columns get a heat map with totals and outliers", () => {
  assert.deepEqual(grid(64, 60, 12), [
    "64 nodes × 8 GPUs · util 94.1% min 40 max 100",
    "temp 68.0C min 55 max 81 · power 307.0 kW",
    "mem 61.0/80.0 GiB per GPU · cells: height util, colour temp",
    "hottest gpu-a001/2 81C, gpu-a004/5 81C, gpu-a008/0 81C",
    "slowest gpu-a003 util 40.0%",
    "gpu-a001 ██▃████████████████████████████████████████████████",
    "gpu-a052 █████████████",
  ]);
});

Deno.test("1024 nodes in nine rows share cells two nodes each", () => {
  assert.deepEqual(grid(1024, 100, 9), [
    "1024 nodes × 8 GPUs, 2 nodes per cell · util 94.9% min 40 max 100 · temp 68.0C min 55 max 81",
    "power 4.91 MW · mem 61.0/80.0 GiB per GPU · cells: height util, colour temp",
    "hottest gpu-a00001/2 81C, gpu-a00004/5 81C, gpu-a00008/0 81C · slowest gpu-a00003 util 40.0%",
    "gpu-a00001 █▅███████████████████████████████████████████████████████████████████████████████████████",
    "gpu-a00179 █████████████████████████████████████████████████████████████████████████████████████████",
    "gpu-a00357 █████████████████████████████████████████████████████████████████████████████████████████",
    "gpu-a00535 █████████████████████████████████████████████████████████████████████████████████████████",
    "gpu-a00713 █████████████████████████████████████████████████████████████████████████████████████████",
    "gpu-a00891 ███████████████████████████████████████████████████████████████████",
  ]);
});

Deno.test("the grid never exceeds the width or rows it is given, colour on or off", () => {
  for (const nodes of [1, 3, 8, 64, 1024, 16384]) {
    for (let width = 40; width <= 300; width += nodes > 1000 ? 13 : 3) {
      for (const rows of [2, 5, 12, 40]) {
        for (const color of [false, true]) {
          const lines = grid(nodes, width, rows, color);
          assert.ok(lines.length <= rows, `${nodes} nodes ${width}×${rows}: ${lines.length} rows`);
          for (const l of lines) {
            assert.ok(visibleWidth(l) <= width, `${nodes} nodes at ${width}: ${l}`);
          }
        }
      }
    }
  }
});

Deno.test("the heat map shows every node, one glyph per cell of the stated size", () => {
  for (
    const [nodes, width, rows] of [[16384, 300, 60], [16384, 40, 20], [513, 61, 8], [64, 100, 6]]
  ) {
    const lines = grid(nodes, width, rows);
    const group = Number(lines[0].match(/, (\d+) nodes per cell/)?.[1] ?? 1);
    const map = lines.filter((l) => /^(gpu-a\d+ +)?[▁▂▃▄▅▆▇█]+$/.test(l));
    const glyphs = map.join("").replace(/gpu-a\d+ +/g, "").length;
    assert.equal(glyphs, Math.ceil(nodes / group), `${nodes} nodes ${width}×${rows}`);
  }
});

Deno.test("clusterStats() finds the hottest GPUs, the slowest node and the totals", () => {
  const s = clusterStats(telemetry(4), 8);
  assert.deepEqual(s.hottest, [2, 29, 4]);
  assert.equal(s.slowestNode, 2);
  assert.equal(s.slowestUtil, 40);
  assert.equal(s.utilMin, 40);
  assert.equal(s.tempMax, 81);
  assert.equal(Math.round(s.powerW), 19152);
});

Deno.test("flow() packs segments into lines and crops one that is too long", () => {
  assert.deepEqual(flow(["alpha", "beta", "gamma"], 12), ["alpha · beta", "gamma"]);
  assert.deepEqual(flow(["a very long segment"], 6), ["a very"]);
});

Deno.test("per-GPU cells are colour-coded by health: hot GPUs red, warm yellow, cool green", () => {
  const lines = grid(1, 40, 10, true);
  assert.ok(lines[1].includes("\x1b[32m55C\x1b[0m"), lines[1]);
  assert.ok(lines[2].includes("\x1b[31m81C\x1b[0m"), lines[2]);
  assert.ok(lines[4].includes("\x1b[33m79C\x1b[0m"), lines[4]);
});
