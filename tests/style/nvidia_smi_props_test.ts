/**
 * What every nvidia-smi table of a run shows: idle cards that differ from one another, the
 * platform's Bus-Ids, the model's memory total under the run's driver, processes whose memory
 * adds up to the card's, and readings under load when the job script looks during training.
 */
import assert from "node:assert/strict";
import { findGpu } from "../../src/sim/catalog.ts";
import type { DataEvent } from "../../src/sim/events.ts";
import { driverMajor, gpuHost } from "../../src/sim/gpu_host.ts";
import { pciAddress, workerPid } from "../../src/sim/names.ts";
import { memoryTraits } from "../../src/cluster/gpu_memory.ts";
import { cadenceFor, paceFor } from "../../src/driver/driver.ts";
import { drawRunConfig } from "../../src/sim/run_config.ts";
import { STYLES } from "../../src/style/style.ts";
import { defaultTableOptions, smiTable, startupTable } from "../../src/style/nvidia_smi.ts";
import { START_MS, styledRun } from "./styled_run.ts";

type GpuEvent = Extract<DataEvent, { type: "gpu" }>;

/** The run's `gpu` events, with the line modes' periodic readings when `periodic`. */
function readings(choices: { seed: number; gpu?: string; nodes?: number }, periodic = false) {
  const c = { seed: choices.seed, nodes: choices.nodes ?? 1, gpu: findGpu(choices.gpu ?? "h100") };
  const cadence = periodic
    ? cadenceFor(drawRunConfig({ ...c, startMs: START_MS }), paceFor(true, null), false)
    : undefined;
  const { cfg, events } = styledRun(c, STYLES.native, cadence);
  return { cfg, gpus: events.filter((e): e is GpuEvent => e.type === "gpu") };
}

/** The cells of a table's GPU rows: [bus, power W, used MiB, total MiB, util %]. */
function gpuRows(
  table: string,
): { bus: string[]; power: number[]; used: number[]; total: number[] } {
  const bus = [...table.matchAll(/ ([0-9A-F]{8}:[0-9A-F]{2}:[0-9A-F]{2}\.\d) Off /g)].map((m) =>
    m[1]
  );
  const rows = [...table.matchAll(/\| N\/A +\d+C +P0 +(\d+)W \/ +\d+W \| +(\d+)MiB \/ +(\d+)MiB/g)];
  return {
    bus,
    power: rows.map((m) => Number(m[1])),
    used: rows.map((m) => Number(m[2])),
    total: rows.map((m) => Number(m[3])),
  };
}

Deno.test("an idle table shows each card at its own power and temperature, nothing in use", () => {
  for (const gpu of ["h100", "a100-80gb", "b200", "gb200", "h200"]) {
    for (const seed of [1, 2, 3]) {
      const { cfg, gpus } = readings({ seed, gpu });
      const table = smiTable(gpus[0], cfg, defaultTableOptions(cfg));
      const { power, used } = gpuRows(table);
      assert.equal(power.length, cfg.gpusPerNode);
      assert.ok(new Set(power).size >= 3, `${gpu} ${seed}: idle draws ${power}`);
      for (const w of power) assert.ok(w > cfg.gpu.idleW * 0.9 && w < cfg.gpu.idleW * 1.1, `${w}`);
      assert.ok(new Set(gpus[0].data.gpus.map((g) => Math.round(g.temp_c))).size >= 2);
      assert.deepEqual(used, used.map(() => 0));
      assert.match(table, /No running processes found/);
    }
  }
});

Deno.test("Bus-Ids follow the run's platform, GB200 in its own non-zero PCI domains", () => {
  const seen = new Set<string>();
  for (const gpu of ["h100", "a100-80gb", "b200", "gb200", "v100"]) {
    for (let seed = 1; seed <= 10; seed++) {
      const { cfg, gpus } = readings({ seed, gpu });
      const platform = cfg.cluster.platform;
      seen.add(`${gpu}:${platform.name}`);
      const { bus } = gpuRows(smiTable(gpus[0], cfg, defaultTableOptions(cfg)));
      const want = Array.from({ length: cfg.gpusPerNode }, (_, i) => pciAddress(cfg.cluster, i));
      assert.deepEqual(bus, want);
      if (gpu === "gb200") {
        assert.equal(cfg.gpusPerNode, 4, "a GB200 compute tray has four GPUs");
        assert.deepEqual(bus.map((b) => b.slice(0, 8)), [
          "00000008",
          "00000009",
          "00000018",
          "00000019",
        ]);
      }
    }
  }
  assert.ok([...seen].filter((s) => s.startsWith("h100:")).length >= 3, [...seen].join(" "));
  assert.ok(seen.has("a100-80gb:DGX A100"));
});

Deno.test("the memory total is the model's, as the run's driver reports it", () => {
  const totals: Record<string, number> = {
    "h100": 81559,
    "a100-80gb": 81920,
    "a100-40gb": 40960,
    "h200": 143771,
    "b200": 183359,
    "gb200": 189471,
  };
  let legacy = 0;
  for (const [gpu, total] of Object.entries(totals)) {
    for (let seed = 1; seed <= 12; seed++) {
      const { cfg, gpus } = readings({ seed, gpu });
      const old = driverMajor(cfg.gpu.driver) < 510;
      legacy += old ? 1 : 0;
      const want = old ? gpuHost(cfg.gpu.id).legacyMemMiB! : total;
      assert.deepEqual(
        gpuRows(smiTable(gpus[0], cfg, defaultTableOptions(cfg))).total,
        Array(cfg.gpusPerNode).fill(want),
        `${gpu} seed ${seed} driver ${cfg.gpu.driver}`,
      );
    }
  }
  assert.ok(legacy > 0, "some A100 runs are on an R470 driver (81251MiB)");
});

/** [gpu, pid, MiB] of a table's process rows (MiB NaN when cut to `12345...`). */
function processRows(table: string): number[][] {
  return [
    ...table.matchAll(/^\| +(\d+) {3}N\/A {2}N\/A +(\d+) {6}C {3}\S+ +(\d+)(?:MiB|\.\.\.) \|$/gm),
  ]
    .map((m) => [Number(m[1]), Number(m[2]), m[0].includes("...") ? NaN : Number(m[3])]);
}

Deno.test("a table during training lists the ranks' processes, their memory adding up", () => {
  let tables = 0, strays = 0, busy = 0;
  for (let seed = 1; seed <= 60 && (tables < 6 || strays === 0); seed++) {
    const { cfg, gpus } = readings({ seed, gpu: "h100", nodes: 2 }, true);
    const t = memoryTraits(cfg.seed, cfg.gpusPerNode);
    for (const ev of gpus.filter((e) => e.data.snapshot === "run" && e.data.node === 0)) {
      tables++;
      const table = smiTable(ev, cfg, defaultTableOptions(cfg));
      const { used } = gpuRows(table);
      const rows = processRows(table);
      // (A look may fall on a save or an evaluation, when the GPUs idle or work less.)
      busy += ev.data.gpus.some((g) => g.util_pct > 50) ? 1 : 0;
      if (ev.data.gpus.every((g) => g.mem_used_gib === 0)) continue;
      for (let i = 0; i < cfg.gpusPerNode; i++) {
        const mine = rows.filter((r) => r[0] === i);
        assert.equal(mine.length, 1 + (i === 0 ? t.strayCount : 0));
        strays += i === 0 ? t.strayCount : 0;
        const sum = mine.reduce((a, r) => a + r[2], 0);
        assert.equal(sum + t.driverMiB + 6 * (mine.length - 1), used[i], `seed ${seed} GPU ${i}`);
      }
      // Each GPU's process is its rank's worker on this node (pids as the launcher made them).
      assert.deepEqual(
        rows.map((r) => r[1]).filter((_, k) => rows[k][0] > 0),
        [1, 2, 3, 4, 5, 6, 7].map((i) => workerPid(cfg, 0, i)),
      );
    }
  }
  assert.ok(tables >= 3 && busy >= tables / 2, `${busy} of ${tables} tables under load`);
  assert.ok(strays > 0, "some run shows stray contexts on GPU 0");
});

Deno.test("inside a container the table lists no process, whatever memory is used", () => {
  const { cfg, gpus } = readings({ seed: 4 }, true);
  const busy = gpus.find((e) => e.data.gpus[0].util_pct > 50)!;
  const table = smiTable(busy, cfg, { ...defaultTableOptions(cfg), container: true });
  assert.match(table, /No running processes found/);
  assert.ok(gpuRows(table).used.every((m) => m > 1000));
});

Deno.test("startupTable(): node 0's traced table as the job starts and at the script's looks", () => {
  for (let seed = 1; seed <= 8; seed++) {
    const { cfg, gpus } = readings({ seed, nodes: 2 }, true);
    const [node0, node1] = gpus;
    const table = `+ nvidia-smi\n${smiTable(node0, cfg, defaultTableOptions(cfg))}`;
    assert.equal(startupTable(node0, cfg), table);
    assert.equal(startupTable(node1, cfg), "");
    for (const ev of gpus.slice(2)) {
      if (ev.data.snapshot) continue;
      assert.match(startupTable(ev, cfg), /^gpu \S+ \| \d+:\d+% \d+C [\d.]+G \d+W \| \d+:/);
    }
  }
});

Deno.test("rocm-smi's concise table on AMD nodes shows node 0's readings", () => {
  const { cfg, gpus } = readings({ seed: 5, gpu: "mi300x" }, true);
  const busy = gpus.find((e) => e.data.gpus[0].util_pct > 50)!;
  const lines = smiTable(busy, cfg, defaultTableOptions(cfg)).split("\n");
  assert.equal(lines[0].length, 122);
  const rows = lines.filter((l) => /^\d /.test(l));
  assert.equal(rows.length, 8);
  rows.forEach((row, i) => {
    const g = busy.data.gpus[i];
    // The IDs cell has a wide gap inside: `0x74a1,   28851`.
    const cells = row.split(/ {2,}/);
    assert.equal(cells[5], `${Math.round(g.power_w)}.0W`);
    assert.match(cells[7], /^21\d\dMhz$/, "an active MI300X boosts its SCLK");
    assert.equal(cells[11], `${cfg.gpu.tdpW.toFixed(1)}W`);
    assert.equal(cells[13], `${Math.round(g.util_pct)}%`);
  });
});
