import assert from "node:assert/strict";
import { findGpu } from "../../src/sim/catalog.ts";
import type { DataEvent } from "../../src/sim/events.ts";
import type { RunConfig } from "../../src/sim/run_config.ts";
import { defineStyle } from "../../src/style/define.ts";
import { startupTable, usedMiB } from "../../src/style/nvidia_smi.ts";
import { styledRun } from "./styled_run.ts";

type GpuEvent = Extract<DataEvent, { type: "gpu" }>;

/** A style that prints only the GPU readings, as the table (independent of any framework's). */
const TABLES = defineStyle({
  name: "tables",
  logs: {},
  otherLog: () => "",
  data: { gpu: startupTable },
});

function startupGpus(gpu: string): { cfg: RunConfig; gpus: GpuEvent[] } {
  const { cfg, events } = styledRun({ seed: 11, nodes: 2, gpu: findGpu(gpu) }, TABLES);
  return { cfg, gpus: events.filter((e): e is GpuEvent => e.type === "gpu") };
}

for (const gpu of ["h100", "a100-80gb", "b200"]) {
  Deno.test(`nvidia-smi table for ${gpu} agrees with the GPU spec and node 0's telemetry`, () => {
    const { cfg, gpus } = startupGpus(gpu);
    assert.equal(gpus.length, cfg.nodes, "one start-up reading per node");
    const [node0, node1] = gpus;
    assert.equal(node1.msg, "", "only node 0 is drawn");
    const lines = node0.msg.split("\n");
    assert.match(
      lines[0],
      /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}$/,
    );
    const version = lines.find((l) => l.includes("NVIDIA-SMI"))!;
    assert.ok(version.includes(`Driver Version: ${cfg.gpu.driver}`));
    assert.ok(version.includes(`CUDA Version: ${cfg.gpu.cuda}`));
    const boxed = lines.filter((l) => /^[|+]/.test(l));
    const width = boxed[0].length;
    for (const l of boxed.slice(0, 8 * 4 + 8)) assert.equal(l.length, width, l);
    const rows = lines.filter((l) => l.startsWith("| N/A"));
    assert.equal(rows.length, 8);
    rows.forEach((row, i) => {
      const g = node0.data.gpus[i];
      const m = /^\| N\/A +(\d+)C +P0 +(\d+)W \/ +(\d+)W \| +(\d+)MiB \/ +(\d+)MiB \| +(\d+)% /
        .exec(row);
      assert.ok(m, row);
      assert.deepEqual(m.slice(1).map(Number), [
        Math.round(g.temp_c),
        Math.round(g.power_w),
        cfg.gpu.tdpW,
        usedMiB(g.mem_used_gib),
        cfg.gpu.memMiB,
        Math.round(g.util_pct),
      ]);
    });
    assert.equal(lines.filter((l) => l.includes(cfg.gpu.name.slice(0, 20))).length, 8);
  });
}

Deno.test("rocm-smi table for AMD nodes shows node 0's readings", () => {
  const { cfg, gpus } = startupGpus("mi300x");
  const rows = gpus[0].msg.split("\n").filter((l) => /^\d /.test(l));
  assert.equal(rows.length, 8);
  rows.forEach((row, i) => {
    const g = gpus[0].data.gpus[i];
    const cells = row.split(/ +/);
    assert.equal(cells[2], `${g.temp_c.toFixed(1)}°C`);
    assert.equal(cells[3], `${g.power_w.toFixed(1)}W`);
    assert.equal(cells[8], `${cfg.gpu.tdpW.toFixed(1)}W`);
    assert.equal(cells[10], `${Math.round(g.util_pct)}%`);
  });
});

Deno.test("a GPU reading taken during training is a status line, not a table", () => {
  const { cfg, gpus } = startupGpus("h100");
  const busy: GpuEvent = {
    ...gpus[0],
    msg: "",
    data: {
      ...gpus[0].data,
      gpus: gpus[0].data.gpus.map((g) => ({ ...g, mem_used_gib: cfg.plan.memory.totalGiB })),
    },
  };
  assert.notEqual(startupTable(gpus[0], cfg), "");
  assert.match(startupTable(busy, cfg), /^gpu \S+ \| 0:\d+% \d+C [\d.]+G \d+W \| 1:/);
});
