/** NCCL's INIT lines speak the run's NCCL version, from the right threads, in bounded volume. */
import assert from "node:assert/strict";
import { findGpu } from "../../src/sim/catalog.ts";
import { drawRunConfig, type RunConfig } from "../../src/sim/run_config.ts";
import type { LogEvent } from "../../src/sim/events.ts";
import { simulateRun } from "../../src/sim/simulate.ts";
import { ncclLines } from "../../src/style/nccl_lines.ts";
import { ringRow } from "../../src/style/nccl_topology.ts";
import { workerPid } from "../../src/sim/names.ts";

/** A run whose cluster runs NCCL `version`. */
function runWith(version: string, nodes = 2): RunConfig {
  const cfg = drawRunConfig({ seed: 21, startMs: 0, nodes, gpu: findGpu("h100") });
  return { ...cfg, cluster: { ...cfg.cluster, ncclVersion: version } };
}

/** Every NCCL line of the run's start-up, as a style with no launcher prefix prints them. */
function ncclText(cfg: RunConfig): string[] {
  const out: string[] = [];
  for (const ev of simulateRun(cfg, { initMs: 1e15, trainMs: 1e15 })) {
    if (ev.type === "log" && ev.key.startsWith("nccl.")) {
      out.push(...ncclLines(ev as LogEvent, cfg, "test", () => "").split("\n").filter((l) => l));
    }
    if (ev.type === "log" && ev.key === "gpu.detect") break;
  }
  return out;
}

Deno.test("up to 2.21 the version line is bare and printed once; from 2.22 every rank prints it", () => {
  const old = ncclText(runWith("2.21.5+cuda12.4"));
  assert.deepEqual(old.filter((l) => l.includes("NCCL version")), ["NCCL version 2.21.5+cuda12.4"]);
  const late = ncclText(runWith("2.23.4+cuda12.6"));
  const versions = late.filter((l) => l.includes("NCCL version"));
  assert.equal(versions.length, 16, "both nodes' eight ranks");
  assert.ok(versions.every((l) => / NCCL INFO NCCL version 2\.23\.4\+cuda12\.6$/.test(l)));
});

Deno.test("Init timings and the Config init call come with 2.23, each rank's parts summing to one total", () => {
  assert.ok(!ncclText(runWith("2.21.5+cuda12.4")).some((l) => l.includes("Init timings")));
  const lines = ncclText(runWith("2.23.4+cuda12.6"));
  assert.ok(lines.some((l) => l.includes("ncclCommInitRankConfig comm 0x")));
  const timings = lines.filter((l) => l.includes("Init timings - ncclCommInitRankConfig"));
  assert.equal(timings.length, 16);
  const totals = new Set<string>();
  for (const l of timings) {
    const [, total, parts] = /total (\d+\.\d\d) \((.*)\)/.exec(l)!;
    totals.add(total);
    const sum = [...parts.matchAll(/(\d+\.\d\d)/g)].reduce((s, m) => s + Number(m[1]), 0);
    assert.ok(Math.abs(sum - Number(total)) <= 0.051, `${parts} adds up to ${total}`);
  }
  assert.equal(totals.size, 1, "one total for the whole communicator");
});

Deno.test("the main thread prints the first lines (tid = pid), the init thread the rest", () => {
  const cfg = runWith("2.21.5+cuda12.4");
  for (const l of ncclText(cfg)) {
    const [, pid, tid] = /^\S+?:(\d+):(\d+) /.exec(l) ?? [];
    if (!pid) continue;
    const main = /Bootstrap|cudaDriverVersion|NET\/Plugin|NCCL_SOCKET_IFNAME/.test(l);
    assert.equal(pid === tid, main, l);
  }
  assert.ok(workerPid(cfg, 0, 0) > 0);
});

Deno.test("only rank 0 prints the ring rows; LL128's threshold is 8 × ranks, at most 512", () => {
  for (const nodes of [1, 2, 128]) {
    const lines = ncclText(runWith("2.21.5+cuda12.4", nodes));
    const rows = lines.filter((l) => / NCCL INFO Channel \d\d\/\d\d :/.test(l));
    assert.ok(rows.length > 0 && rows.every((l) => / \[0\] NCCL INFO/.test(l)));
    const t = lines.find((l) => l.includes("threadThresholds"))!;
    assert.match(t, new RegExp(`\\| ${Math.min(512, 8 * nodes * 8)}/8/64 \\|`));
    assert.ok(lines.length < 2000, `${lines.length} lines for ${nodes} nodes`);
  }
});

Deno.test("ringRow() lays ranks out as each version does", () => {
  const ranks = [0, 7, 6, 5];
  assert.equal(ringRow(runWith("2.21.5+cuda12.4"), ranks), "    0   7   6   5");
  assert.equal(ringRow(runWith("2.23.4+cuda12.6"), ranks), " 0 7 6 5");
  assert.equal(ringRow(runWith("2.27.3+cuda12.9"), ranks), "  0  7  6  5");
});
