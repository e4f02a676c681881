/** The GPU grid marks the GPUs of a node that is down. */
import assert from "node:assert/strict";
import { type GridInfo, gridLines, type GridTelemetry } from "../../../src/render/views/grid.ts";

function telemetry(nodes: number, down: number): GridTelemetry {
  const n = nodes * 8;
  const t = {
    utilPct: new Float32Array(n).fill(98),
    tempC: new Float32Array(n).fill(62),
    memGiB: new Float32Array(n).fill(71.5),
    powerW: new Float32Array(n).fill(650),
  };
  for (let r = down * 8; r < down * 8 + 8; r++) {
    t.utilPct[r] = 0;
    t.memGiB[r] = 0;
    t.powerW[r] = 0;
    t.tempC[r] = 31;
  }
  return t;
}

function info(nodes: number): GridInfo {
  return {
    nodes,
    gpusPerNode: 8,
    memTotalGiB: 79.6,
    host: (n) => `gpu-${String(n + 1).padStart(3, "0")}`,
  };
}

Deno.test("gridLines() draws a down node's GPUs as ✗ DOWN cells of the usual width", () => {
  for (const width of [200, 100]) {
    const rows = gridLines(telemetry(2, 1), info(2), width, 10, false).filter((l) =>
      l.startsWith("gpu-")
    );
    assert.equal(rows.length, 2);
    assert.ok(!rows[0].includes("DOWN"));
    assert.equal(rows[1].match(/✗ DOWN/g)?.length, 8);
    assert.equal(rows[1].length, rows[0].length, "cells keep their width");
    assert.ok(rows[1].endsWith("│ 0.00kW"));
  }
});

Deno.test("gridLines() marks a down node with ✗ in the heat map", () => {
  const lines = gridLines(telemetry(300, 7), info(300), 120, 6, false);
  const map = lines.filter((l) => /^gpu-\d+ /.test(l)).map((l) => l.slice(l.indexOf(" ") + 1))
    .join("");
  assert.equal([...map].filter((c) => c === "✗").length, 1);
  assert.equal([...map][7], "✗");
});
